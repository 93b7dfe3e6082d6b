"""The Cypher script export: its literals, Neo4j's linter over every statement, and the
script run on an empty embedded engine and read back. Every person here is fictional."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j import exceptions as neo4j_errors

from accountability.domain.cypher_literals import (
    cypher_date,
    cypher_key,
    cypher_literal,
    cypher_string,
)
from accountability.domain.nodes import utc_iso
from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision, NodeLabel
from accountability.graph.embedded import DATABASE_NAME, ROOT_USER, EmbeddedEngine, EngineOptions
from accountability.graph.values import to_native
from accountability.services.exports.base import ExportMeta
from accountability.services.exports.cypher_script import BATCH_ROWS, CypherScriptWriter
from accountability.services.records import ClaimRecord, NodeRecord, RetractionRecord
from tests.cypher_lint import lint_cypher_files

INJECTION = "x'}) DETACH DELETE n //"
TRICKY = 'Fictional O\'Neil "Tex" \\ back\\slash\nnew line\ttab\r\u2028sep\u2029para\\n'
ARABIC = "سعيد الخيالي"
EMOJI = "🙂 👨‍👩‍👧 🏳️‍🌈"  # with zero-width joiners
T0 = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
T1 = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
FILLER_UNITS = BATCH_ROWS + 7  # more than one batch, on the engine too


# --- literals ----------------------------------------------------------------------------


def test_scalars() -> None:
    assert cypher_literal(None) == "null"
    assert cypher_literal(True) == "true"
    assert cypher_literal(False) == "false"
    assert cypher_literal(0) == "0"
    assert cypher_literal(-42) == "-42"
    assert cypher_literal(2**63 - 1) == "9223372036854775807"
    assert cypher_literal(1.5) == "1.5"
    assert cypher_literal(1.0) == "1.0"
    assert cypher_literal(1e16) == "1e16"
    assert cypher_literal(2.5e-05) == "2.5e-05"
    assert cypher_literal(-0.0) == "-0.0"
    assert cypher_literal(dt.date(2012, 3, 1)) == "date('2012-03-01')"
    assert cypher_date(dt.date(1, 1, 1)) == "date('0001-01-01')"


def test_quotes_and_backslashes() -> None:
    assert cypher_string("O'Neil") == "'O\\'Neil'"
    assert cypher_string('say "hi"') == "'say \"hi\"'"
    assert cypher_string("C:\\dir\\n") == "'C:\\\\dir\\\\n'"
    assert cypher_string("\\'") == "'\\\\\\''"
    assert cypher_string("") == "''"


def test_control_characters_and_separators_are_escaped() -> None:
    assert cypher_string("a\nb") == "'a\\nb'"
    assert cypher_string("a\tb\rc") == "'a\\tb\\rc'"
    assert cypher_string("a\u2028b\u2029c") == "'a\\u2028b\\u2029c'"
    assert cypher_string("\x00\x07\x0b\x0c\x1c\x7f\x85") == (
        "'\\u0000\\u0007\\u000b\\u000c\\u001c\\u007f\\u0085'"
    )
    # Invisible direction overrides could make the script read unlike what it does.
    assert cypher_string("a\u202eb\u2066c") == "'a\\u202eb\\u2066c'"


def test_no_character_can_break_a_line() -> None:
    every = "".join(chr(i) for i in range(0x110000))
    text = cypher_string(every)
    assert len(text.splitlines()) == 1
    assert not any(unicodedata.category(ch) in {"Cc", "Zl", "Zp", "Cs"} for ch in text)
    text.encode("utf-8")  # lone surrogates are escaped too, so the file can be written


def test_other_unicode_is_kept_as_is() -> None:
    assert cypher_string(ARABIC) == f"'{ARABIC}'"
    assert cypher_string(EMOJI) == f"'{EMOJI}'"
    assert cypher_string("Ünïcödé ẞ 東京") == "'Ünïcödé ẞ 東京'"


def test_lists_and_nested_maps() -> None:
    value = {"a": [1, "x", None, [True]], "nested": {"deeper": {"d": dt.date(2000, 1, 2)}}}
    assert cypher_literal(value) == (
        "{a: [1, 'x', null, [true]], nested: {deeper: {d: date('2000-01-02')}}}"
    )
    assert cypher_literal([]) == "[]"
    assert cypher_literal({}) == "{}"


def test_odd_keys_are_backquoted() -> None:
    assert cypher_key("plain_key1") == "plain_key1"
    assert cypher_key("_x") == "_x"
    assert cypher_key("from") == "from"  # keywords are valid map keys (linted below)
    assert cypher_key("with space") == "`with space`"
    assert cypher_key("back`tick") == "`back``tick`"
    assert cypher_key("1st") == "`1st`"
    assert cypher_key("ünï") == "`ünï`"
    assert cypher_key(ARABIC) == f"`{ARABIC}`"
    assert cypher_literal({"a-b": 1, "c": 2}) == "{`a-b`: 1, c: 2}"
    for bad in ("", "a\nb", "a\u2028b", "a\\u0041"):
        with pytest.raises(ValueError):
            cypher_key(bad)
    with pytest.raises(TypeError):
        cypher_literal({1: "x"})


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 2**63, -(2**63) - 1])
def test_values_without_a_literal_are_refused(value: float) -> None:
    with pytest.raises(ValueError):
        cypher_literal(value)
    with pytest.raises(ValueError):
        cypher_literal([1, {"x": value}])


@pytest.mark.parametrize(
    "value", [dt.datetime(2020, 1, 1, tzinfo=dt.UTC), (1, 2), {1, 2}, b"x", object(), dt.time()]
)
def test_other_types_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        cypher_literal(value)


def test_an_injection_attempt_stays_a_string() -> None:
    assert cypher_string(INJECTION) == "'x\\'}) DETACH DELETE n //'"
    assert cypher_literal({"name": INJECTION}) == "{name: 'x\\'}) DETACH DELETE n //'}"


# --- the script --------------------------------------------------------------------------


def split_statements(script: str) -> list[str]:
    """Statements as a reader splits them: on lines ending in ';', comments skipped."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        if not current and (not line.strip() or line.startswith("//")):
            continue
        current.append(line)
        if line.endswith(";"):
            statements.append("\n".join(current))
            current = []
    assert not current, f"text after the last statement: {current}"
    return statements


