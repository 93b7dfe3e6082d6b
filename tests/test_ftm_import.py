"""FollowTheMoney entities in: a hand-written file with every supported schema, and our
own FtM export read back to the same graph."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from typer.testing import CliRunner

from accountability.cli import app
from accountability.domain.redaction import SYSTEM
from accountability.errors import ValidationFailed
from accountability.graph.catalog import Q
from accountability.services.container import Services
from accountability.services.exports.ftm import claim_entity, node_entity
from accountability.services.ingest.ftm import prepare_ftm
from accountability.services.ingest.mapping.service import MappingImport
from accountability.services.ingest.mapping.tables import InputFile
from accountability.services.records import ClaimRecord, NodeRecord, found_nodes
from accountability.settings import Settings
from tests.builders import REPO, document, make_claim, make_evidence, make_node, make_person

HAND_WRITTEN = REPO / "tests" / "data" / "ftm" / "fictional.ftm.jsonl"


def own_copy(tmp_path: Path, uid: Callable[[str], str]) -> Path:
    path = tmp_path / "fictional.ftm.jsonl"
    path.write_text(HAND_WRITTEN.read_text().replace('"ftm-', f'"{uid("ftm")}-'))
    return path


async def test_every_supported_schema_and_an_unknown_one_reported(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    path = own_copy(tmp_path, uid)
    importer = MappingImport(services.interchange)
    prepared, unsupported = await prepare_ftm(importer, [InputFile.read(path)], "t")
    assert unsupported == {"Vessel": 1}
    doc = prepared.compiled.document
    labels = sorted(n["label"] for n in doc["nodes"])
    # Organization, PublicBody and a marked facility; an Address is a facility too.
    assert labels == sorted(
        ["Person", "Person", "Unit", "Unit", "Facility", "Facility", "Incident", "Evidence"]
    )
    nodes = {n["id"].removeprefix(uid("ftm") + "-"): n["properties"] for n in doc["nodes"]}
    assert nodes["p-1"]["aliases"] == ["بسام القطان", "Bassam Kattan"]
    assert nodes["p-1"]["birth_year"] == 1966 and nodes["p-2"]["status"] == "disappeared"
    assert nodes["a-1"]["lat"] == 33.5 and nodes["o-3"]["kind"] == "prison"
    assert nodes["e-1"] == {
        "kind": "torture",
        "title": "Beating of a detainee",
        "start_date": "2013-06-01",
        "description": "A fictional account.",
    }
    claims = {c["id"].removeprefix(uid("ftm") + "-"): c for c in doc["claims"]}
    expect = {
        "m-1": ("SUBORDINATE_TO", "2011-01-01", None, "approximate", {}),
        "m-2": ("MEMBER_OF", "2010-01-01", "2012-05-31", "approximate", {"title": "clerk"}),
        "dir-1": ("COMMANDED", "2012-02-01", "2014-12-31", "approximate", {}),
        "emp-1": ("POSTED_AT", "2013-01-01", None, "approximate", {"role": "visiting officer"}),
        "occ-1": (
            "MEMBER_OF",
            "2012-06-01",
            None,
            "approximate",
            {"title": "Head of interrogation"},
        ),
        "doc-1": ("DOCUMENTS", None, None, "approximate", {}),
        "ul-1": ("OCCURRED_AT", None, None, "approximate", {}),
        "ul-2": ("VICTIM", None, None, "approximate", {}),
    }
    got = {
        k: (c["type"], c["valid_from"], c["valid_to"], c["date_precision"], c["properties"])
        for k, c in claims.items()
    }
    assert got == expect
    assert claims["occ-1"]["to"] == f"{uid('ftm')}-o-1"  # the position's organization
    assert claims["dir-1"]["evidence"] == [f"{uid('ftm')}-d-1"]
    report = await importer.run(SYSTEM, prepared)
    assert (report.nodes, report.claims) == (8, 8)


async def test_a_link_to_nothing_is_reported_by_line(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.ftm.jsonl"
    lines = [
        json.dumps({"id": uid("p"), "schema": "Person", "properties": {"name": ["Fictional X"]}}),
        "{not json",
        json.dumps({"id": uid("x"), "schema": "NoSuchSchema", "properties": {}}),
        json.dumps(
            {
                "id": uid("m"),
                "schema": "Directorship",
                "properties": {"director": [uid("p")], "organization": [uid("nowhere")]},
            }
        ),
    ]
    path.write_text("\n".join(lines) + "\n")
    importer = MappingImport(services.interchange)
    with pytest.raises(ValidationFailed) as exc:
        await prepare_ftm(importer, [InputFile.read(path)], "t")
    found = [f"{p.where}: {p.message}" for p in exc.value.problems]
    assert len(found) == 2 and found[0].startswith("bad.ftm.jsonl:2: not a FollowTheMoney")
    assert found[1].startswith("bad.ftm.jsonl:3: not a FollowTheMoney entity")
    # The dangling end is the interchange check's, at import, said by line.
    path.write_text("\n".join(lines[:1] + lines[3:]) + "\n")
    prepared, _ = await prepare_ftm(importer, [InputFile.read(path)], "t")
    with pytest.raises(ValidationFailed) as exc:
        await importer.run(SYSTEM, prepared)
    [problem] = [f"{p.where}: {p.message}" for p in exc.value.problems]
    assert problem.startswith("bad.ftm.jsonl:2: to: no node with id")


def fictional_graph(uid: Callable[[str], str]) -> dict[str, Any]:
    """Every label and claim type our FtM export writes, with the details it keeps."""
    tag = uid("")[1:9].translate(str.maketrans("0123456789", "ghijklmnop"))
    return document(
        [
            make_person(
                uid("p1"),
                name="Fictional Officer Jamil Rahhal",
                aliases=["جميل رحال", "Jameel Rahal"],
                birth_year=1960,
                gender="male",
                nationality="Fictionian",
            ),
            make_person(
                uid("p2"),
                # A name of this test alone: a protected name is masked in every text
                # of the shared test database.
                name=f"Zux{tag} Qx{tag}",
                protected=True,
                pseudonym="Witness F-4",
                status="released",
            ),
            make_node(uid("u1"), "Unit", name="Fictional Branch 7", kind="branch"),
            make_node(
                uid("u2"),
                "Unit",
                name="Fictional Directorate",
                aliases=["The Directorate"],
                parent_name_hint="Fictional Ministry",
            ),
            make_node(
                uid("f1"),
                "Facility",
                name="Fictional Cells",
                kind="branch",
                location="Fictional City",
                lat=33.5,
                lon=36.25,
            ),
            make_node(uid("f2"), "Facility", name="Fictional Annex"),
            make_node(
                uid("i1"),
                "Incident",
                kind="torture",
                start_date="2013-06-10",
                end_date="2013-06-12",
                description="Fictional account of a beating.",
            ),
            make_node(
                uid("i2"),
                "Incident",
                kind="enforced_disappearance",
                title="A fictional disappearance",
            ),
            make_evidence(
                uid("e1"),
                kind="testimony",
                sha256="ab" * 32,
                reliability="B",
                credibility=2,
                classification="protected",
                acquired_at="2020-01-02T03:04:05Z",
            ),
            make_node(
                uid("k1"),
                "Case",
                title="Fictional case",
                status="open",
                jurisdiction="Fictional court",
            ),
        ],
        [
            make_claim(
                uid("c1"),
                "MEMBER_OF",
                uid("p1"),
                uid("u1"),
                valid_from="2010-01-01",
                valid_to="2012-12-31",
                date_precision="exact",
                confidence="high",
                evidence=[uid("e1")],
                properties={"rank": "Colonel", "title": "Deputy head"},
            ),
            make_claim(
                uid("c2"),
                "COMMANDED",
                uid("p1"),
                uid("u1"),
                valid_from="2013-01-01",
                confidence="medium",
                evidence=[uid("e1")],
            ),
            make_claim(uid("c3"), "SUBORDINATE_TO", uid("u1"), uid("u2"), valid_from="2009-05-01"),
            make_claim(uid("c4"), "OPERATED", uid("u1"), uid("f1")),
            make_claim(
                uid("c5"),
                "POSTED_AT",
                uid("p1"),
                uid("f1"),
                valid_from="2013-02-01",
                properties={"role": "director", "command": True},
            ),
            make_claim(
                uid("c6"),
                "DETAINED_AT",
                uid("p2"),
                uid("f1"),
                valid_from="2013-06-01",
                valid_to="2013-09-01",
                date_precision="exact",
            ),
            make_claim(uid("c7"), "OCCURRED_AT", uid("i1"), uid("f1")),
            make_claim(uid("c8"), "VICTIM", uid("i1"), uid("p2"), evidence=[uid("e1")]),
            make_claim(uid("c9"), "PERPETRATED", uid("p1"), uid("i1"), confidence="high"),
            make_claim(uid("c10"), "ORDERED", uid("p1"), uid("i2")),
            make_claim(
                uid("c11"), "AIDED", uid("u2"), uid("f2"), properties={"contribution": "guards"}
            ),
            make_claim(uid("c12"), "DOCUMENTS", uid("e1"), uid("i1")),
            make_claim(uid("c13"), "INCLUDES", uid("k1"), uid("i1")),
            make_claim(uid("c14"), "MEMBER_OF", uid("p2"), uid("u2")),
        ],
    )


def comparable(doc: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A document as the graph holds it: ids without the test's prefix, no timestamps."""

    def strip(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(prefix, "")
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("created_at", "updated_at")}
        return value

    mine = [n for n in doc["nodes"] if n["id"].startswith(prefix)]
    claims = [c for c in doc["claims"] if c["id"].startswith(prefix)]
    return {
        "nodes": sorted((strip(n) for n in mine), key=lambda n: n["id"]),
        "claims": sorted((strip(c) for c in claims), key=lambda c: c["id"]),
    }


