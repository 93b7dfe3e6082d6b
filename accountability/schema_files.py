"""The files in ``schema/``: generated from code, and checked for drift by a test."""

from __future__ import annotations

import json
from pathlib import Path

from accountability.api.schema import build_schema
from accountability.domain.interchange import json_schema

SDL_FILE = "schema.graphql"
INTERCHANGE_FILE = "interchange.schema.json"


def sdl() -> str:
    return build_schema().as_str() + "\n"


def interchange() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_all(out_dir: Path) -> list[Path]:
    """Write both files and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in ((SDL_FILE, sdl()), (INTERCHANGE_FILE, interchange())):
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