def _node(node_id: str, label: NodeLabel, props: dict[str, Any], **times: Any) -> NodeRecord:
    return NodeRecord(
        node_id, label, props, times.get("created_at", T0), times.get("updated_at", T1)
    )


def _claim(claim_id: str, claim_type: ClaimType, frm: str, to: str, **fields: Any) -> ClaimRecord:
    values: dict[str, Any] = {
        "valid_from": dt.date(2011, 4, 1),
        "valid_to": dt.date(2013, 12, 31),
        "date_precision": DatePrecision.APPROXIMATE,
        "confidence": Confidence.MEDIUM,
        "evidence": ["ev-doc"],
        "retraction": None,
        "created_at": T0,
        "updated_at": T0,
        "properties": {},
        **fields,
    }
    return ClaimRecord(id=claim_id, type=claim_type, from_id=frm, to_id=to, **values)


def sample_nodes(filler: int = FILLER_UNITS) -> list[NodeRecord]:
    """Every label, odd text, dates, numbers and lists; fictional throughout."""
    nodes = [
        _node(
            "p-tricky",
            NodeLabel.PERSON,
            {
                "name": TRICKY,
                "aliases": [ARABIC, EMOJI, "Sa'id \\ al-Khayali"],
                "birth_year": 1968,
                "gender": "male",
                "nationality": None,  # not stored
                "status": "died_in_custody",
                "protected": False,
            },
        ),
        _node(
            "p-protected",
            NodeLabel.PERSON,
            {"name": "Yusra Qaddour", "protected": True, "pseudonym": "Witness K-1"},
        ),
        _node("p-inject", NodeLabel.PERSON, {"name": INJECTION, "aliases": []}),
        _node("p-victim", NodeLabel.PERSON, {"name": "Fictional Victim"}, updated_at=None),
        _node("u-top", NodeLabel.UNIT, {"name": "Fictional Directorate", "kind": "directorate"}),
        _node(
            "u-branch",
            NodeLabel.UNIT,
            {
                "name": "Fictional Branch 000",
                "aliases": ["الفرع \u0660\u0660\u0660"],
                "kind": "branch",
            },
        ),
        _node(
            "f-1",
            NodeLabel.FACILITY,
            {"name": "Fictional Prison", "lat": 33.5138, "lon": -36.25, "location": "Nowhere"},
        ),
        _node(
            "i-1",
            NodeLabel.INCIDENT,
            {
                "kind": "torture",
                "title": "Fictional incident",
                "start_date": dt.date(2012, 3, 1),
                "end_date": dt.date(2012, 3, 3),
                "description": f"Line one;\nline two: {ARABIC}\n;",
            },
        ),
        _node(
            "ev-doc",
            NodeLabel.EVIDENCE,
            {
                "kind": "document",
                "title": "Fictional order `1`",
                "sha256": "ab" * 32,
                "source": "Team A",
                "acquired_at": "2013-05-06T07:08:09Z",
                "reliability": "B",
                "credibility": 2,
                "classification": "confidential",
            },
        ),
        _node(
            "ev-photo",
            NodeLabel.EVIDENCE,
            {"kind": "photo", "title": "Fictional photo", "acquired_at": T1},
            created_at=None,
            updated_at=None,
        ),
        _node(
            "case-1",
            NodeLabel.CASE,
            {"title": "Fictional case", "jurisdiction": "Fictionland", "status": "open"},
        ),
    ]
    nodes += [
        _node(f"u-fill-{n:04d}", NodeLabel.UNIT, {"name": f"Fictional filler unit {n}"})
        for n in range(filler)
    ]
    return nodes