async def test_our_ftm_export_imports_back_to_the_same_graph(
    services: Services, uid: Callable[[str], str], tmp_path: Path
) -> None:
    from tests.exporting import whole_graph

    original = fictional_graph(uid)
    await services.interchange.import_document(SYSTEM, original)
    ids = [n["id"] for n in original["nodes"]]
    node_rows = found_nodes(
        await services.db.read(Q.GET_NODES, ids=ids, cleared=True, public_only=False)
    )
    claim_rows = await services.db.read(
        Q.GET_CLAIMS, ids=[c["id"] for c in original["claims"]], public_only=False
    )
    entities = [node_entity(NodeRecord.from_row(r)).to_dict() for r in node_rows]
    entities += [claim_entity(ClaimRecord.from_row(r)).to_dict() for r in claim_rows]
    for entity in entities:  # each line as FtM itself reads it
        model.get_proxy(entity)
    # The same entities under other ids, so that they are imported beside the originals.
    copy = f"x{uid('')}"
    text = "\n".join(json.dumps(e, ensure_ascii=False) for e in entities)
    path = tmp_path / "export.ftm.json"
    path.write_text(text.replace(uid(""), copy))
    importer = MappingImport(services.interchange)
    prepared, unsupported = await prepare_ftm(importer, [InputFile.read(path)], "t")
    assert not unsupported
    await importer.run(SYSTEM, prepared)
    graph = await whole_graph(services)
    back, there = comparable(graph, copy), comparable(graph, uid(""))
    assert back["nodes"]
    for section in ("nodes", "claims"):
        for a, b in zip(back[section], there[section], strict=True):
            assert a == b


async def test_the_command_line_imports_ftm(
    settings: Settings, uid: Callable[[str], str], tmp_path: Path
) -> None:
    path = own_copy(tmp_path, uid)
    env = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
    }
    runner = CliRunner()
    done = await asyncio.to_thread(
        lambda: runner.invoke(app, ["import", "--format", "ftm", str(path)], env=env)
    )
    assert done.exit_code == 0, done.output
    assert "imported 8 nodes and 8 claims" in done.stderr
    assert "not imported: Vessel 1" in done.stderr
