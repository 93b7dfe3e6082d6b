"""Security Force Monitor downloads (a fictional country in SFM's column layout): units,
command parentage over time, postings, sites, precision and confidence."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accountability.cli import app
from accountability.domain.redaction import SYSTEM
from accountability.errors import ValidationFailed
from accountability.services.container import Services
from accountability.services.ingest.mapping.service import (
    MappingImport,
    Prepared,
    load_mapping,
    read_inputs,
)
from accountability.services.ingest.sfm import prepare_rows, sfm_mapping_text
from accountability.settings import Settings
from tests.builders import REPO

FIXTURE = REPO / "tests" / "data" / "sfm"


def fixture_copy(tmp_path: Path) -> tuple[Path, str]:
    """The fixture with ids of its own (SFM ids are UUIDs: the first group is changed)."""
    tag = uuid.uuid4().hex[:8]
    folder = tmp_path / "sfm"
    shutil.copytree(FIXTURE, folder)
    for path in folder.iterdir():
        text = path.read_text().replace("5f0c1d2e-", f"{tag}-").replace("9a8b7c6d-", f"{tag}-")
        path.write_text(text)
    return folder, tag


async def prepare(services: Services, paths: list[Path]) -> Prepared:
    text = sfm_mapping_text()
    importer = MappingImport(services.interchange)
    return await importer.prepare(
        load_mapping(text, "sfm.yml"), text.encode(), read_inputs(paths), "sfm", prepare_rows
    )


def unit(tag: str, n: int) -> str:
    return f"sfm-unit-{tag}-0000-4000-8000-00000000000{n}"


def person(tag: str, n: int) -> str:
    return f"sfm-person-{tag}-0000-4000-8000-00000000010{n}"


async def test_units_parentage_postings_and_sites(services: Services, tmp_path: Path) -> None:
    folder, tag = fixture_copy(tmp_path)
    prepared = await prepare(services, [folder])
    doc = prepared.compiled.document
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes[unit(tag, 1)]["properties"]["aliases"] == ["1st Division", "الفرقة الأولى"]
    assert nodes[person(tag, 1)]["properties"]["aliases"] == ["أحمد الزياني", "Ahmed Zayani"]
    claims = {(c["type"], c["from"], c["to"], c["valid_from"]): c for c in doc["claims"]}

    # Only command parentage; the battalion moved from the brigade to the division.
    subordinate = sorted(
        (c["from"], c["to"], c["valid_from"], c["valid_to"], c["date_precision"], c["confidence"])
        for c in doc["claims"]
        if c["type"] == "SUBORDINATE_TO"
    )
    assert subordinate == sorted(
        [
            # a real start, open-ended: no end, exact
            (unit(tag, 2), unit(tag, 1), "2010-02-01", None, "exact", "high"),
            # first and last cited by month: widened, approximate, weakest confidence
            (unit(tag, 3), unit(tag, 2), "2011-05-01", "2013-02-28", "approximate", "medium"),
            # an exact end ("E")
            (unit(tag, 3), unit(tag, 1), "2013-03-01", "2015-06-30", "exact", "high"),
        ]
    )
    # A commander: a real start makes it exact, but the last cited month is partial.
    command = claims[("COMMANDED", person(tag, 1), unit(tag, 2), "2011-01-15")]
    assert (command["valid_to"], command["date_precision"], command["confidence"]) == (
        "2014-08-31",
        "approximate",
        "high",
    )
    exact = claims[("COMMANDED", person(tag, 3), unit(tag, 3), "2013-03-01")]
    assert (exact["valid_to"], exact["date_precision"], exact["confidence"]) == (
        "2015-06-30",
        "exact",
        "medium",
    )
    # Other roles are memberships with rank and title (the role when no title).
    deputy = claims[("MEMBER_OF", person(tag, 2), unit(tag, 2), "2012-01-01")]
    assert deputy["valid_to"] == "2013-12-31" and deputy["confidence"] == "low"
    assert deputy["properties"] == {"rank": "Colonel", "title": "Deputy Commander"}
    staff = claims[("MEMBER_OF", person(tag, 1), unit(tag, 1), "2014-09-01")]
    assert staff["valid_to"] is None and staff["confidence"] == "low"
    # A site: a facility with its coordinates, run by the unit over its cited period.
    [site] = [n for n in doc["nodes"] if n["label"] == "Facility"]
    assert site["properties"]["lat"] == 33.51 and site["properties"]["kind"] == "barracks"
    [operated] = [c for c in doc["claims"] if c["type"] == "OPERATED"]
    assert (operated["from"], operated["valid_from"], operated["valid_to"]) == (
        unit(tag, 2),
        "2010-01-01",
        "2016-12-31",
    )
    # Every claim cites the dataset item of its file, made with the file's SHA-256.
    datasets = {n["id"]: n for n in doc["nodes"] if n["label"] == "Evidence"}
    assert len(datasets) == 4
    assert all(len(c["evidence"]) == 1 and c["evidence"][0] in datasets for c in doc["claims"])
    assert all(d["properties"]["classification"] == "public" for d in datasets.values())

    report = await MappingImport(services.interchange).run(SYSTEM, prepared)
    assert report.claims == len(doc["claims"])
    chart = await services.nodes.labels_of([unit(tag, 1), person(tag, 3)])
    assert set(chart.values()) == {"Unit", "Person"}


async def test_a_parent_named_by_name_is_found_and_a_bad_date_is_located(
    services: Services, tmp_path: Path
) -> None:
    folder, tag = fixture_copy(tmp_path)
    parentage = next(folder.glob("parentage_*.csv"))
    text = parentage.read_text()
    # Some exports give the parent's name where its id belongs.
    given = f"{tag}-0000-4000-8000-000000000002,Fictional 12th Brigade,Fictionia,Command"
    text = text.replace(given, "Fictional 12th Brigade,,Fictionia,Command")
    parentage.write_text(text)
    prepared = await prepare(services, [folder / "basic_fictionia_2026-11-01.csv", parentage])
    assert any(
        c["from"] == unit(tag, 3) and c["to"] == unit(tag, 2)
        for c in prepared.compiled.document["claims"]
    )
    parentage.write_text(text.replace("2011-05,N,2013-02", "2011-13,N,2013-02"))
    with pytest.raises(ValidationFailed) as exc:
        await prepare(services, [parentage])
    [problem] = [f"{p.where}: {p.message}" for p in exc.value.problems]
    assert problem.startswith(
        f"{parentage.name}:4:unit:related_unit_first_cited_date: '2011-13' is not a date"
    )


async def test_the_command_line_reads_a_folder(settings: Settings, tmp_path: Path) -> None:
    folder, _ = fixture_copy(tmp_path)
    env = {
        "ACCOUNTABILITY_TOKEN": None,
        "ACCOUNTABILITY_DATA_DIR": str(settings.data_dir),
        "ACCOUNTABILITY_DB_URI": settings.db_uri,
    }
    runner = CliRunner()

    def cli(*args: str) -> Any:
        return runner.invoke(app, list(args), env=env)

    dry = await asyncio.to_thread(cli, "import", "--format", "sfm", "--dry-run", str(folder))
    assert dry.exit_code == 0, dry.output
    assert "claims to create: COMMANDED 2, MEMBER_OF 2, OPERATED 1, SUBORDINATE_TO 3" in dry.stdout
    done = await asyncio.to_thread(cli, "import", "--format", "sfm", str(folder))
    assert done.exit_code == 0, done.output
    assert "claims from 4 file(s)" in done.stderr
