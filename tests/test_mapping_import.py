"""Spreadsheets by a mapping: the example register end to end, every problem of a bad
file by file, row and column, idempotence, undo, dry run, masking of protected names."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from accountability.cli import app
from accountability.domain.mapping.compile import compile_tables
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.errors import ValidationFailed
from accountability.services.container import Services
from accountability.services.ingest.mapping.service import (
    MappingImport,
    Prepared,
    load_mapping,
    read_inputs,
)
from accountability.services.ingest.mapping.tables import read_tables
from accountability.settings import Settings
from tests.builders import REPO, document, make_claim, make_evidence, make_person

EXAMPLE = REPO / "examples" / "detention-register"
FILES = ["evidence.csv", "units.csv", "personnel.csv", "detentions.xlsx"]
VIEWER = Viewer("Fictional Viewer", Role.VIEWER)


def example_copy(tmp_path: Path, uid: Callable[[str], str]) -> Path:
    """The example with its own namespace, so that each test makes its own nodes."""
    folder = tmp_path / "register"
    shutil.copytree(EXAMPLE, folder)
    mapping = folder / "mapping.yml"
    text = mapping.read_text().replace("namespace: reg", f"namespace: {uid('reg')}")
    mapping.write_text(text.replace("prefix: reg-ev-", f"prefix: {uid('ev')}-"))
    # The protected detainee gets a name of this test alone: a protected name is masked
    # in every text of the shared test database.
    book = load_workbook(folder / "detentions.xlsx")
    for row in book["Detentions"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "Rana Haddad" in cell.value:
                cell.value = cell.value.replace("Rana Haddad", secret(uid))
    book.save(folder / "detentions.xlsx")
    return folder


def secret(uid: Callable[[str], str]) -> str:
    tag = uid("")[1:9].translate(str.maketrans("0123456789", "ghijklmnop"))
    return f"Ranx{tag} Hax{tag}"


async def prepare(services: Services, folder: Path, files: list[str] = FILES) -> Prepared:
    raw = (folder / "mapping.yml").read_bytes()
    mapping = load_mapping(raw.decode(), "mapping.yml")
    importer = MappingImport(services.interchange)
    return await importer.prepare(mapping, raw, read_inputs([folder / f for f in files]), "t")


def problems_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [f"{p.where}: {p.message}" for p in exc.value.problems]


def test_the_example_compiles_to_claims_as_the_register_says() -> None:
    mapping = load_mapping((EXAMPLE / "mapping.yml").read_text(), "mapping.yml")
    tables, problems = read_tables(mapping, read_inputs([EXAMPLE / f for f in FILES]))
    compiled, found = compile_tables(mapping, tables)
    assert problems == [] and found == []
    doc = compiled.document
    labels = [n["label"] for n in doc["nodes"]]
    # 4 datasets, 3 evidence items, 4 units, 5 officers, 4 detainees, 2 facilities, 3
    # incidents
    assert {k: labels.count(k) for k in set(labels)} == {
        "Evidence": 7,
        "Unit": 4,
        "Person": 9,
        "Facility": 2,
        "Incident": 3,
    }
    by_type: dict[str, list[dict[str, Any]]] = {}
    for claim in doc["claims"]:
        by_type.setdefault(claim["type"], []).append(claim)
    # Administrative parentage is not command structure.
    assert len(by_type["SUBORDINATE_TO"]) == 2
    open_ended = next(c for c in by_type["SUBORDINATE_TO"] if c["valid_to"] is None)
    assert (open_ended["valid_from"], open_ended["confidence"]) == ("2009-01-01", "high")
    # A month widens to its whole month; a real start makes the claim exact, unless a
    # date is partial.
    commands = sorted(by_type["COMMANDED"], key=lambda c: c["valid_from"])
    assert [(c["valid_from"], c["valid_to"], c["date_precision"]) for c in commands] == [
        ("2011-02-01", "2013-07-31", "approximate"),
        ("2011-03-01", "2014-06-30", "approximate"),
        ("2013-08-15", "2016-01-31", "exact"),
    ]
    deputy = next(
        c for c in by_type["MEMBER_OF"] if c["properties"].get("title") == "Deputy director"
    )
    assert deputy["properties"]["rank"] == "Brigadier General"
    # The same OPERATED link on several rows is one claim, citing what each row cites.
    assert len(by_type["OPERATED"]) == 2
    detained = {c["valid_from"]: c for c in by_type["DETAINED_AT"]}
    assert detained["2012-06-14"]["valid_to"] == "2013-03-02"
    assert all(any("dataset" in e for e in c["evidence"]) for c in doc["claims"])


async def test_the_example_imports_once_undoes_and_masks_a_protected_name(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    folder = example_copy(tmp_path, uid)
    importer = MappingImport(services.interchange)
    prepared = await prepare(services, folder)
    plan = await importer.dry_run(prepared)
    assert sum(plan.new_nodes.values()) == 25 and sum(plan.new_claims.values()) == 20
    assert not plan.changed_nodes and not plan.known_claims
    report = await importer.run(SYSTEM, prepared)
    assert (report.nodes, report.claims) == (25, 20)

    again = await prepare(services, folder)
    plan = await importer.dry_run(again)
    assert not plan.new_nodes and not plan.new_claims and not plan.changed_nodes
    assert sum(plan.known_claims.values()) == 20
    second = await importer.run(SYSTEM, again)
    assert second.run_id != report.run_id

    # Rana Haddad is protected: the other detainee's record, which names her, reaches a
    # viewer masked.
    doc = prepared.compiled.document
    name = secret(uid)
    incident = next(n["id"] for n in doc["nodes"] if name in n["properties"].get("description", ""))
    served = await services.nodes.get_many([incident], VIEWER)
    text = str(served[incident].properties)
    assert name.split()[1] not in text and "Last seen" in text

    await services.import_undo.undo(SYSTEM, second.run_id or "")
    await services.import_undo.undo(SYSTEM, report.run_id or "")
    left = await services.nodes.labels_of([n["id"] for n in doc["nodes"]])
    assert left == {}


BAD_PERSONNEL = """\
person_no,full_name,name_ar,other_spellings,birth_year,unit_code,role,rank,title,first_cited,first_is_start,last_cited,last_is_end,confidence,sources
P-001,Kareem al-Tahhan,,,1961,U-210,Commander,,,2011-02-31,Y,2013-07,N,3,E-01
P-002,Nabil Sarraf,,,nineteen,U-999,Chief,,,2014-01-01,N,2013-01-01,N,4,E-01
P-003,,,,1975,U-210,Member,,,2011,N,,N,2,E 01
"""


async def test_a_bad_file_is_reported_row_by_row_and_nothing_is_written(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    folder = example_copy(tmp_path, uid)
    (folder / "personnel.csv").write_text(BAD_PERSONNEL)
    with pytest.raises(ValidationFailed) as exc:
        await prepare(services, folder, ["evidence.csv", "units.csv", "personnel.csv"])
    found = problems_of(exc)
    expected = [
        "personnel.csv:2:first_cited: '2011-02-31' is not a date",
        "personnel.csv:3:birth_year: 'nineteen' is not a whole number",
        "personnel.csv:3:role: 'Chief' is not in the vocabulary",
        "personnel.csv:3:confidence: '4' is not a confidence",
        "personnel.csv:4:sources: 'E 01' is not an id",
        "personnel.csv:4:full_name: Person 'name' is empty",
        "personnel.csv:3:unit_code: no Unit has this key",
    ]
    for want in expected:
        assert any(f.startswith(want) for f in found), (want, found)
    # A missing column is named once, at the header.
    (folder / "units.csv").write_text("unit_code,unit_name\nU-1,Fictional Unit\n")
    with pytest.raises(ValidationFailed) as exc:
        await prepare(services, folder, ["units.csv"])
    assert "units.csv:1:kind: no such column in the header" in problems_of(exc)


async def test_every_problem_of_a_row_is_reported_not_the_first(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    folder = example_copy(tmp_path, uid)
    units = (folder / "units.csv").read_text()
    # A reversed range, a parent no file makes, and an evidence id nothing holds.
    units = units.replace("U-210,command,2011-03,2014-06", "U-299,command,2014-06,2011-03")
    (folder / "units.csv").write_text(units.replace("E-01;E-03", "E-01;E-77"))
    with pytest.raises(ValidationFailed) as exc:
        await prepare(services, folder, ["evidence.csv", "units.csv"])
    found = sorted(problems_of(exc))
    assert len(found) == 3, found
    assert found[0].startswith("units.csv:4:parent_code: no Unit has this key")
    assert found[1].startswith("units.csv:4:parent_to: 2011-03-31 is before the start")
    assert found[2].startswith("units.csv:4:sources: no evidence item with id")


async def test_the_interchange_import_reports_every_problem_of_a_claim(
    services: Services, uid: Callable[[str], str]
) -> None:
    doc = document(
        [make_person(uid("p")), make_evidence(uid("e"))],
        [
            make_claim(
                uid("c"),
                "MEMBER_OF",
                uid("p"),
                uid("no-unit"),
                valid_from="2013-01-01",
                valid_to="2012-01-01",
                evidence=[uid("e"), uid("no-evidence")],
            )
        ],
    )
    with pytest.raises(ValidationFailed) as exc:
        await services.interchange.validate(doc)
    found = problems_of(exc)
    assert len(found) == 3, found
    assert found[0].startswith("claims[0]: valid_to 2012-01-01 is before valid_from")
    assert found[1].startswith("claims[0].to: no node with id")
    assert found[2].startswith("claims[0].evidence[1]: no evidence item with id")


async def test_the_command_line_imports_by_mapping_with_a_dry_run(
    settings: Settings, uid: Callable[[str], str], tmp_path: Path
) -> None:
    folder = example_copy(tmp_path, uid)
    env = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
    }
    runner = CliRunner()

    async def cli(*args: str) -> Any:
        return await asyncio.to_thread(lambda: runner.invoke(app, list(args), env=env))

    files = [str(folder / f) for f in FILES]
    mapping = str(folder / "mapping.yml")
    dry = await cli("import", "--mapping", mapping, "--dry-run", *files)
    assert dry.exit_code == 0, dry.output
    assert "nodes to create: Evidence 7, Facility 2, Incident 3, Person 9, Unit 4" in dry.stdout
    assert "nothing was written" in dry.stdout
    done = await cli("import", "--mapping", mapping, *files)
    assert done.exit_code == 0, done.output
    assert "imported 25 nodes and 20 claims" in done.stderr
    (folder / "units.csv").write_text("unit_code,unit_name,kind\nU-1,,unit\n")
    bad = await cli("import", "--mapping", mapping, str(folder / "units.csv"))
    assert bad.exit_code == 1
    assert "units.csv:1:other_names: no such column in the header" in bad.stderr


def test_a_bad_mapping_is_reported_as_the_mappings() -> None:
    with pytest.raises(ValidationFailed) as exc:
        load_mapping("version: 1\nnamespace: x\nfiles: [\n", "m.yml")
    assert problems_of(exc)[0].startswith("m.yml:")
    text = """
