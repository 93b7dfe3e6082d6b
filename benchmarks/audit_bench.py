"""Audit and auth figures: verifying a long audit chain, and what a token check costs."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from accountability.domain.audit import GENESIS, entry_hash
from accountability.domain.redaction import SYSTEM, Role
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx
from accountability.services.container import Services
from accountability.services.tokens import TokenService
from accountability.settings import Settings


def chain(n: int) -> list[dict[str, Any]]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry: dict[str, Any] = {
            "seq": seq,
            "at": "2026-01-01T00:00:00Z",
            "actor": "Fictional Investigator",
            "role": "investigator",
            "action": "add_claim",
            "targets": [f"c-{seq}", f"p-{seq % 997}", f"u-{seq % 89}"],
            "target_count": 3,
            "summary": "added a COMMANDED claim",
            "prev_hash": prev,
        }
        entry["hash"] = prev = entry_hash(entry, prev)
        entries.append(entry)
    return entries


async def run(n: int, folder: Path) -> None:
    settings = Settings(data_dir=folder, db_uri=None)
    db = Database(settings)
    await db.open()
    try:
        services = Services.over(db, settings)
        entries = chain(n)
        for start in range(0, n, 5000):

            async def fill(
                tx: Tx, part: list[dict[str, Any]] = entries[start : start + 5000]
            ) -> None:
                last = part[-1]
                await tx.run(Q.BENCH_FILL_AUDIT, rows=part, seq=last["seq"], hash=last["hash"])

            await db.write(fill)
        started = time.perf_counter()
        count, broken = await services.audit.verify()
        print(
            f"audit verify: {count:,} entries in {time.perf_counter() - started:.2f} s "
            f"({'intact' if broken is None else broken.reason})",
            flush=True,
        )

        _, token = await services.tokens.create(Role.ANALYST, "benchmark", SYSTEM)
        tokens = services.tokens
        samples = []
        for _ in range(2000):
            t = time.perf_counter()
            await tokens.authenticate(token)
            samples.append(time.perf_counter() - t)
        cached = statistics.median(samples[100:]) * 1e6
        tokens = TokenService(db, cache_s=0)
        samples = []
        for _ in range(500):
            t = time.perf_counter()
            await tokens.authenticate(token)
            samples.append(time.perf_counter() - t)
        print(
            f"token check per request: {cached:.1f} µs when cached (default, 5 s), "
            f"{statistics.median(samples) * 1000:.2f} ms when looked up",
            flush=True,
        )
    finally:
        await db.close()


def main(n: int) -> None:
    """Time verification of ``n`` chained audit entries, and token checks."""
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        asyncio.run(run(n, Path(tmp) / "data"))
