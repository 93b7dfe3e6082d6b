"""Export figures: a case file of N entities, exported as a full bundle (every format,
the brief tracing every incident in the case) and as the interchange JSON alone."""

from __future__ import annotations

import asyncio
import tempfile
import time
import zipfile
from pathlib import Path

from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.exports import bundle
from accountability.services.exports.service import Scope
from accountability.settings import Settings
from benchmarks.procs import CpuMeter, engine_pid
from benchmarks.runner import percentile
from benchmarks.trace_graph import trace_graph

PROSECUTOR = Viewer("Fictional bench prosecutor", Role.PROSECUTOR)
#: The labels a case of N entities is filled from, in this order.
FILL_ORDER = (
    NodeLabel.INCIDENT,
    NodeLabel.FACILITY,
    NodeLabel.UNIT,
    NodeLabel.EVIDENCE,
    NodeLabel.PERSON,
)


async def run(entities: int, folder: Path, heap_mb: int) -> None:
    settings = Settings(data_dir=folder / "data", db_uri=None, embedded_heap_mb=heap_mb)
    # A graph about twice the case, so the case is a real subgraph of it.
    doc = trace_graph(scale=max(0.02, entities * 2 / 500_000 * 1.5))
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        t = time.perf_counter()
        await services.interchange.import_document(SYSTEM, doc)
        print(
            f"graph: {len(doc['nodes']):,} nodes + {len(doc['claims']):,} claims, "
            f"imported in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        by_label: dict[str, list[str]] = {}
        for n in doc["nodes"]:
            by_label.setdefault(n["label"], []).append(n["id"])
        ids: list[str] = []
        for label in FILL_ORDER:
            ids += by_label.get(label.value, [])[: entities - len(ids)]
        await services.cases.create(SYSTEM, {"title": "Fictional benchmark case"}, "bench-case")
        t = time.perf_counter()
        for start in range(0, len(ids), 5000):
            await services.cases.add(SYSTEM, "bench-case", ids[start : start + 5000])
        counts = await services.cases.counts("bench-case", SYSTEM)
        print(
            f"case: {sum(counts.values()):,} entities "
            f"({', '.join(f'{v:,} {k.value}' for k, v in sorted(counts.items()))}), "
            f"added in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        del doc

        scope = Scope("case", "bench-case")
        engine = engine_pid(db)
        for name, out in (
            ("bundle, every format + brief", folder / "case.zip"),
            ("interchange JSON only", folder / "case.json"),
        ):
            # A lookup every 50 ms meanwhile, as the service's other users would make:
            # how long one waits is how long the export holds the process.
            waits: list[float] = []
            looking = asyncio.create_task(_lookups(services, ids[0], waits))
            meter = CpuMeter(engine)
            try:
                result = await services.exports.export(PROSECUTOR, scope, ExportProfile.COURT, out)
            finally:
                looking.cancel()
            cpu = meter.used()
            took = cpu.wall
            print(
                f"export {name}: {took:.1f} s — {result.nodes:,} nodes, {result.claims:,} "
                f"claims, {out.stat().st_size / 1e6:.1f} MB; a lookup meanwhile: p50 "
                f"{percentile(waits, 0.5):.0f} ms, p95 {percentile(waits, 0.95):.0f} ms, "
                f"at most {max(waits) * 1000:.0f} ms ({len(waits)} lookups)",
                flush=True,
            )
            # What bounds it: the CPU every process spent, against the machine's cores.
            print(f"  {cpu.line()}", flush=True)
        with zipfile.ZipFile(folder / "case.zip") as z:
            sizes = ", ".join(f"{i.filename} {i.file_size / 1e6:.1f} MB" for i in z.infolist())
        print(f"bundle files: {sizes}", flush=True)
        t = time.perf_counter()
        check = bundle.verify(folder / "case.zip")
        print(
            f"verify-bundle: {'ok' if check.ok else check.problems} in "
            f"{time.perf_counter() - t:.2f} s",
            flush=True,
        )
    finally:
        await db.close()


async def _lookups(services: Services, node_id: str, waits: list[float]) -> None:
    while True:
        t = time.perf_counter()
        await services.tracing.nodes.get_many([node_id], PROSECUTOR)
        waits.append(time.perf_counter() - t)
        await asyncio.sleep(0.05)


def main(entities: int, heap_mb: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        asyncio.run(run(entities, Path(tmp), heap_mb))