def sample_claims(filler: int = FILLER_UNITS) -> list[ClaimRecord]:
    """Every claim type, extra properties, a retraction, open and undated periods."""
    claims = [
        _claim(
            "c-member",
            ClaimType.MEMBER_OF,
            "p-tricky",
            "u-branch",
            properties={"rank": "colonel", "title": "head of 'section' 2"},
            date_precision=DatePrecision.EXACT,
            confidence=Confidence.HIGH,
            evidence=["ev-doc", "ev-photo"],
        ),
        _claim("c-commanded", ClaimType.COMMANDED, "p-tricky", "u-branch", valid_to=None),
        _claim(
            "c-retracted",
            ClaimType.COMMANDED,
            "p-inject",
            "u-branch",
            retraction=RetractionRecord(
                by="Fictional analyst", reason=f"Wrong name;\n{INJECTION}", at=T1
            ),
            confidence=Confidence.LOW,
            updated_at=T1,
        ),
        _claim(
            "c-sub",
            ClaimType.SUBORDINATE_TO,
            "u-branch",
            "u-top",
            valid_from=None,
            valid_to=None,
            evidence=[],
        ),
        _claim("c-operated", ClaimType.OPERATED, "u-branch", "f-1"),
        _claim(
            "c-posted",
            ClaimType.POSTED_AT,
            "p-protected",
            "f-1",
            properties={"role": "guard", "command": False},
        ),
        _claim(
            "c-director",
            ClaimType.POSTED_AT,
            "p-tricky",
            "f-1",
            properties={"role": "director", "command": True},
        ),
        _claim("c-detained", ClaimType.DETAINED_AT, "p-victim", "f-1", created_at=None),
        _claim("c-occurred", ClaimType.OCCURRED_AT, "i-1", "f-1"),
        _claim("c-victim", ClaimType.VICTIM, "i-1", "p-victim"),
        _claim("c-perpetrated", ClaimType.PERPETRATED, "p-protected", "i-1"),
        _claim("c-ordered", ClaimType.ORDERED, "p-tricky", "i-1"),
        _claim(
            "c-aided",
            ClaimType.AIDED,
            "u-top",
            "i-1",
            properties={"contribution": f"transfers; {ARABIC}"},
        ),
        _claim("c-documents", ClaimType.DOCUMENTS, "ev-doc", "p-tricky", evidence=["ev-doc"]),
        _claim("c-includes", ClaimType.INCLUDES, "case-1", "i-1", evidence=[]),
        _claim("c-notified", ClaimType.NOTIFIED, "p-tricky", "i-1", properties={"how": "a report"}),
        _claim(
            "c-control",
            ClaimType.EXERCISED_CONTROL,
            "p-tricky",
            "u-branch",
            properties={"how": "issued_orders"},
        ),
        _claim(
            "c-measures",
            ClaimType.TOOK_MEASURES,
            "p-tricky",
            "i-1",
            properties={"how": "investigation opened"},
        ),
    ]
    # More than one batch of one type: each filler unit is subordinate to the directorate.
    claims += [
        _claim(f"c-fill-{n:04d}", ClaimType.SUBORDINATE_TO, f"u-fill-{n:04d}", "u-top")
        for n in range(filler)
    ]
    return claims


