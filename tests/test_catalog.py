"""The Cypher catalog: files and names agree, every file lints clean and runs on the engine."""

from __future__ import annotations

import re
from pathlib import Path

from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.graph.catalog import ADD_BY_CLAIM_TYPE, CREATE_BY_LABEL, Q, schema_files
from accountability.graph.database import Database
from accountability.schema_files import INTERCHANGE_FILE, SDL_FILE, interchange, sdl
from tests.builders import REPO
from tests.cypher_lint import lint_cypher_files

CYPHER = REPO / "cypher"


def _statement_files() -> set[str]:
    return {
        str(p.relative_to(CYPHER).with_suffix(""))
        for p in CYPHER.rglob("*.cypher")
        if p.parent.name != "schema"
    }


def test_every_file_is_named_and_every_name_has_a_file() -> None:
    assert _statement_files() == {q.value for q in Q}


def test_allow_lists_cover_every_label_and_type() -> None:
    assert set(CREATE_BY_LABEL) == set(NodeLabel)
    assert set(ADD_BY_CLAIM_TYPE) == set(ClaimType)
    for label, query in CREATE_BY_LABEL.items():
        assert f"CREATE (n:Entity:{label.value} " in (CYPHER / f"{query.value}.cypher").read_text()
    for claim_type, query in ADD_BY_CLAIM_TYPE.items():
        assert f"[r:{claim_type.value} " in (CYPHER / f"{query.value}.cypher").read_text()


def test_claim_type_disjunctions_list_every_type() -> None:
    for path in CYPHER.rglob("*.cypher"):
        for found in re.findall(r"\[r:([A-Z_|]+) ", path.read_text()):
            if "|" in found:
                assert set(found.split("|")) == {t.value for t in ClaimType}, path


def test_every_claim_type_has_a_unique_id_constraint() -> None:
    text = "\n".join(p.read_text() for p in schema_files(CYPHER))
    for claim_type in ClaimType:
        assert f"[r:{claim_type.value}]-() REQUIRE r.id IS UNIQUE" in text


def test_every_cypher_file_passes_neo4j_linter() -> None:
    problems = lint_cypher_files(sorted(CYPHER.rglob("*.cypher")))
    assert len(problems) == len(list(CYPHER.rglob("*.cypher")))
    assert {path: p for path, p in problems.items() if p} == {}


def test_no_cypher_is_built_in_python() -> None:
    """Every statement the service runs is a file. The one exception writes the Cypher
    *export* a user runs elsewhere: its labels come from the enums and its values from
    domain/cypher_literals.py (both tested in test_export_cypher.py); the service never
    runs it."""
    pattern = re.compile(r"""(f["']|\.format\().*\b(MATCH|MERGE|CREATE|RETURN)\b""")
    script_writer = REPO / "accountability" / "services" / "exports" / "cypher_script.py"
    offenders = [
        f"{p}:{n}"
        for p in (REPO / "accountability").rglob("*.py")
        if p != script_writer
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


async def test_schema_setup_is_idempotent(db: Database) -> None:
    await db.set_up_schema()
    await db.set_up_schema()


def test_generated_schema_files_have_not_drifted() -> None:
    schema_dir = REPO / "schema"
    assert (schema_dir / SDL_FILE).read_text() == sdl(), "run: accountability schema"
    assert (schema_dir / INTERCHANGE_FILE).read_text() == interchange(), (
        "run: accountability schema"
    )


def test_design_fields_stay_in_the_sdl() -> None:
    text = sdl()
    for fragment in ("enum Confidence {\n  HIGH\n  MEDIUM\n  LOW\n}", "type ClaimEdge", "pageInfo"):
        assert fragment in text


def test_catalog_reads_every_file(db: Database) -> None:
    for q in Q:
        assert db.catalog[q].strip()
    assert Path(db.catalog.cypher_dir) == CYPHER
