"""Elements figures: ``caseMatrix`` on a case of N entities (the export benchmark's case),
and ``notice`` and ``liabilityElements`` on sampled superior links of the trace graph."""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path

from accountability.bench.export_bench import FILL_ORDER
from accountability.bench.runner import percentile
from accountability.bench.trace_graph import chunks, trace_graph
from accountability.domain.liability import Mode
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings

ANALYST = Viewer("Fictional bench analyst", Role.ANALYST)


async def run(entities: int, scale: float, samples: int, folder: Path, heap_mb: int) -> None:
    settings = Settings(data_dir=folder / "data", db_uri=None, embedded_heap_mb=heap_mb)
    # As the export benchmark: a graph about twice the case, unless a scale is given.
    scale = scale or max(0.02, entities * 2 / 500_000 * 1.5)
    doc = trace_graph(scale)
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        t = time.perf_counter()
        for part in chunks(doc, 100_000):
            await services.interchange.import_document(SYSTEM, part)
        print(
            f"graph (scale {scale}): {len(doc['nodes']):,} nodes + {len(doc['claims']):,} "
            f"claims, imported in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        by_label: dict[str, list[str]] = {}
        for n in doc["nodes"]:
            by_label.setdefault(n["label"], []).append(n["id"])
        incidents = by_label["Incident"]
        del doc
        ids: list[str] = []
        for label in FILL_ORDER:
            ids += by_label.get(label.value, [])[: entities - len(ids)]
        await services.cases.create(SYSTEM, {"title": "Fictional benchmark case"}, "bench-case")
        for start in range(0, len(ids), 5000):
            await services.cases.add(SYSTEM, "bench-case", ids[start : start + 5000])
        # The case's persons are its accused: those the trace links to its incidents.
        in_case = [i for i in ids if i.startswith("ti-")][:200]
        traces = await services.tracing.trace_many(in_case, 6, SYSTEM)
        accused = sorted({link.person_id for r in traces.values() for link in r.links})
        await services.cases.add(SYSTEM, "bench-case", accused)
        counts = await services.cases.counts("bench-case", SYSTEM)
        print(
            f"case: {sum(counts.values()):,} entities "
            f"({', '.join(f'{v:,} {k.value}' for k, v in sorted(counts.items()))})",
            flush=True,
        )
        for viewer in (SYSTEM, ANALYST):
            t = time.perf_counter()
            matrix = await services.elements.matrix("bench-case", viewer)
            cells = sum(len(r.elements) for r in matrix.rows)
            print(
                f"caseMatrix as {viewer.role.value}: {time.perf_counter() - t:.1f} s — "
                f"{len(matrix.rows):,} links, {cells:,} elements",
                flush=True,
            )

        rng = random.Random(5)
        pairs: list[tuple[str, str]] = []
        for incident in rng.sample(incidents, min(len(incidents), samples * 3)):
            trace = await services.tracing.trace(incident, 6, SYSTEM)
            superiors = [
                link.person_id for link in trace.links if link.mode is Mode.SUPERIOR_RESPONSIBILITY
            ]
            if superiors:
                pairs.append((rng.choice(superiors), incident))
            if len(pairs) == samples:
                break
        for name, call in (
            ("notice", lambda p, i: services.notice.notice(p, i, SYSTEM)),
            (
                "liabilityElements (superior responsibility)",
                lambda p, i: services.elements.elements(p, i, Mode.SUPERIOR_RESPONSIBILITY, SYSTEM),
            ),
        ):
            took = []
            priors = 0
            for person, incident in pairs:
                t = time.perf_counter()
                found = await call(person, incident)
                took.append(time.perf_counter() - t)
                priors += len(getattr(found, "incidents", []))
            print(
                f"{name}, {len(pairs)} random superior links: p50 {percentile(took, 0.5):.0f} "
                f"ms, p95 {percentile(took, 0.95):.0f} ms, max {max(took) * 1000:.0f} ms"
                + (f" ({priors / len(pairs):.1f} prior incidents on average)" if priors else ""),
                flush=True,
            )
    finally:
        await db.close()


def main(entities: int, scale: float, samples: int, heap_mb: int, data_dir: Path | None) -> None:
    if data_dir is not None:
        asyncio.run(run(entities, scale, samples, data_dir, heap_mb))
        return
    with tempfile.TemporaryDirectory(prefix="bench-elements-") as tmp:
        asyncio.run(run(entities, scale, samples, Path(tmp), heap_mb))
