"""The current protected names, as a mask set; and the job that masks stored texts
again when those names change.

Every rendition records the version (``m_gen``) of the protected names it was masked
with. A change of the protected names (a person protected or unprotected, a protected
person's names or pseudonym changed, a reviewer's verdict) raises the version and the
floor in the same transaction; renditions older than the floor are then held back from
readers without clearance until this job has masked them again. So nothing masked with
old names is ever served, whichever process wrote it and however a crash cut the job."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from accountability.domain import renditions
from accountability.domain.masking import Decision, MaskSet, ProtectedName
from accountability.domain.nodes import DERIVED_PROPERTIES, SYSTEM_PROPERTIES
from accountability.domain.vocabulary import ClaimType, NodeLabel
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.graph.values import to_native

log = logging.getLogger("accountability.protection")
#: Records masked again per transaction.
BATCH = 500


@dataclass(frozen=True)
class RemaskReport:
    nodes: int
    claims: int
    seconds: float


def client_props(raw: dict[str, Any]) -> dict[str, Any]:
    """A node's stored properties without the ones the service derives or manages."""
    return {
        k: v
        for k, v in to_native(raw).items()
        if k not in DERIVED_PROPERTIES and k not in SYSTEM_PROPERTIES
    }


def node_rendition_props(
    label: NodeLabel, props: dict[str, Any], masks: MaskSet, gen: int
) -> dict[str, Any]:
    """The rendition properties to store on a node."""
    return renditions.render_node(label, props, masks).stored(gen)


def claim_rendition_props(
    claim_type: ClaimType, props: dict[str, Any], masks: MaskSet, gen: int
) -> dict[str, Any]:
    """The rendition properties to store on a claim (all null when it has no text)."""
    rendition = renditions.render_claim(claim_type, props, masks)
    if rendition is None:
        return {"m_props": None, "m_gen": None, "review": None, "review_open": None}
    stored = rendition.stored(gen)
    return {k: stored[k] for k in ("m_props", "m_gen", "review", "review_open")}


def protected_name(person_id: str, props: dict[str, Any]) -> ProtectedName | None:
    """What a person adds to the protected names: nothing unless protected."""
    if not props.get("protected"):
        return None
    names = (props.get("name"), *(props.get("aliases") or []))
    return ProtectedName(
        person_id=person_id,
        pseudonym=props.get("pseudonym") or "Protected person",
        names=tuple(str(n) for n in names if n),
    )


@dataclass(frozen=True)
class MaskView:
    """One version of the protected names."""

    gen: int
    people: dict[str, ProtectedName]
    decisions: tuple[Decision, ...]
    masks: MaskSet

    def overlaid(self, changes: dict[str, ProtectedName | None]) -> dict[str, ProtectedName]:
        """The protected names once these persons are written as given."""
        people = dict(self.people)
        for person_id, entry in changes.items():
            if entry is None:
                people.pop(person_id, None)
            else:
                people[person_id] = entry
        return people


