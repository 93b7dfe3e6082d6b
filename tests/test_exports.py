"""Case exports: each format read back by an independent reader, the bundle verified and
a tampered one rejected, and the leak scan over every profile and role."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
import pytest
from neo4j import AsyncDriver

from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.errors import Forbidden
from accountability.services import cursors
from accountability.services.container import Services
from accountability.services.exports import bundle
from accountability.services.exports.base import plain
from accountability.services.exports.i2_csv import ENTITY_COLUMNS, LINK_COLUMNS
from accountability.services.exports.service import Scope
from tests.builders import REPO
from tests.test_export_cypher import empty_engine, run_on, split_statements
from tests.test_leaks import protected_graph

__all__ = ["empty_engine"]  # a fixture: a fresh engine of its own for the Cypher script

PROSECUTOR = Viewer("Fictional prosecutor", Role.PROSECUTOR)
INVESTIGATOR = Viewer("Fictional investigator", Role.INVESTIGATOR)


@pytest.fixture
async def case(services: Services, uid: Callable[[str], str]) -> dict[str, Any]:
    """The protected trace scenario in a case file built from the incident's trace."""
    doc, protected, confidential = protected_graph(uid)
    await services.interchange.import_document(SYSTEM, doc)
    await services.cases.create(INVESTIGATOR, {"title": "Fictional case"}, uid("case"))
    await services.cases.add_from_trace(INVESTIGATOR, uid("case"), uid("i"))
    return {"id": uid("case"), "protected": protected, "confidential": confidential}


