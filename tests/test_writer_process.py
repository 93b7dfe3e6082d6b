"""The format writers' process (services/exports/writer_process.py): what it writes is
what the writers write; a child that failed, died or was left is never used again, and
writes nothing once its export has ended."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import SYSTEM
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.services.container import Services
from accountability.services.exports import writer_process
from accountability.services.exports.base import ClaimRecord, NodeRecord
from accountability.services.exports.service import Scope
from accountability.services.exports.writer_process import (
    LocalWriters,
    Writers,
    WritersFailed,
    writers_for,
)
from tests.builders import document, make_claim, make_node
from tests.test_export_ftm import META, claim, node


def _node(node_id: str, **props: Any) -> NodeRecord:
    return node(node_id, NodeLabel.UNIT, **props)


def _claim(claim_id: str, frm: str, to: str) -> ClaimRecord:
    return claim(claim_id, ClaimType.SUBORDINATE_TO, frm, to, evidence=())


def _gone(pid: int) -> bool:
    """Whether the process has ended (reaped, or a zombie nobody waited for yet)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return True


async def test_the_formats_are_written_by_a_child_kept_for_the_next_export(
    tmp_path: Path,
) -> None:
    # More records than one message holds, so that the child gets several.
    units = [_node(f"u-{n:05d}", name=f"Fictional unit {n}") for n in range(2500)]
    pids = []
    for run in ("one", "two"):
        folder = tmp_path / run
        folder.mkdir()
        async with await Writers.start(folder, META, ["InterchangeWriter"]) as writers:
            for unit in units:
                await writers.node(unit)
            await writers.claim(_claim("c-1", "u-00000", "u-00001"))
            files = await writers.close()
        pids.append(writers.pid)
        assert files == ["case.json"]
        written = json.loads((folder / "case.json").read_text(encoding="utf-8"))
        assert [n["id"] for n in written["nodes"]] == [u.id for u in units]
        assert [c["id"] for c in written["claims"]] == ["c-1"]
    assert pids[0] != os.getpid()
    assert pids[0] == pids[1]  # kept, not started again


async def test_a_child_grown_by_a_large_export_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_process, "KEEP_AFTER_RECORDS", 100)
    async with await Writers.start(tmp_path, META, ["InterchangeWriter"]) as large:
        for n in range(101):
            await large.node(_node(f"u-{n}", name="Fictional unit"))
        await large.close()
    assert _gone(large.pid)
    async with await Writers.start(tmp_path, META, ["InterchangeWriter"]) as small:
        for n in range(100):
            await small.node(_node(f"u-{n}", name="Fictional unit"))
        await small.close()
    assert small.pid != large.pid and not _gone(small.pid)


async def test_a_writer_failing_in_the_child_fails_the_export_and_the_child_goes(
    tmp_path: Path,
) -> None:
    writers = await Writers.start(tmp_path, META, ["InterchangeWriter"])
    async with writers:
        # A value no format can write (the importer never lets one in).
        await writers.node(_node("u-1", name={"a set"}))
        await writers.node(_node("u-2", name="Fictional unit"))
        with pytest.raises(WritersFailed) as failed:
            await writers.close()
    assert failed.value.code == "EXPORT_FAILED"
    assert failed.value.http_status == 500
    assert "set" not in failed.value.message  # what failed stays in the log
    assert _gone(writers.pid)
    again = await Writers.start(tmp_path / "..", META, [])
    async with again:
        assert await again.close() == []
    assert again.pid != writers.pid


async def test_a_child_that_died_fails_the_export(tmp_path: Path) -> None:
    writers = await Writers.start(tmp_path, META, ["InterchangeWriter"])
    async with writers:
        os.kill(writers.pid, signal.SIGKILL)
        with pytest.raises(WritersFailed) as failed:
            for n in range(3 * writer_process.CHUNK):
                await writers.node(_node(f"u-{n}", name="Fictional unit"))
            await writers.close()
    assert failed.value.code == "EXPORT_FAILED"


async def test_an_export_left_early_kills_its_child_before_the_folder_goes(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uid: Any
) -> None:
    case, unit, upper = uid("k"), uid("u"), uid("u2")
    await services.interchange.import_document(
        SYSTEM,
        document(
            [
                make_node(unit, "Unit", name="Fictional unit"),
                make_node(upper, "Unit", name="Fictional upper unit"),
            ],
            [make_claim(uid("c"), "SUBORDINATE_TO", unit, upper)],
        ),
    )
    await services.cases.create(SYSTEM, {"title": "Fictional case"}, case)
    await services.cases.add(SYSTEM, case, [unit, upper])
    started: list[Writers] = []
    start = Writers.start

    async def kept(*args: Any) -> Writers:
        started.append(await start(*args))
        return started[-1]

    feed = services.exports._feed

    async def feed_then_fail(*args: Any, **kwargs: Any) -> Any:
        await feed(*args, **kwargs)
        raise RuntimeError("cut short")

    monkeypatch.setattr(Writers, "start", kept)
    monkeypatch.setattr(services.exports, "_feed", feed_then_fail)
    out = tmp_path / "case.zip"
    with pytest.raises(RuntimeError):
        await services.exports.export(SYSTEM, Scope("case", case), ExportProfile.COURT, out)
    assert _gone(started[0].pid)
    assert os.listdir(tmp_path) == []
    await asyncio.sleep(0.2)  # were the child still writing, its files would show up now
    assert os.listdir(tmp_path) == []

    monkeypatch.setattr(services.exports, "_feed", feed)
    await services.exports.export(SYSTEM, Scope("case", case), ExportProfile.COURT, out)
    assert out.exists() and started[1].pid != started[0].pid


async def test_one_format_is_written_in_this_process(tmp_path: Path) -> None:
    # Nothing runs alongside a lone format: the crossing to a child would only cost.
    async with await writers_for(tmp_path, META, ["InterchangeWriter"]) as writers:
        assert isinstance(writers, LocalWriters)
        await writers.node(_node("u-1", name="Fictional unit"))
        assert await writers.close() == ["case.json"]
    assert json.loads((tmp_path / "case.json").read_text())["nodes"][0]["id"] == "u-1"


async def test_exports_at_once_get_a_child_each(tmp_path: Path) -> None:
    async def one(name: str) -> int:
        folder = tmp_path / name
        folder.mkdir()
        async with await Writers.start(folder, META, ["InterchangeWriter"]) as writers:
            for n in range(300):
                await writers.node(_node(f"{name}-{n:03d}", name=f"Fictional unit {n}"))
            assert await writers.close() == ["case.json"]
        written = json.loads((folder / "case.json").read_text(encoding="utf-8"))
        assert {n["id"][: len(name)] for n in written["nodes"]} == {name}
        assert len(written["nodes"]) == 300
        return writers.pid

    first, second = await asyncio.gather(one("a"), one("b"))
    assert first != second
    assert sum(not _gone(pid) for pid in (first, second)) == writer_process.KEEP_IDLE