class MaskService:
    """Loads the mask set of the current version (cached by version), raises the
    version when protected names change, and runs the re-masking job."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cached: MaskView | None = None
        self._job: asyncio.Task[RemaskReport] | None = None
        self._job_lock = asyncio.Lock()
        self._rules_checked = False

    async def floor(self) -> int:
        """The oldest rendition version that may be served, read now."""
        rows = await self.db.read(Q.MASK_STATE)
        return int(rows[0]["floor"]) if rows else 0

    async def current(self, tx: Tx) -> tuple[int, MaskSet]:
        """The version of the protected names and their mask set, read inside ``tx``."""
        view = await self.view(tx)
        return view.gen, view.masks

    async def view(self, tx: Tx) -> MaskView:
        """The current protected names, read inside ``tx`` (cached by version)."""
        rows = await tx.run(Q.MASK_STATE)
        gen = int(rows[0]["gen"]) if rows else 0
        if self._cached is None or self._cached.gen != gen:
            self._cached = await self._load(tx, gen)
        return self._cached

    @staticmethod
    async def _load(tx: Tx, gen: int) -> MaskView:
        people = {}
        for r in await tx.run(Q.MASKED_PEOPLE):
            entry = protected_name(r["id"], {**r, "protected": True})
            if entry is not None:
                people[entry.person_id] = entry
        decisions = tuple(
            Decision(person_id=r["person"], form=r["form"], accepted=bool(r["accepted"]))
            for r in await tx.run(Q.MENTION_DECISIONS)
        )
        return MaskView(gen, people, decisions, MaskSet.build(list(people.values()), decisions))

    async def for_write(
        self, tx: Tx, changes: dict[str, ProtectedName | None], now: str
    ) -> tuple[int, MaskSet, bool]:
        """The version and mask set to write with, inside the writing transaction, when
        these persons are written as given: when they change the protected names, the
        version is raised here, in the same transaction. Also says whether it was."""
        view = await self.view(tx)
        changed = {pid: entry for pid, entry in changes.items() if view.people.get(pid) != entry}
        if not changed:
            return view.gen, view.masks, False
        gen = await self.bump(tx, now)
        people = view.overlaid(changed)
        return gen, MaskSet.build(list(people.values()), view.decisions), True

    async def bump(self, tx: Tx, now: str) -> int:
        """Inside the transaction that changes the protected names: a new version, and
        every older rendition held back until masked again."""
        rows = await tx.run(Q.BUMP_MASK_STATE, now=now)
        self._cached = None
        return int(rows[0]["gen"])

    async def render_claims(self, tx: Tx, ids: list[str]) -> int:
        """Store the renditions of these claims afresh, inside ``tx`` (after their text
        changed, as a retraction adds a reason); the version they were made with."""
        gen, masks = await self.current(tx)
        rows = await tx.run(Q.GET_CLAIMS, ids=ids, public_only=False)
        await _set_claim_renditions(tx, self._claim_rows(rows, masks, gen))
        return gen

    async def catch_up(self, gen: int, changed: bool = False) -> None:
        """After a write that stored renditions made with version ``gen`` committed:
        when it changed the protected names, or another process did meanwhile (its job
        could not see this write's records), mask again now. Until then those records
        are held back, never served stale."""
        if changed or gen < await self.floor():
            await self.settle()

    @staticmethod
    def _claim_rows(rows: list[dict[str, Any]], masks: MaskSet, gen: int) -> list[dict[str, Any]]:
        return [
            {
                "id": row["id"],
                "props": claim_rendition_props(
                    ClaimType(row["type"]), to_native(row["props"]), masks, gen
                ),
            }
            for row in rows
        ]

    async def any_stale(self) -> bool:
        """Whether some rendition waits to be masked again."""
        rows = await self.db.read(Q.MASK_STATE)
        gen = int(rows[0]["gen"]) if rows else 0
        for query in (Q.STALE_NODES, Q.STALE_CLAIMS):
            if await self.db.read(query, gen=gen, limit=1):
                return True
        return False

    async def sweep(self, interval_s: float) -> None:
        """Forever: every ``interval_s``, mask again whatever waits. A write in another
        process that stopped between its commit and its own catch-up (a crash, a killed
        import) leaves records held back; this finds them."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                if await self.any_stale():
                    self.kick()
            except Exception:  # the database may be away a while; try again next time
                log.warning("re-masking sweep failed; will try again", exc_info=True)

    def kick(self) -> None:
        """Start the re-masking job in the background (once at a time)."""
        if self._job is None or self._job.done():
            self._job = asyncio.get_running_loop().create_task(self.remask())

    async def settle(self, timeout_s: float = 10.0) -> None:
        """After a change of the protected names: mask again in the background, and
        wait a while for it, so that on a graph of ordinary size the change is complete
        when the write returns (on a large one, the job goes on; old renditions stay
        held back until it is done)."""
        self.kick()
        assert self._job is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._job), timeout_s)

    async def remask(self, progress: Callable[[int], None] | None = None) -> RemaskReport:
        """Mask every rendition older than the current version again, a batch per
        transaction, until none is left. Safe to run in several processes at once and
        to resume after a crash: each batch is found by its old version."""
        async with self._job_lock:
            started = time.monotonic()
            if not self._rules_checked:
                # Once a process: older rules, and records from before renditions (every
                # write since stores one, so these scans need not be repeated).
                await self._check_rules()
                await self._stamp_legacy()
                self._rules_checked = True
            nodes = await self._drain(self._node_batch, progress)
            claims = await self._drain(self._claim_batch, progress)
            report = RemaskReport(nodes, claims, time.monotonic() - started)
            if nodes or claims:
                log.info(
                    "masked %d nodes and %d claims again in %.1f s", nodes, claims, report.seconds
                )
            return report

    async def _drain(
        self, batch: Callable[[Tx], Awaitable[int]], progress: Callable[[int], None] | None
    ) -> int:
        """Run one batch per transaction until a batch finds nothing; how many in all."""
        total = 0
        while done := await self.db.write(batch):
            total += done
            if progress:
                progress(done)
        return total

    async def _check_rules(self) -> None:
        """Renditions made by older rules are made again, as after a change of names."""

        async def check(tx: Tx) -> list[dict[str, Any]]:
            return await tx.run(Q.SET_MASK_RULES, rules=renditions.RULES, now=now_iso())

        if await self.db.write(check):
            self._cached = None

    async def _stamp_legacy(self) -> None:
        for query in (Q.STAMP_LEGACY_NODES, Q.STAMP_LEGACY_CLAIMS):

            async def stamp(tx: Tx, q: Q = query) -> list[dict[str, Any]]:
                return await tx.run(q, limit=BATCH * 10)

            while True:
                rows = await self.db.write(stamp)
                if not rows or int(rows[0]["stamped"]) == 0:
                    break

    async def _node_batch(self, tx: Tx) -> int:
        gen, masks = await self.current(tx)
        rows = await tx.run(Q.STALE_NODES, gen=gen, limit=BATCH)
        if not rows:
            return 0
        out = await asyncio.to_thread(self._node_rows, rows, masks, gen)
        await tx.run(Q.SET_NODE_RENDITIONS, rows=out)
        return len(out)

    @staticmethod
    def _node_rows(rows: list[dict[str, Any]], masks: MaskSet, gen: int) -> list[dict[str, Any]]:
        return [
            {
                "id": row["id"],
                "props": node_rendition_props(
                    NodeLabel(row["label"]), client_props(row["props"]), masks, gen
                ),
            }
            for row in rows
        ]

    async def _claim_batch(self, tx: Tx) -> int:
        gen, masks = await self.current(tx)
        rows = await tx.run(Q.STALE_CLAIMS, gen=gen, limit=BATCH)
        if not rows:
            return 0
        # Masking is CPU work: off the event loop.
        out = await asyncio.to_thread(self._claim_rows, rows, masks, gen)
        await _set_claim_renditions(tx, out)
        return len(out)


async def _set_claim_renditions(tx: Tx, rows: list[dict[str, Any]]) -> None:
    if rows:
        await tx.run(
            Q.SET_CLAIM_RENDITIONS,
            ids=[r["id"] for r in rows],
            renditions={r["id"]: r["props"] for r in rows},
        )