META = ExportMeta(
    scope="case",
    subject_id="case-1",
    title="Fictional case\n;\nMATCH (n) DETACH DELETE n;",
    profile="court",
    exported_by="Fictional prosecutor",
    role="prosecutor",
    exported_at=T0,
    tool_version="0.1.0",
)


def write_script(folder: Path, nodes: list[NodeRecord], claims: list[ClaimRecord]) -> str:
    writer = CypherScriptWriter(folder, META)
    for node in nodes:
        writer.node(node)
    for claim in claims:
        writer.claim(claim)
    writer.close()
    return (folder / "case.cypher").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> str:
    return write_script(tmp_path_factory.mktemp("script"), sample_nodes(), sample_claims())


def test_script_layout(script: str) -> None:
    header = script.split("\nCREATE CONSTRAINT", 1)[0]
    assert all(line.startswith("//") or not line for line in header.splitlines())
    assert "// scope: 'case'" in header and "// subject: 'case-1'" in header
    assert "// profile: 'court'" in header
    assert "// exported at: '2024-05-06T07:08:09.123456Z'" in header
    assert "cypher-shell" in header and "-f case.cypher" in header
    # A title with newlines and a statement in it stays inside its comment line.
    assert "// title: 'Fictional case\\n;\\nMATCH (n) DETACH DELETE n;'" in header

    statements = split_statements(script)
    schema = (Path(__file__).parents[1] / "cypher/schema/0001_entity_id.cypher").read_text()
    assert statements[0] == schema.strip() + ";"
    creates = [s.splitlines()[-2] for s in statements[1:]]
    label_lines = {f"CREATE (n:Entity:{label.value})" for label in NodeLabel}
    assert label_lines <= set(creates)
    node_part = [c for c in creates if c.startswith("CREATE (n:")]
    assert creates[: len(node_part)] == node_part, "every node statement comes before claims"
    for claim_type in ClaimType:
        assert f"CREATE (a)-[r:{claim_type.value}]->(b)" in creates
    for statement in statements[1:]:
        rows = [line for line in statement.splitlines() if line.startswith("  {")]
        assert 1 <= len(rows) <= BATCH_ROWS
    assert script.rstrip().endswith(f"(nodes: {11 + FILLER_UNITS}, claims: {18 + FILLER_UNITS}).")


