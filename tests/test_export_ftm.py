"""The FollowTheMoney writer, read back as Aleph or another FtM tool would: no database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from followthemoney import model
from followthemoney.types import registry

from accountability.domain.vocabulary import ClaimType, Confidence, DatePrecision, NodeLabel
from accountability.services.exports.base import ExportMeta
from accountability.services.exports.ftm import CLAIM_SCHEMAS, FtmWriter
from accountability.services.records import ClaimRecord, NodeRecord, RetractionRecord

if TYPE_CHECKING:
    from followthemoney.schema import ValidationData

SHA = "3f" * 32
META = ExportMeta(
    scope="case",
    subject_id="k-1",
    title="Fictional case file",
    profile="court",
    exported_by="tester",
    role="prosecutor",
    exported_at=dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC),
    tool_version="test",
)


def node(node_id: str, label: NodeLabel, **props: Any) -> NodeRecord:
    return NodeRecord(id=node_id, label=label, properties=props, created_at=None, updated_at=None)


def claim(
    claim_id: str,
    claim_type: ClaimType,
    frm: str,
    to: str,
    valid_from: dt.date | None = dt.date(2012, 3, 1),
    valid_to: dt.date | None = None,
    evidence: tuple[str, ...] = ("e-1",),
    retraction: RetractionRecord | None = None,
    **props: Any,
) -> ClaimRecord:
    return ClaimRecord(
        id=claim_id,
        type=claim_type,
        from_id=frm,
        to_id=to,
        valid_from=valid_from,
        valid_to=valid_to,
        date_precision=DatePrecision.EXACT,
        confidence=Confidence.HIGH,
        evidence=list(evidence),
        retraction=retraction,
        created_at=None,
        updated_at=None,
        properties=props,
    )


# Fictional people, units and places only.
NODES = [
    node(
        "p-1",
        NodeLabel.PERSON,
        name="Karim Fictional",
        aliases=["كريم الخيالي", "K. Fictional"],
        birth_year=1968,
        gender="male",
        nationality="Syrian",
        protected=False,
    ),
    node(
        "p-2",
        NodeLabel.PERSON,
        name="Lina Imaginary",
        aliases=[],
        birth_year=1990,
        gender="female",
        nationality="Kurdish",
        status="died_in_custody",
        protected=False,
    ),
    # As a partner export hands it over: the name is already the pseudonym.
    node(
        "p-3",
        NodeLabel.PERSON,
        name="Witness W-17",
        aliases=[],
        birth_year=None,
        gender=None,
        nationality=None,
        status="released",
        protected=True,
        pseudonym="Witness W-17",
    ),
    node("p-4", NodeLabel.PERSON, name="Omar Madeup", gender="nonbinary", protected=False),
    node(
        "u-1",
        NodeLabel.UNIT,
        name="Branch 000 (fictional)",
        aliases=["الفرع الخيالي"],
        kind="branch",
        parent_name_hint="Fictional Directorate",
    ),
    node("u-2", NodeLabel.UNIT, name="Fictional Directorate", aliases=[], kind="directorate"),
    node(
        "f-1",
        NodeLabel.FACILITY,
        name="Fictional Detention Centre",
        aliases=["مركز الاحتجاز الخيالي"],
        kind="prison",
        location="Nowhere District, Imaginary City",
        lat=33.5,
        lon=36.3,
    ),
    node(
        "i-1",
        NodeLabel.INCIDENT,
        kind="enforced_disappearance",
        title=None,
        start_date=dt.date(2013, 1, 10),
        end_date=dt.date(2013, 2, 1),
        description="A fictional incident for tests.",
    ),
    node(
        "e-1",
        NodeLabel.EVIDENCE,
        kind="testimony",
        title="Statement of a fictional witness",
        sha256=SHA,
        source="Team A",
        acquired_at="2021-03-04T10:20:30Z",
        reliability="B",
        credibility=2,
        classification="confidential",
    ),
    node(
        "e-2",
        NodeLabel.EVIDENCE,
        kind="document",
        title="Protected evidence item",
        sha256=None,
        source=None,
        acquired_at=None,
        classification="protected",
    ),
    node("k-1", NodeLabel.CASE, title="Fictional case file", jurisdiction="Germany", status="open"),
]

RETRACTION = RetractionRecord(
    by="investigator-1",
    reason="wrong unit",
    at=dt.datetime(2023, 6, 1, 8, 0, tzinfo=dt.UTC),
)
CLAIMS = [
    claim(
        "c-member",
        ClaimType.MEMBER_OF,
        "p-1",
        "u-1",
        valid_to=dt.date(2014, 12, 31),
        evidence=("e-1", "e-2"),
        rank="Colonel",
        title="head of section",
    ),
    claim("c-command", ClaimType.COMMANDED, "p-4", "u-1"),
    claim("c-sub", ClaimType.SUBORDINATE_TO, "u-1", "u-2"),
    claim("c-operated", ClaimType.OPERATED, "u-1", "f-1"),
    claim("c-posted", ClaimType.POSTED_AT, "p-4", "f-1", role="director", command=True),
    claim("c-detained", ClaimType.DETAINED_AT, "p-2", "f-1", valid_from=None),  # undated
    claim("c-occurred", ClaimType.OCCURRED_AT, "i-1", "f-1"),
    claim("c-victim", ClaimType.VICTIM, "i-1", "p-2"),
    claim("c-perp", ClaimType.PERPETRATED, "p-1", "i-1"),
    claim("c-ordered", ClaimType.ORDERED, "p-4", "i-1"),
    claim("c-aided", ClaimType.AIDED, "u-2", "f-1", contribution="transfers"),
    claim("c-notified", ClaimType.NOTIFIED, "p-4", "i-1", how="a complaint by the family"),
    claim("c-control", ClaimType.EXERCISED_CONTROL, "p-4", "u-1", how="disciplined"),
    claim("c-measures", ClaimType.TOOK_MEASURES, "p-4", "f-1", how="investigation opened"),
    claim("c-documents", ClaimType.DOCUMENTS, "e-1", "i-1", valid_from=None),
    claim("c-includes", ClaimType.INCLUDES, "k-1", "i-1", valid_from=None, evidence=()),
    claim("c-includes-p3", ClaimType.INCLUDES, "k-1", "p-3", valid_from=None, evidence=()),
    claim("c-retracted", ClaimType.MEMBER_OF, "p-1", "u-2", retraction=RETRACTION, rank="Major"),
]


def export(folder: Path) -> list[dict[str, Any]]:
    writer = FtmWriter(folder, META)
    for n in NODES:
        writer.node(n)
    for c in CLAIMS:
        writer.claim(c)
    writer.close()
    text = (folder / "entities.ftm.json").read_text(encoding="utf-8")
    assert text.endswith("\n")
    # split("\n"), not splitlines(): JSON lines are separated by LF only.
    return [json.loads(line) for line in text[:-1].split("\n")]


def test_every_claim_type_has_a_mapping() -> None:
    assert set(CLAIM_SCHEMAS) == set(ClaimType)
    assert {c.type for c in CLAIMS} == set(ClaimType)


def test_file_is_valid_ftm(tmp_path: Path) -> None:
    entities = export(tmp_path)
    assert len(entities) == len(NODES) + len(CLAIMS)
    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities)
    assert [e["id"] for e in entities] == [n.id for n in NODES] + [c.id for c in CLAIMS]
    for data in entities:
        assert set(data) == {"id", "schema", "properties"}
        proxy = model.get_proxy(data, cleaned=False)
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract
        assert proxy.id == data["id"]
        for name, values in data["properties"].items():
            prop = schema.get(name)
            assert prop is not None, f"{data['schema']} has no property {name}"
            assert values and all(isinstance(v, str) and v for v in values)
            if prop.type is registry.entity:
                for ref in values:
                    assert ref in by_id, f"{data['id']}.{name} names missing {ref}"
                    target = model.get(by_id[ref]["schema"])
                    assert target is not None and prop.range is not None
                    assert target.is_a(prop.range), f"{ref} is not a {prop.range.name}"
        # Cleaning again drops or changes nothing: what we wrote is what a reader keeps.
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]
        schema.validate(cast("ValidationData", data))
        for required in schema.required:
            assert data["properties"].get(required), f"{data['id']} lacks {required}"


def test_nodes_map_to_their_schemas(tmp_path: Path) -> None:
    by_id = {e["id"]: e for e in export(tmp_path)}
    p1 = by_id["p-1"]
    assert p1["schema"] == "Person"
    assert p1["properties"]["alias"] == ["كريم الخيالي", "K. Fictional"]
    assert p1["properties"]["birthDate"] == ["1968"]
    assert p1["properties"]["gender"] == ["male"]
    assert p1["properties"]["nationality"] == ["sy"]
    p2 = by_id["p-2"]["properties"]
    assert p2["status"] == ["died in custody"]
    assert "nationality" not in p2 and "nationality: Kurdish" in p2["notes"]
    p3 = by_id["p-3"]["properties"]
    assert p3["name"] == ["Witness W-17"]
    assert set(p3) == {"name", "status", "notes"}
    assert "pseudonym" in p3["notes"][0]
    p4 = by_id["p-4"]["properties"]
    assert "gender" not in p4 and p4["notes"] == ["gender: nonbinary"]
    assert by_id["u-1"]["schema"] == "Organization"
    assert "Fictional Directorate" in by_id["u-1"]["properties"]["description"][0]
    f1 = by_id["f-1"]
    assert f1["schema"] == "Organization"
    assert f1["properties"]["address"] == ["Nowhere District, Imaginary City"]
    assert f1["properties"]["notes"] == ["coordinates: 33.5, 36.3"]
    i1 = by_id["i-1"]
    assert i1["schema"] == "Event"
    assert i1["properties"]["name"] == ["enforced disappearance 2013-01-10"]
    assert i1["properties"]["startDate"] == ["2013-01-10"]
    assert i1["properties"]["endDate"] == ["2013-02-01"]
    e1 = by_id["e-1"]
    assert e1["schema"] == "Document"
    assert e1["properties"]["title"] == ["Statement of a fictional witness"]
    assert e1["properties"]["publisher"] == ["Team A"]
    assert e1["properties"]["date"] == ["2021-03-04T10:20:30"]
    assert f"sha256:{SHA}" in e1["properties"]["notes"]
    assert "contentHash" not in e1["properties"]
    assert any(n.startswith("source reliability (Admiralty): B") for n in e1["properties"]["notes"])
    assert "publisher" not in by_id["e-2"]["properties"]
    k1 = by_id["k-1"]
    assert k1["schema"] == "Project"
    assert k1["properties"]["country"] == ["de"]
    assert k1["properties"]["status"] == ["open"]


def test_claims_map_to_links(tmp_path: Path) -> None:
    by_id = {e["id"]: e for e in export(tmp_path)}
    member = by_id["c-member"]
    assert member["schema"] == "Membership"
    mp = member["properties"]
    assert mp["member"] == ["p-1"] and mp["organization"] == ["u-1"]
    assert mp["role"] == ["Colonel", "head of section"]
    assert mp["startDate"] == ["2012-03-01"] and mp["endDate"] == ["2014-12-31"]
    assert mp["proof"] == ["e-1", "e-2"]
    assert "evidence: e-1, e-2" in mp["description"][0]
    assert "confidence: high" in mp["description"][0]
    assert "date precision: exact" in mp["description"][0]
    assert by_id["c-command"]["schema"] == "Directorship"
    assert by_id["c-command"]["properties"]["role"] == ["commander"]
    sub = by_id["c-sub"]
    assert sub["schema"] == "Membership"
    assert sub["properties"]["member"] == ["u-1"] and sub["properties"]["organization"] == ["u-2"]
    posted = by_id["c-posted"]
    assert posted["schema"] == "Employment"
    assert posted["properties"]["employee"] == ["p-4"]
    assert posted["properties"]["employer"] == ["f-1"]
    assert posted["properties"]["role"] == ["director", "command post"]
    documents = by_id["c-documents"]
    assert documents["schema"] == "Documentation"
    assert documents["properties"]["document"] == ["e-1"]
    assert documents["properties"]["entity"] == ["i-1"]
    victim = by_id["c-victim"]["properties"]
    assert by_id["c-victim"]["schema"] == "UnknownLink"
    assert victim["subject"] == ["i-1"] and victim["object"] == ["p-2"]
    assert victim["role"] == ["victim"]
    assert by_id["c-perp"]["properties"]["role"] == ["perpetrated"]
    assert "contribution: transfers" in by_id["c-aided"]["properties"]["description"][0]
    undated = by_id["c-detained"]["properties"]
    assert "startDate" not in undated and "endDate" not in undated
    assert "undated" in undated["description"][0]
    includes = by_id["c-includes"]["properties"]
    assert "proof" not in includes and "evidence: none" in includes["description"][0]
    retracted = by_id["c-retracted"]["properties"]
    assert retracted["status"] == ["retracted"]
    assert retracted["description"][0].startswith(
        "RETRACTED at 2023-06-01T08:00:00Z by investigator-1: wrong unit; claim: MEMBER_OF"
    )
    assert "status" not in mp


def test_arabic_script_is_written_as_is(tmp_path: Path) -> None:
    export(tmp_path)
    text = (tmp_path / "entities.ftm.json").read_text(encoding="utf-8")
    assert "كريم الخيالي" in text and "\\u" not in text


def test_an_empty_export_still_makes_the_file(tmp_path: Path) -> None:
    writer = FtmWriter(tmp_path, META)
    writer.close()
    assert (tmp_path / "entities.ftm.json").read_text(encoding="utf-8") == ""
