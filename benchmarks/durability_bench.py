"""Durability figures on the default engine heap (512 MB): the whole-graph export and
``audit verify`` at about 100,000 and 1,000,000 elements, and backup and restore of the
larger graph (with the latency of writes made while the backup runs).

The graphs are the trace benchmark's fictional detention network (``trace_graph``),
imported through the service; the audit chain is filled up to as many entries as the
graph has elements (precomputed entries, chained on from the head). With ``--data-dir``
both stay there and a later run reuses them (the 1M import takes a quarter of an hour).
Everyone in it is invented."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import resource
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from accountability.domain.audit import GENESIS, entry_hash
from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import SYSTEM
from accountability.domain.vocabulary import NodeLabel
from accountability.errors import AccountabilityError
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx
from accountability.services.backup import service as backups
from accountability.services.backup.service import BackupService
from accountability.services.container import Services
from accountability.services.exports.service import Scope
from accountability.settings import Settings
from benchmarks.runner import percentile
from benchmarks.trace_graph import trace_graph

Report = Callable[[str], None]
#: Trace-graph scales of about 100,000 and 1,000,000 nodes and claims.
SCALES = (0.16, 1.6)
#: Audit entries written per transaction when the chain is filled.
FILL_BATCH = 5000


def _entries(first: int, count: int, prev: str) -> Iterator[list[dict[str, Any]]]:
    """Chained entries ``first`` .. ``first + count - 1`` after ``prev``, a batch at a time."""
    batch: list[dict[str, Any]] = []
    for seq in range(first, first + count):
        entry: dict[str, Any] = {
            "seq": seq,
            "at": "2026-01-01T00:00:00Z",
            "actor": "Fictional Investigator",
            "role": "investigator",
            "action": "add_claim",
            "targets": [f"c-{seq}", f"p-{seq % 997}"],
            "target_count": 2,
            "summary": "added a COMMANDED claim",
            "prev_hash": prev,
        }
        entry["hash"] = prev = entry_hash(entry, prev)
        batch.append(entry)
        if len(batch) == FILL_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def fill_audit(db: Database, services: Services, total: int) -> int:
    """Chain entries on from the head until the log holds ``total``; how many were added."""
    seq, head = await services.audit.head()
    added = 0
    for batch in _entries(seq + 1, max(0, total - seq), head or GENESIS):

        async def fill(tx: Tx, rows: list[dict[str, Any]] = batch) -> None:
            last = rows[-1]
            await tx.run(Q.BENCH_FILL_AUDIT, rows=rows, seq=last["seq"], hash=last["hash"])

        await db.write(fill)
        added += len(batch)
    return added


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


async def timed_export(services: Services, out: Path) -> tuple[float, str, int, int]:
    """Seconds, SHA-256 of the file, nodes and claims of a whole-graph export (JSON)."""
    started = time.perf_counter()
    result = await services.exports.export(SYSTEM, Scope("graph"), ExportProfile.COURT, out)
    seconds = time.perf_counter() - started
    return seconds, await asyncio.to_thread(_sha256, out), result.nodes, result.claims


async def _graph(folder: Path, settings: Settings, scale: float, report: Report) -> None:
    """Import the graph into ``folder`` unless a run before did."""
    marker = folder / f"trace-graph-{scale}.imported"
    if marker.exists():
        report(f"reusing the graph imported before in {folder}")
        return
    doc = trace_graph(scale)
    report(
        f"importing {len(doc['nodes']):,} nodes + {len(doc['claims']):,} claims "
        f"(trace graph, scale {scale}) through the service"
    )
    db = Database(settings)
    await db.open()
    try:
        started = time.perf_counter()
        await Services.over(db, settings).interchange.import_document(SYSTEM, doc)
        report(f"import: {time.perf_counter() - started:.0f} s")
    finally:
        await db.close()
    marker.touch()


async def _writes_during(
    services: Services, work: Callable[[], Any], report: Report
) -> tuple[Any, list[float]]:
    """Run ``work`` while a writer creates units one at a time; its write latencies."""
    stop = asyncio.Event()
    latencies: list[float] = []

    async def writer() -> None:
        n = 0
        while not stop.is_set():
            started = time.perf_counter()
            await services.nodes.create(NodeLabel.UNIT, {"name": f"Fictional unit {n}"}, SYSTEM)
            latencies.append(time.perf_counter() - started)
            n += 1

    task = asyncio.create_task(writer())
    try:
        result = await work()
    finally:
        stop.set()
        await task
    return result, latencies


async def run_size(base: Path, scale: float, backup_too: bool, report: Report) -> None:
    """Export and audit verify at one size; with ``backup_too``, backup and restore."""
    folder = base / f"graph-{scale}"
    settings = Settings(data_dir=folder, db_uri=None)  # the default heap
    report(f"\n== trace graph at scale {scale}, engine heap {settings.embedded_heap_mb} MB ==")
    await _graph(folder, settings, scale, report)
    db = Database(settings)
    await db.open()
    scratch = Path(tempfile.mkdtemp(prefix="bench-durability-", dir=base))
    try:
        services = Services.over(db, settings)
        seconds, digest, nodes, claims = await timed_export(services, scratch / "graph.json")
        elements = nodes + claims
        size_mb = (scratch / "graph.json").stat().st_size / 1e6
        report(
            f"whole-graph export (interchange JSON, {size_mb:,.0f} MB): {nodes:,} nodes + "
            f"{claims:,} claims = {elements:,} elements in {seconds:.1f} s "
            f"({elements / seconds:,.0f}/s; peak RSS of this process {_rss_mb():,} MB)"
        )
        again, digest_again, _, _ = await timed_export(services, scratch / "again.json")
        report(
            f"export again: {again:.1f} s, "
            f"{'byte-identical' if digest_again == digest else 'DIFFERENT'} (sha256 {digest[:16]}…)"
        )
        started = time.perf_counter()
        added = await fill_audit(db, services, elements)
        if added:
            report(
                f"audit chain filled with {added:,} entries "
                f"in {time.perf_counter() - started:.0f} s"
            )
        started = time.perf_counter()
        count, broken = await services.audit.verify()
        report(
            f"audit verify: {count:,} entries in {time.perf_counter() - started:.1f} s "
            f"({'intact' if broken is None else broken.reason})"
        )
        if backup_too:
            await _backup_and_restore(db, services, settings, scratch, digest, report)
    finally:
        await db.close()
        shutil.rmtree(scratch, ignore_errors=True)


async def _backup_and_restore(
    db: Database,
    services: Services,
    settings: Settings,
    scratch: Path,
    digest: str,
    report: Report,
) -> None:
    archive = scratch / "backup.zip"
    await services.nodes.create(NodeLabel.UNIT, {"name": "Fictional warm-up"}, SYSTEM)
    _, before = await _writes_during(services, lambda: asyncio.sleep(3), report)
    started = time.perf_counter()
    done, during = await _writes_during(
        services, lambda: BackupService(db).backup(SYSTEM, archive), report
    )
    seconds = time.perf_counter() - started
    report(
        f"backup: {seconds:.1f} s, archive {archive.stat().st_size / 1e6:,.0f} MB, "
        f"audit head {done.audit_seq:,}; {len(during)} writes meanwhile, "
        f"p50 {percentile(during, 0.5):.1f} ms, max {max(during, default=0) * 1000:.0f} ms "
        f"(before it: p50 {percentile(before, 0.5):.1f} ms)"
    )
    started = time.perf_counter()
    checked = await backups.verify(archive)
    report(
        f"backup --verify: {time.perf_counter() - started:.1f} s "
        f"({'ok' if checked.ok else checked.problems[:2]})"
    )
    target = scratch / "restored"
    started = time.perf_counter()
    restored = await backups.restore(archive, settings.model_copy(update={"data_dir": target}))
    report(
        f"restore into an empty folder (unpack, start, audit verify of "
        f"{restored.audit_entries:,} entries, originals): {time.perf_counter() - started:.1f} s"
    )
    copy_settings = settings.model_copy(update={"data_dir": target})
    copy = Database(copy_settings)
    await copy.open()
    try:
        seconds, _, nodes, claims = await timed_export(
            Services.over(copy, copy_settings), scratch / "restored.json"
        )
    finally:
        await copy.close()
    added, lost = await asyncio.to_thread(
        _differences, scratch / "graph.json", scratch / "restored.json"
    )
    report(
        f"export of the restored graph: {nodes + claims:,} elements in {seconds:.1f} s; "
        f"against the export taken before the backup: {added} records more, all units "
        f"written meanwhile (the snapshot holds the first {added} of the "
        f"{len(before) + len(during) + 1} written), {lost} records lost or changed"
    )


def _differences(before: Path, after: Path) -> tuple[int, int]:
    """Records only in ``after`` that are units the benchmark's writer made, and every
    other record only in one of the two (lost or changed). Both files hold one record a
    line, nodes then claims, each in id order: compared as they stream."""

    def records(path: Path) -> Iterator[tuple[tuple[bool, str], str]]:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.startswith('{"id": '):
                    text = line.rstrip().rstrip(",")
                    record = json.loads(text)
                    yield ("from" in record, str(record["id"])), text

    added = lost = 0
    old, new = records(before), records(after)
    a, b = next(old, None), next(new, None)
    while a is not None or b is not None:
        if a is not None and b is not None and a == b:
            a, b = next(old, None), next(new, None)
        elif b is not None and (a is None or b[0] < a[0]):
            record = json.loads(b[1])
            made = record.get("label") == "Unit" and "Fictional" in str(
                record.get("properties", {}).get("name")
            )
            added, lost = (added + 1, lost) if made else (added, lost + 1)
            b = next(new, None)
        else:
            lost += 1
            a = next(old, None)
    return added, lost


async def recovery(base: Path, scale: float, report: Report) -> None:
    """Engine recovery after kill -9 on the larger graph: the engine is killed under a
    stream of writes; how long until a write is served again, how many writes failed
    meanwhile (fast, with DATABASE_UNAVAILABLE), and whether every acknowledged write is
    there after."""
    settings = Settings(data_dir=base / f"graph-{scale}", db_uri=None)
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        acked: list[str] = []

        async def write(n: int) -> None:
            record = await services.nodes.create(
                NodeLabel.UNIT, {"name": f"Fictional recovery unit {n}"}, SYSTEM
            )
            acked.append(record.id)

        for n in range(20):
            await write(n)
        engine = db.engine
        if engine is None or engine.process is None:
            report("engine recovery: no embedded engine to kill")
            return
        killed = time.perf_counter()
        os.kill(engine.process.pid, signal.SIGKILL)
        failed: list[float] = []
        n = len(acked)
        while True:
            started = time.perf_counter()
            try:
                await write(n)
                break
            except AccountabilityError:
                failed.append(time.perf_counter() - started)
                await asyncio.sleep(0.05)
            if time.perf_counter() - killed > 600:
                report("engine recovery after kill -9: not back within 600 s")
                return
        back = time.perf_counter() - killed
        found = await services.nodes.get_many(acked, SYSTEM)
        missing = len(acked) - len(found)
        slowest = max(failed, default=0.0) * 1000
        report(
            f"engine recovery after kill -9 (graph at scale {scale}): a write served again "
            f"{back:.1f} s after the kill; {len(failed)} writes meanwhile failed fast "
            f"(slowest answer {slowest:.0f} ms); {len(acked)} acknowledged writes, "
            f"{missing} missing after"
        )
    finally:
        await db.close()


def main(data_dir: Path | None) -> None:
    """Run the durability benchmark; with ``data_dir``, keep and reuse the graphs there."""

    def report(line: str) -> None:
        print(line, flush=True)

    async def everything(base: Path) -> None:
        for scale in SCALES:
            await run_size(base, scale, backup_too=scale == SCALES[-1], report=report)
        await recovery(base, SCALES[-1], report)

    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
        asyncio.run(everything(data_dir))
        return
    with tempfile.TemporaryDirectory(prefix="bench-durability-") as tmp:
        asyncio.run(everything(Path(tmp)))
