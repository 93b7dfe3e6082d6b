// TypeScript types from the service's SDL (schema/schema.graphql): enums as string
// unions, inputs and object types as interfaces (a query's result is a Pick of them).
// `node scripts/gen-types.mjs` writes src/gql/schema.ts; `--check` fails on drift.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
} from "graphql";

const here = dirname(fileURLToPath(import.meta.url));
const sdlPath = join(here, "..", "..", "schema", "schema.graphql");
const outPath = join(here, "..", "src", "gql", "schema.ts");

const SCALARS = { ID: "string", String: "string", Int: "number", Float: "number", Boolean: "boolean" };
const CUSTOM = { Date: "string", DateTime: "string", JSON: "JsonValue" };

function ts(type) {
  if (isNonNullType(type)) return inner(type.ofType);
  return `${inner(type)} | null`;
}
function inner(type) {
  if (isListType(type)) {
    const t = ts(type.ofType);
    return t.includes("|") ? `Array<${t}>` : `${t}[]`;
  }
  if (isScalarType(type)) return SCALARS[type.name] ?? CUSTOM[type.name] ?? "unknown";
  return type.name;
}
function doc(d, indent = "") {
  if (!d) return "";
  return `${indent}/** ${d.replace(/\*\//g, "* /").replace(/\n/g, " ")} */\n`;
}

export function generate(sdl) {
  const schema = buildSchema(sdl);
  const names = Object.keys(schema.getTypeMap())
    .filter((n) => !n.startsWith("__"))
    .sort();
  let out =
    "// Generated from schema/schema.graphql by web/scripts/gen-types.mjs: do not edit.\n" +
    "// Regenerate with `npm run gen` (in web/) after `accountability schema`.\n\n" +
    "export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };\n";
  for (const name of names) {
    const type = schema.getType(name);
    if (isScalarType(type)) {
      if (CUSTOM[name]) out += `\n${doc(type.description)}export type ${name} = ${CUSTOM[name] === "JsonValue" ? "JsonValue" : "string"};\n`;
      continue;
    }
    out += "\n" + doc(type.description);
    if (isEnumType(type)) {
      const values = type.getValues().map((v) => JSON.stringify(v.name));
      out += `export type ${name} = ${values.join(" | ")};\n`;
      out += `export const ${name}Values: readonly ${name}[] = [${values.join(", ")}];\n`;
    } else if (isUnionType(type)) {
      out += `export type ${name} = ${type.getTypes().map((t) => t.name).join(" | ")};\n`;
    } else if (isInputObjectType(type)) {
      out += `export interface ${name} {\n`;
      for (const f of Object.values(type.getFields())) {
        const optional = !isNonNullType(f.type) || f.defaultValue !== undefined;
        out += doc(f.description, "  ") + `  ${f.name}${optional ? "?" : ""}: ${ts(f.type)};\n`;
      }
      out += "}\n";
    } else if (isObjectType(type) || isInterfaceType(type)) {
      out += `export interface ${name} {\n`;
      if (isObjectType(type)) out += `  __typename?: ${JSON.stringify(name)};\n`;
      for (const f of Object.values(type.getFields())) {
        out += doc(f.description, "  ") + `  ${f.name}: ${ts(f.type)};\n`;
      }
      out += "}\n";
    }
  }
  return out;
}

const text = generate(readFileSync(sdlPath, "utf8"));
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(outPath, "utf8");
  } catch {
    current = "";
  }
  if (current !== text) {
    console.error("web/src/gql/schema.ts is out of date with schema/schema.graphql: run `npm run gen` in web/");
    process.exit(1);
  }
} else {
  writeFileSync(outPath, text);
  console.log(`wrote ${outPath}`);
}