def test_batches_are_written_as_they_fill(tmp_path: Path) -> None:
    writer = CypherScriptWriter(tmp_path, META)
    for n in range(2 * BATCH_ROWS + 1):
        writer.node(_node(f"u-{n}", NodeLabel.UNIT, {"name": f"Fictional unit {n}"}))
    assert (tmp_path / "case.cypher").stat().st_size > 50_000  # not held back until close
    writer.claim(_claim("c-1", ClaimType.SUBORDINATE_TO, "u-1", "u-2"))
    with pytest.raises(RuntimeError, match="before the first claim"):
        writer.node(_node("u-late", NodeLabel.UNIT, {"name": "Fictional late unit"}))
    writer.close()
    statements = split_statements((tmp_path / "case.cypher").read_text())
    sizes = [sum(line.startswith("  {") for line in s.splitlines()) for s in statements[1:]]
    assert sizes == [BATCH_ROWS, BATCH_ROWS, 1, 1]


def test_a_value_without_a_literal_fails_the_export(tmp_path: Path) -> None:
    writer = CypherScriptWriter(tmp_path, META)
    with pytest.raises(ValueError):
        writer.node(_node("u-nan", NodeLabel.UNIT, {"name": "Fictional", "lat": math.nan}))
    writer.close()


def test_every_statement_passes_neo4j_linter(tmp_path: Path) -> None:
    # Without the filler: the linter takes seconds a 500-row statement, and the rows of
    # a batch are alike; every label, claim type and odd value is still there.
    script = write_script(tmp_path, sample_nodes(filler=2), sample_claims(filler=2))
    statements = split_statements(script)
    paths = []
    for n, statement in enumerate(statements):
        path = tmp_path / f"statement_{n:03d}.cypher"
        path.write_text(statement, encoding="utf-8")
        paths.append(path)
    # The whole file too, as cypher-shell reads it, and each literal on its own.
    whole = tmp_path / "whole.cypher"
    whole.write_text(script, encoding="utf-8")
    odd = tmp_path / "literals.cypher"
    odd.write_text(
        "RETURN "
        + cypher_literal(
            [INJECTION, TRICKY, EMOJI, 2.5e-05, 1e16, -(2**63), {"from": 1, "odd`key ü": 2}]
        )
        + " AS v;",
        encoding="utf-8",
    )
    problems = lint_cypher_files([*paths, whole, odd])
    assert len(problems) == len(statements) + 2
    assert {name: found for name, found in problems.items() if found} == {}


# --- the script on an empty engine -------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def empty_engine(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AsyncDriver]:
    """A fresh embedded engine of its own, not the session's database."""
    engine = EmbeddedEngine(
        EngineOptions(data_dir=tmp_path_factory.mktemp("empty-engine"), heap_mb=256, fsync=False)
    )
    await asyncio.to_thread(engine.start)
    try:
        async with AsyncGraphDatabase.driver(
            engine.uri, auth=(ROOT_USER, engine.password())
        ) as driver:
            yield driver
    finally:
        await asyncio.to_thread(engine.stop)


async def run_on(driver: AsyncDriver, statement: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = await driver.execute_query(
        statement, parameters_=params, database_=DATABASE_NAME
    )
    return [to_native(r.data()) for r in records]


def expected_node(node: NodeRecord) -> dict[str, Any]:
    props = {k: v for k, v in node.properties.items() if v is not None}
    props["id"] = node.id
    for name in ("created_at", "updated_at"):
        instant = getattr(node, name)
        if instant is not None:
            props[name] = utc_iso(instant)
    if isinstance(props.get("acquired_at"), dt.datetime):
        props["acquired_at"] = utc_iso(props["acquired_at"])
    return {"labels": sorted(["Entity", node.label.value]), "props": props}


def expected_claim(claim: ClaimRecord) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": claim.id,
        "date_precision": claim.date_precision.value,
        "confidence": claim.confidence.value,
        "evidence": claim.evidence,
        **claim.properties,
    }
    for name in ("valid_from", "valid_to"):
        if getattr(claim, name) is not None:
            props[name] = getattr(claim, name)
    for name in ("created_at", "updated_at"):
        if getattr(claim, name) is not None:
            props[name] = utc_iso(getattr(claim, name))
    if claim.retraction is not None:
        props["retracted_at"] = utc_iso(claim.retraction.at)
        props["retracted_by"] = claim.retraction.by
        props["retraction_reason"] = claim.retraction.reason
    return {"type": claim.type.value, "from": claim.from_id, "to": claim.to_id, "props": props}


