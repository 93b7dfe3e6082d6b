"""Uncertain mentions, for cleared reviewers: a word that may be a protected person's
name is masked and listed here; a verdict (it is them / it is not) is kept and applies
to that form everywhere, by masking every text again with it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from accountability.domain.redaction import Viewer
from accountability.errors import Forbidden, Problem, ValidationFailed
from accountability.graph.catalog import Q
from accountability.graph.database import Database, Tx, now_iso
from accountability.services import audit
from accountability.services.protection.masks import MaskService


@dataclass(frozen=True)
class MentionToReview:
    """One uncertain mention in one field of a record."""

    record_id: str
    record_kind: str  # a node's label or a claim's type
    field: str
    surface: str  # the words as written: shown to cleared reviewers only
    form: str
    person_ids: list[str]  # at most REVIEW_PERSONS of them
    persons_total: int


def require_reviewer(viewer: Viewer) -> None:
    if not viewer.cleared:
        raise Forbidden("reviewing mentions of protected persons needs clearance")


class ReviewService:
    def __init__(self, db: Database, masks: MaskService) -> None:
        self.db = db
        self.masks = masks

    async def open_items(self, viewer: Viewer, limit: int = 200) -> list[MentionToReview]:
        """Uncertain mentions waiting for a verdict, records in id order."""
        require_reviewer(viewer)
        out: list[MentionToReview] = []
        for query in (Q.REVIEW_NODES, Q.REVIEW_CLAIMS):
            for row in await self.db.read(query, limit=limit):
                for item in json.loads(row["review"] or "[]"):
                    out.append(
                        MentionToReview(
                            record_id=row["id"],
                            record_kind=row["kind"],
                            field=item["field"],
                            surface=item["surface"],
                            form=item["form"],
                            person_ids=list(item["persons"]),
                            persons_total=int(item.get("persons_total", len(item["persons"]))),
                        )
                    )
        if out:
            await self.db.write(
                lambda tx: audit.append(
                    tx,
                    viewer,
                    "read_protected",
                    sorted({m.record_id for m in out}),
                    f"read {len(out)} mentions to review",
                )
            )
        return out

    async def decide(self, viewer: Viewer, person_id: str, form: str, accepted: bool) -> None:
        """Record a verdict and mask every text again with it."""
        require_reviewer(viewer)
        if not form.strip():
            raise ValidationFailed.of([Problem("form", "name the form the verdict is about")])

        async def work(tx: Tx) -> None:
            now = now_iso()
            await tx.run(
                Q.RECORD_MENTION_DECISION,
                id=f"{person_id}|{form}",
                person=person_id,
                form=form,
                accepted=accepted,
                by=viewer.name,
                now=now,
            )
            # A verdict changes what is masked: a new version of the protected names.
            await self.masks.bump(tx, now)
            await audit.append(
                tx,
                viewer,
                "review_mention",
                [person_id],
                "accepted a mention" if accepted else "rejected a mention",
            )

        await self.db.write(work)
        await self.masks.remask()
