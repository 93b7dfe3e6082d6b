#!/usr/bin/env node
// Lints Cypher files with Neo4j's own linter (@neo4j-cypher/language-support).
//
// Usage: node tools/cypherlint/lint.mjs PATH...
//   Each PATH is a file (linted whatever its extension) or a directory
//   (walked recursively for *.cypher files).
//
// Prints one JSON object on stdout:
//   {"files": {"<path>": [{"severity": "error"|"warning", "message": "...",
//                          "line": N, "column": N}]}}
// with every diagnostic the linter produced (line and column are 1-based).
// Deciding which diagnostics are problems is left to the caller.
// Exit status: 0 when the lint ran (whatever it found), 2 on internal failure.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function collectFiles(arg) {
  const info = await stat(arg);
  if (!info.isDirectory()) {
    return [arg];
  }
  const found = [];
  const entries = await readdir(arg, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(arg, entry.name);
    if (entry.isDirectory()) {
      found.push(...(await collectFiles(full)));
    } else if (entry.isFile() && entry.name.endsWith('.cypher')) {
      found.push(full);
    }
  }
  return found;
}

function severityName(severity) {
  // LSP DiagnosticSeverity: 1 Error, 2 Warning, 3 Information, 4 Hint.
  return severity === 1 ? 'error' : 'warning';
}

async function main(args) {
  if (args.length === 0) {
    throw new Error('usage: lint.mjs PATH...');
  }
  const { lintCypherQuery } = await import('@neo4j-cypher/language-support');

  const files = [];
  for (const arg of args) {
    files.push(...(await collectFiles(arg)));
  }

  // An empty schema: with no labels, relationship types or property keys
  // listed, the linter does not warn about unknown ones. Parameters it does
  // report ("Parameter $x is not defined."); those are passed through and left
  // to the caller to ignore.
  const dbSchema = {};

  const result = {};
  for (const file of files) {
    const query = await readFile(file, 'utf8');
    const { diagnostics } = lintCypherQuery(query, dbSchema);
    result[file] = diagnostics.map((d) => ({
      severity: severityName(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    }));
  }
  return { files: result };
}

try {
  const output = await main(process.argv.slice(2));
  process.stdout.write(JSON.stringify(output) + '\n');
  process.exitCode = 0;
} catch (err) {
  process.stderr.write(`cypherlint: ${err?.stack ?? err}\n`);
  process.exitCode = 2;
}