@pytest.mark.slow
async def test_script_recreates_the_subgraph_on_an_empty_engine(
    empty_engine: AsyncDriver, script: str
) -> None:
    assert await run_on(empty_engine, "MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    statements = split_statements(script)
    for statement in statements:
        await run_on(empty_engine, statement.removesuffix(";"))

    rows = await run_on(
        empty_engine, "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
    )
    found = {r["props"]["id"]: {"labels": sorted(r["labels"]), "props": r["props"]} for r in rows}
    nodes = {n.id: expected_node(n) for n in sample_nodes()}
    assert len(rows) == len(nodes)
    assert found == nodes

    rows = await run_on(
        empty_engine,
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS from, b.id AS to, "
        "properties(r) AS props",
    )
    found = {r["props"]["id"]: r for r in rows}
    wanted = {c.id: expected_claim(c) for c in sample_claims()}
    assert len(rows) == len(wanted)
    assert found == wanted

    # Spelled out for the values most likely to go wrong.
    tricky = nodes["p-tricky"]["props"]
    assert tricky["name"] == TRICKY and tricky["aliases"][:2] == [ARABIC, EMOJI]
    assert found["c-retracted"]["props"]["retraction_reason"] == f"Wrong name;\n{INJECTION}"
    assert found["c-retracted"]["props"]["retracted_at"] == "2024-06-01T09:00:00Z"
    assert found["c-director"]["props"]["command"] is True
    assert found["c-member"]["props"]["valid_from"] == dt.date(2011, 4, 1)
    assert "valid_to" not in found["c-commanded"]["props"]

    # The unique constraint is in force: a second run stops at its first node.
    with pytest.raises(neo4j_errors.ConstraintError):
        await run_on(empty_engine, statements[1].removesuffix(";"))


@pytest.mark.slow
async def test_literals_read_back_unchanged(empty_engine: AsyncDriver) -> None:
    every_bmp = "".join(chr(i) for i in range(0x3000) if unicodedata.category(chr(i)) != "Cs")
    values: list[Any] = [
        None,
        True,
        -(2**63),
        2**63 - 1,
        0.1,
        -2.5e-300,
        1e16,
        INJECTION,
        TRICKY,
        ARABIC,
        EMOJI,
        every_bmp,
        "\\u0041 stays six characters",
        dt.date(2012, 2, 29),
        [ARABIC, [1, 2.5]],
        {"from": "a", "odd key`": {"to": [dt.date(2000, 1, 1)]}, "ü": "x"},
    ]
    rows = await run_on(empty_engine, f"RETURN {cypher_literal(values)} AS v")
    assert rows == [{"v": values}]


def test_every_character_is_escaped_by_its_category() -> None:
    """``cypher_string`` finds what to escape with one character class; every character
    of the Basic Multilingual Plane (and two beyond it) comes out as the rules say:
    control characters, line and paragraph separators, surrogates and bidirectional
    controls escaped, quote and backslash escaped, everything else as it is."""
    bidi = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    short = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    wrong = []
    for code in [*range(0x10000), 0x1F600, 0x10FFFF]:
        ch = chr(code)
        if ch in short:
            want = short[ch]
        elif unicodedata.category(ch) in {"Cc", "Zl", "Zp", "Cs"} or ch in bidi:
            want = f"\\u{code:04x}"
        else:
            want = ch
        if cypher_string(f"a{ch}b") != f"'a{want}b'":
            wrong.append(hex(code))
    assert not wrong, wrong[:20]
