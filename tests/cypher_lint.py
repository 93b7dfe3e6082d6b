"""Lint Cypher files with Neo4j's own linter (npm ``@neo4j-cypher/language-support``).

The linting itself is done by ``tools/cypherlint/lint.mjs`` in a single ``node`` run over
all the files; this module installs its node_modules when missing, runs it and keeps the
diagnostics that are problems:

* every diagnostic of severity ``error``, except ``Parameter $x is not defined.`` (the
  linter reports every parameter absent from the schema, and the schema given is empty);
* every ``warning`` whose message mentions deprecation.

Other warnings (e.g. cartesian products) are not problems. Line and column are 1-based.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Final, TypedDict

ROOT: Final = Path(__file__).resolve().parents[1]
TOOL_DIR: Final = Path("tools/cypherlint")
LINT_SCRIPT: Final = TOOL_DIR / "lint.mjs"
INSTALLED_MARKER: Final = TOOL_DIR / "node_modules/@neo4j-cypher/language-support"

_UNDECLARED_PARAMETER: Final = re.compile(r"Parameter \$\S+ is not defined\.")
_DEPRECATION: Final = re.compile(r"deprecat", re.IGNORECASE)


class Diagnostic(TypedDict):
    severity: str
    message: str
    line: int
    column: int


def is_problem(diagnostic: Diagnostic) -> bool:
    """Whether a diagnostic from ``lint.mjs`` counts as a failure."""
    message = diagnostic["message"]
    if diagnostic["severity"] == "error":
        return _UNDECLARED_PARAMETER.fullmatch(message) is None
    return _DEPRECATION.search(message) is not None


def _require(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise RuntimeError(f"cypher lint needs `{program}` on PATH")
    return found


def _ensure_installed() -> None:
    if (ROOT / INSTALLED_MARKER).is_dir():
        return
    subprocess.run(
        [_require("npm"), "ci", "--prefix", str(TOOL_DIR), "--no-audit", "--no-fund"],
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    if not (ROOT / INSTALLED_MARKER).is_dir():
        raise RuntimeError(f"npm ci did not install {INSTALLED_MARKER}")


def _relative(path: Path) -> str:
    resolved = path if path.is_absolute() else ROOT / path
    try:
        return str(resolved.relative_to(ROOT))
    except ValueError:
        return str(resolved)


def _parse_diagnostic(raw: object) -> Diagnostic:
    if not isinstance(raw, dict):
        raise RuntimeError(f"cypher lint: unexpected diagnostic {raw!r}")
    severity, message = raw.get("severity"), raw.get("message")
    line, column = raw.get("line"), raw.get("column")
    if not (
        isinstance(severity, str)
        and isinstance(message, str)
        and isinstance(line, int)
        and isinstance(column, int)
    ):
        raise RuntimeError(f"cypher lint: malformed diagnostic {raw!r}")
    return Diagnostic(severity=severity, message=message, line=line, column=column)


def lint_cypher_all(paths: list[Path]) -> dict[str, list[Diagnostic]]:
    """Every diagnostic for each file; a directory in ``paths`` is walked for ``*.cypher``.

    Keys are paths relative to the repository root (absolute when outside it).
    """
    if not paths:
        return {}
    _ensure_installed()
    completed = subprocess.run(
        [_require("node"), str(LINT_SCRIPT), *(_relative(p) for p in paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"cypher lint failed (exit {completed.returncode}):\n{completed.stderr}")
    document: object = json.loads(completed.stdout)
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, dict):
        raise RuntimeError(f"cypher lint: unexpected output {completed.stdout[:500]!r}")
    result: dict[str, list[Diagnostic]] = {}
    for name, diagnostics in files.items():
        if not isinstance(name, str) or not isinstance(diagnostics, list):
            raise RuntimeError(f"cypher lint: unexpected entry {name!r}: {diagnostics!r}")
        result[name] = [_parse_diagnostic(d) for d in diagnostics]
    return result


def lint_cypher_files(paths: list[Path]) -> dict[str, list[dict[str, object]]]:
    """The problems (errors and deprecation warnings) for each linted file.

    Every linted file has a key (relative to the repository root), with an empty list
    when it is clean. Each problem is ``{"severity", "message", "line", "column"}``.
    """
    return {
        name: [dict(d) for d in diagnostics if is_problem(d)]
        for name, diagnostics in lint_cypher_all(paths).items()
    }
