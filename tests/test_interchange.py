"""Import and export of the interchange document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from accountability.domain.interchange import json_schema
from accountability.domain.redaction import SYSTEM
from accountability.errors import ValidationFailed
from accountability.services.container import Services
from accountability.services.ingest.interchange import InterchangeService
from tests.builders import document, make_claim, make_evidence, make_node, make_person
from tests.exporting import whole_graph


def sample(uid: Callable[[str], str]) -> dict[str, Any]:
    return document(
        [
            make_person(uid("p1"), name="Fictional Officer", aliases=["ضابط"], birth_year=1965),
            make_person(
                uid("p2"),
                name="Nahla Ghannoum",
                protected=True,
                pseudonym="V-1",
                status="disappeared",
            ),
            make_node(uid("u1"), "Unit", name="Fictional Unit", kind="branch"),
            make_node(uid("f1"), "Facility", name="Fictional Prison", lat=33.5, lon=36.3),
            make_node(uid("i1"), "Incident", kind="torture", start_date="2013-06-10"),
            make_evidence(
                uid("e1"),
                sha256="a" * 64,
                acquired_at="2019-02-03T10:00:00Z",
                reliability="B",
                credibility=2,
                classification="protected",
            ),
            make_node(uid("case"), "Case", title="Fictional case", jurisdiction="Universal"),
        ],
        [
            make_claim(
                uid("c1"),
                "COMMANDED",
                uid("p1"),
                uid("u1"),
                valid_from="2012-01-01",
                valid_to=None,
                date_precision="exact",
                confidence="high",
                evidence=[uid("e1")],
            ),
            make_claim(uid("c2"), "OPERATED", uid("u1"), uid("f1"), evidence=[uid("e1")]),
            make_claim(uid("c3"), "OCCURRED_AT", uid("i1"), uid("f1"), evidence=[uid("e1")]),
            make_claim(uid("c4"), "VICTIM", uid("i1"), uid("p2"), evidence=[uid("e1")]),
            make_claim(
                uid("c5"),
                "POSTED_AT",
                uid("p1"),
                uid("f1"),
                properties={"role": "director", "command": True},
                evidence=[uid("e1")],
            ),
            make_claim(
                uid("c6"),
                "MEMBER_OF",
                uid("p1"),
                uid("u1"),
                properties={"rank": "major"},
                evidence=[uid("e1")],
                retraction={"by": "editor", "reason": "wrong rank", "at": "2024-01-10T09:00:00Z"},
            ),
            make_claim(uid("c7"), "INCLUDES", uid("case"), uid("i1")),
        ],
    )


def only(doc: dict[str, Any], uid: Callable[[str], str]) -> dict[str, Any]:
    prefix = uid("")
    return {
        **doc,
        "nodes": [n for n in doc["nodes"] if n["id"].startswith(prefix)],
        "claims": [c for c in doc["claims"] if c["id"].startswith(prefix)],
    }


async def test_round_trip_is_exact(services: Services, uid: Callable[[str], str]) -> None:
    report = await services.interchange.import_document(SYSTEM, sample(uid))
    assert (report.nodes, report.claims) == (7, 7)
    first = only(await whole_graph(services), uid)
    jsonschema.validate(first, json_schema())
    assert len(first["nodes"]) == 7 and len(first["claims"]) == 7
    person = next(n for n in first["nodes"] if n["id"] == uid("p1"))
    assert person["properties"] == {
        "name": "Fictional Officer",
        "aliases": ["ضابط"],
        "birth_year": 1965,
        "protected": False,
    }
    victim = next(n for n in first["nodes"] if n["id"] == uid("p2"))
    assert victim["properties"]["name"] == "Nahla Ghannoum"  # exports are not redacted here
    c6 = next(c for c in first["claims"] if c["id"] == uid("c6"))
    assert c6["retraction"]["reason"] == "wrong rank"
    c1 = next(c for c in first["claims"] if c["id"] == uid("c1"))
    assert (c1["valid_from"], c1["valid_to"], c1["date_precision"]) == ("2012-01-01", None, "exact")

    await services.interchange.import_document(SYSTEM, first)
    second = only(await whole_graph(services), uid)
    assert second == first


async def test_import_is_idempotent(services: Services, uid: Callable[[str], str]) -> None:
    await services.interchange.import_document(SYSTEM, sample(uid))
    before = only(await whole_graph(services), uid)
    await services.interchange.import_document(SYSTEM, sample(uid))
    after = only(await whole_graph(services), uid)

    def strip(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in r.items() if k != "updated_at"} for r in doc["nodes"] + doc["claims"]
        ]

    assert strip(after) == strip(before)


async def test_bad_file_reports_every_problem_and_writes_nothing(
    services: Services, uid: Callable[[str], str]
) -> None:
    doc = sample(uid)
    doc["nodes"].append({"id": uid("bad1"), "label": "Person", "properties": {}})
    doc["nodes"].append({"id": uid("bad2"), "label": "Spaceship", "properties": {"name": "x"}})
    doc["nodes"].append(make_person(uid("p1"), name="Duplicate"))
    doc["claims"].append(make_claim(uid("bc1"), "COMMANDED", uid("u1"), uid("u1")))
    doc["claims"].append(make_claim(uid("bc2"), "VICTIM", uid("i1"), "nobody"))
    doc["claims"].append(make_claim(uid("bc3"), "VICTIM", uid("i1"), uid("p2"), evidence=["ghost"]))
    doc["claims"].append(
        make_claim(
            uid("bc4"),
            "ORDERED",
            uid("p1"),
            uid("i1"),
            valid_from="2014-01-01",
            valid_to="2013-01-01",
        )
    )
    with pytest.raises(ValidationFailed) as caught:
        await services.interchange.import_document(SYSTEM, doc)
    wheres = {p.where: p.message for p in caught.value.problems}
    assert "nodes[7].properties.name" in wheres
    assert "unknown label" in wheres["nodes[8].label"]
    assert "appears twice" in wheres["nodes[9].id"]
    assert "cannot start at a Unit" in wheres["claims[7].type"]
    assert "no node" in wheres["claims[8].to"]
    assert "no evidence item" in wheres["claims[9].evidence[0]"]
    assert "before valid_from" in wheres["claims[10]"]
    assert only(await whole_graph(services), uid)["nodes"] == []


async def test_a_stored_claim_is_never_overwritten(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, sample(uid))
    doc = sample(uid)
    doc["claims"][0]["valid_from"] = "2010-01-01"
    with pytest.raises(ValidationFailed, match="retract it and add a new one"):
        await services.interchange.import_document(SYSTEM, doc)


async def test_label_of_a_stored_node_cannot_change(
    services: Services, uid: Callable[[str], str]
) -> None:
    await services.interchange.import_document(SYSTEM, sample(uid))
    doc = document([make_node(uid("p1"), "Unit", name="Now a unit")], [])
    with pytest.raises(ValidationFailed, match="stored as a Person"):
        await services.interchange.import_document(SYSTEM, doc)


async def test_envelope_errors_are_reported(services: Services) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await services.interchange.import_document(SYSTEM, {"format": "other", "version": 2})
    wheres = {p.where for p in caught.value.problems}
    assert {"document.format", "document.version"} <= wheres


async def test_large_imports_commit_in_chunks_with_the_same_result(
    services: Services, uid: Callable[[str], str]
) -> None:
    chunked = InterchangeService(services.db, services.nodes, batch_size=2, tx_records=3)
    assert len(chunked._chunks(await chunked.validate(sample(uid)))) > 3
    await chunked.import_document(SYSTEM, sample(uid))
    exported = only(await whole_graph(services), uid)
    assert len(exported["nodes"]) == 7 and len(exported["claims"]) == 7
    retracted = [c["id"] for c in exported["claims"] if "retraction" in c]
    assert retracted == [uid("c6")]
