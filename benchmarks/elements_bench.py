"""Elements figures: ``caseMatrix`` on a case of N entities (the export benchmark's case),
and ``notice`` and ``liabilityElements`` on sampled superior links of the trace graph."""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from pathlib import Path

from accountability.domain.liability import Mode
from accountability.domain.redaction import SYSTEM, Role, Viewer
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings
from benchmarks.export_bench import FILL_ORDER
from benchmarks.runner import percentile
from benchmarks.trace_graph import chunks, trace_graph

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
        # The same marker the durability benchmark leaves: a graph of this scale imported
        # into this folder before (by either) is used again, not imported twice.
        marker = settings.data_dir / f"trace-graph-{scale}.imported"
        if marker.exists():
            print(f"graph (scale {scale}): reusing the one imported before", flush=True)
        else:
            t = time.perf_counter()
            for part in chunks(doc, 100_000):
                await services.interchange.import_document(SYSTEM, part)
            marker.touch()
            print(
                f"graph (scale {scale}): {len(doc['nodes']):,} nodes + "
                f"{len(doc['claims']):,} claims, imported in {time.perf_counter() - t:.1f} s",
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
        case = f"bench-case-{entities}-{int(time.time())}"
        await services.cases.create(SYSTEM, {"title": "Fictional benchmark case"}, case)
        for start in range(0, len(ids), 5000):
            await services.cases.add(SYSTEM, case, ids[start : start + 5000])
        # The case's persons are its accused: those the trace links to its incidents.
        in_case = [i for i in ids if i.startswith("ti-")][:200]
        traces = await services.tracing.trace_many(in_case, 6, SYSTEM)
        accused = sorted({link.person_id for r in traces.values() for link in r.links})
        await services.cases.add(SYSTEM, case, accused)
        counts = await services.cases.counts(case, SYSTEM)
        print(
            f"case: {sum(counts.values()):,} entities "
            f"({', '.join(f'{v:,} {k.value}' for k, v in sorted(counts.items()))})",
            flush=True,
        )
        for viewer in (SYSTEM, ANALYST):
            t = time.perf_counter()
            matrix = await services.elements.matrix(case, viewer)
            cells = sum(len(r.elements) for r in matrix.rows)
            print(
                f"caseMatrix as {viewer.role.value}: {time.perf_counter() - t:.1f} s — "
                f"{len(matrix.rows):,} links, {cells:,} elements",
                flush=True,
            )

        await link_figures(services, incidents, samples)
    finally:
        await db.close()


async def link_figures(services: Services, incidents: list[str], samples: int) -> None:
    """``notice`` and ``liabilityElements`` on random superior links of the graph."""
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


async def links_only(scale: float, samples: int, folder: Path, heap_mb: int) -> None:
    """Only the per-link figures, on a graph of this scale imported before into
    ``folder/data`` (by this benchmark or the durability one): no case is built."""
    settings = Settings(data_dir=folder / "data", db_uri=None, embedded_heap_mb=heap_mb)
    if not (settings.data_dir / f"trace-graph-{scale}.imported").exists():
        raise SystemExit(f"no graph of scale {scale} was imported into {settings.data_dir}")
    incidents = [n["id"] for n in trace_graph(scale)["nodes"] if n["label"] == "Incident"]
    db = Database(settings)
    await db.open()
    try:
        print(f"graph (scale {scale}): reusing the one imported before", flush=True)
        await link_figures(Services.over(db, settings), incidents, samples)
    finally:
        await db.close()


def main(entities: int, scale: float, samples: int, heap_mb: int, data_dir: Path | None) -> None:
    if data_dir is not None:
        asyncio.run(run(entities, scale, samples, data_dir, heap_mb))
        return
    with tempfile.TemporaryDirectory(prefix="bench-elements-") as tmp:
        asyncio.run(run(entities, scale, samples, Path(tmp), heap_mb))


if __name__ == "__main__":
    # python -m benchmarks.elements_bench SCALE SAMPLES DATA_DIR: the per-link
    # figures alone on a graph imported before (e.g. by bench --durability --data-dir).
    import sys

    asyncio.run(links_only(float(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), 1024))