version: 1
namespace: reg
files:
  - match: a.csv
    entities:
      - {name: person, label: Person, key: person_no, properties: {name: name}}
    claims:
      - {type: MEMBER_OF, from: person, to: unit}
"""
    with pytest.raises(ValidationFailed) as exc:
        load_mapping(text, "m.yml")
    assert "a claim names an unknown entity 'unit'" in problems_of(exc)[0]


def test_a_missing_sheet_and_an_unread_file_are_named(tmp_path: Path) -> None:
    mapping = load_mapping((EXAMPLE / "mapping.yml").read_text(), "mapping.yml")
    workbook = tmp_path / "detentions.xlsx"
    shutil.copy(EXAMPLE / "detentions.xlsx", workbook)
    stray = tmp_path / "notes.csv"
    stray.write_text("a,b\n1,2\n")
    renamed = mapping.model_copy(
        update={"files": [f.model_copy(update={"sheet": "Arrests"}) for f in mapping.files]}
    )
    _, problems = read_tables(renamed, read_inputs([workbook, stray]))
    found = [f"{p.where}: {p.message}" for p in problems]
    assert found == [
        "detentions.xlsx: no sheet 'Arrests' (sheets: Detentions)",
        "notes.csv: no block of the mapping reads it (evidence.csv, units.csv, "
        "personnel.csv, detentions.xlsx)",
    ]