def _files(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        # manifest.sig is a raw signature, the rest text (tests/test_signing.py checks it).
        return {n: z.read(n).decode("utf-8-sig") for n in z.namelist() if n != bundle.SIGNATURE}


async def test_bundle_formats_read_back(
    services: Services, case: dict[str, Any], uid: Callable[[str], str], tmp_path: Path
) -> None:
    out = tmp_path / "case.zip"
    result = await services.exports.export(
        PROSECUTOR, Scope("case", case["id"]), ExportProfile.COURT, out
    )
    assert result.meta.profile == "court" and result.manifest_sha256
    check = bundle.verify(out)
    assert check.ok, check.problems
    files = _files(out)
    manifest = json.loads(files["manifest.json"])
    assert manifest["exported_by"] == {"name": "Fictional prosecutor", "role": "prosecutor"}
    assert {f["path"] for f in manifest["files"]} == set(files) - {"manifest.json"}

    # The interchange document: valid, and import(export) changes nothing.
    doc = json.loads(files["case.json"])
    schema = json.loads((REPO / "schema" / "interchange.schema.json").read_text())
    jsonschema.validate(doc, schema)
    ids = {n["id"] for n in doc["nodes"]}
    assert {uid("i"), uid("perp"), uid("c_exact"), uid("f"), uid("u"), case["id"]} <= ids
    assert uid("c_ended") not in ids  # not linked to the incident: not in the case
    assert any(c["type"] == "INCLUDES" for c in doc["claims"])
    await services.interchange.import_document(SYSTEM, doc)
    again = await services.exports.export(
        PROSECUTOR, Scope("case", case["id"]), ExportProfile.COURT, tmp_path / "again.json"
    )
    assert json.loads(again.path.read_text()) == doc

    # GraphML and GEXF through networkx.
    for name, read in (("graph.graphml", nx.read_graphml), ("graph.gexf", nx.read_gexf)):
        graph = read(io.BytesIO(files[name].encode()))
        assert set(graph.nodes) == ids, name
        assert graph.number_of_edges() == len(doc["claims"]), name
        commanded = [d for _, _, d in graph.edges(data=True) if d.get("claim_type") == "COMMANDED"]
        assert commanded and all("confidence" in d and "evidence" in d for d in commanded)
        assert any(d.get("valid_from") == "2012-01-01" for d in commanded), name
        assert graph.nodes[uid("perp")]["node_type"] == "Person"

    # i2 CSV through the csv module.
    entities = list(csv.DictReader(io.StringIO(files["i2/entities.csv"])))
    links = list(csv.DictReader(io.StringIO(files["i2/links.csv"])))
    assert tuple(entities[0]) == ENTITY_COLUMNS and tuple(links[0]) == LINK_COLUMNS
    assert {e["entity_id"] for e in entities} == ids
    assert all(link["from_id"] in ids and link["to_id"] in ids for link in links)
    assert any(link["evidence_ids"] and link["valid_from"] for link in links)

    # FollowTheMoney through its own model.
    from followthemoney import model

    proxies = [
        model.get_proxy(json.loads(line)) for line in files["entities.ftm.json"].splitlines()
    ]
    assert {p.id for p in proxies} >= ids

    # The brief through an HTML parser.
    brief = _Text()
    brief.feed(files["brief.html"])
    text = " ".join(brief.chunks)
    for mode in ("perpetration", "ordering", "aiding abetting", "superior responsibility"):
        assert mode in text, mode
    assert "commanded Fictional unit" in text
    assert "established" in text and "possible" in text
    evidence = {e["id"]: e for e in doc["nodes"] if e["label"] == "Evidence"}
    assert all(e["properties"].get("sha256", "none recorded") in text for e in evidence.values())
    assert brief.ids >= {f"person-{uid('perp')}", f"incident-{uid('i')}"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids |= {v for k, v in attrs if k == "id" and v}

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.chunks.append(data.strip())


async def test_tampered_bundle_rejected(
    services: Services, case: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "case.zip"
    await services.exports.export(PROSECUTOR, Scope("case", case["id"]), ExportProfile.COURT, out)
    files = _files(out)

    def rezip(name: str, change: Callable[[dict[str, bytes]], None]) -> Path:
        with zipfile.ZipFile(out) as z:
            content = {n: z.read(n) for n in z.namelist()}
        change(content)
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as z:
            for n, data in content.items():
                z.writestr(n, data)
        return path

    edited = rezip("edited.zip", lambda c: c.update({"brief.html": c["brief.html"] + b" "}))
    assert any("brief.html: SHA-256" in p for p in bundle.verify(edited).problems)
    dropped = rezip("dropped.zip", lambda c: c.pop("i2/links.csv"))
    assert bundle.verify(dropped).problems == ["i2/links.csv: listed in the manifest but missing"]
    extra = rezip("extra.zip", lambda c: c.update({"note.txt": b"added later"}))
    assert bundle.verify(extra).problems == ["note.txt: in the bundle but not in the manifest"]
    assert not bundle.verify(tmp_path / "nothing.zip").ok
    assert "manifest.json" in files


@pytest.mark.parametrize("profile", list(ExportProfile))
async def test_leak_scan_every_profile_and_role(
    services: Services, case: dict[str, Any], tmp_path: Path, profile: ExportProfile
) -> None:
    """No protected string in any file of a bundle unless the profile and the role are
    both cleared; then all of them are there (so the scan is known to reach them)."""
    pseudonyms = {"Witness L-1", "Witness L-2", "Victim L-3"}
    for role in Role:
        out = tmp_path / f"{role.value}.zip"
        result = await services.exports.export(
            Viewer(f"Fictional {role.value}", role), Scope("case", case["id"]), profile, out
        )
        text = "\n".join(_files(out).values())
        court = profile is ExportProfile.COURT and role in (Role.PROSECUTOR, Role.ADMIN)
        assert result.meta.profile == ("court" if court else result.meta.profile)
        if court:
            assert all(s in text for s in case["protected"] | case["confidential"])
            continue
        leaked = {s for s in case["protected"] if s.casefold() in text.casefold()}
        assert not leaked, (profile, role, leaked)
        assert not any(s in text for s in case["confidential"]), (profile, role)
        public = result.meta.profile == "public"
        assert public == (profile is ExportProfile.PUBLIC or role is Role.VIEWER)
        if public:
            assert not any(p in text for p in pseudonyms), (profile, role)
        else:
            assert "Witness L-1" in text  # pseudonymized, not dropped


async def test_export_is_audited_and_whole_graph_is_for_admins(
    services: Services, case: dict[str, Any], tmp_path: Path, uid: Callable[[str], str]
) -> None:
    out = tmp_path / "case.zip"
    result = await services.exports.export(
        PROSECUTOR, Scope("case", case["id"]), ExportProfile.COURT, out
    )
    seq, _ = await services.audit.head()
    [entry], _ = await services.audit.page(SYSTEM, 1, cursors.encode(str(seq - 1)))
    assert entry.action == "export" and entry.actor == "Fictional prosecutor"
    assert f"manifest sha256 {result.manifest_sha256}" in entry.summary
    assert case["id"] in entry.targets and uid("perp") in entry.targets  # revealed to court
    with pytest.raises(Forbidden, match="only an admin"):
        await services.exports.export(
            PROSECUTOR, Scope("graph"), ExportProfile.COURT, tmp_path / "all.json"
        )
    assert not (tmp_path / "all.json").exists()


def test_documented_columns_match_the_files() -> None:
    doc = (REPO / "docs" / "exports.md").read_text()
    for column in (*ENTITY_COLUMNS, *LINK_COLUMNS):
        assert f"`{column}`" in doc, column


@pytest.mark.slow
async def test_cypher_script_of_a_case_recreates_it(
    services: Services, case: dict[str, Any], tmp_path: Path, empty_engine: AsyncDriver
) -> None:
    """The bundle's script, run on an empty engine, gives back the nodes and claims of
    its interchange document."""
    out = tmp_path / "case.zip"
    await services.exports.export(PROSECUTOR, Scope("case", case["id"]), ExportProfile.COURT, out)
    files = _files(out)
    for statement in split_statements(files["case.cypher"]):
        await run_on(empty_engine, statement.removesuffix(";"))
    doc = json.loads(files["case.json"])
    rows = await run_on(
        empty_engine,
        "MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, labels(n) AS labels, "
        "properties(n) AS props",
        ids=[n["id"] for n in doc["nodes"]],
    )
    found = {r["id"]: r for r in rows}
    assert len(found) == len(doc["nodes"])
    for node in doc["nodes"]:
        assert sorted(found[node["id"]]["labels"]) == sorted(["Entity", node["label"]])
        props = {k: plain(v) for k, v in found[node["id"]]["props"].items()}
        assert {k: props.get(k) for k in node["properties"]} == node["properties"]
    rows = await run_on(
        empty_engine,
        "MATCH (a)-[r]->(b) WHERE r.id IN $ids RETURN r.id AS id, type(r) AS type, "
        "a.id AS from, b.id AS to, properties(r) AS props",
        ids=[c["id"] for c in doc["claims"]],
    )
    claims = {r["id"]: r for r in rows}
    assert len(claims) == len(doc["claims"])
    for claim in doc["claims"]:
        got = claims[claim["id"]]
        assert (got["type"], got["from"], got["to"]) == (claim["type"], claim["from"], claim["to"])
        assert plain(got["props"].get("valid_from")) == claim["valid_from"]
        assert got["props"]["evidence"] == claim["evidence"]
        assert got["props"]["confidence"] == claim["confidence"]
