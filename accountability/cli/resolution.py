"""``accountability duplicates``: persons that may be one, best first."""

from __future__ import annotations

from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.services.container import Services
from accountability.services.resolution.duplicates import DuplicateService, Verdict
from accountability.services.resolution.merges import MergeService


def list_duplicates(
    label: Annotated[str, typer.Option(help="Only Person is matched so far.")] = "Person",
    first: Annotated[int, typer.Option(help="How many pairs, best first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """Candidate pairs of records that may be one person (other spellings, Arabic
    script), with a score and the reasons. Protected persons are left out unless the
    command's token is cleared."""
    if label != "Person":
        render.error("only --label Person is matched so far")
        raise typer.Exit(2)
    pairs = session.run(lambda s, viewer: DuplicateService(s.db, s.nodes).candidates(viewer, first))
    if as_json:
        render.print_json(
            [
                {
                    "a": p.candidate.a,
                    "b": p.candidate.b,
                    "a_name": p.a_name,
                    "b_name": p.b_name,
                    "score": p.candidate.score,
                    "reasons": list(p.candidate.reasons),
                }
                for p in pairs
            ]
        )
        return
    render.table(
        ("score", "a", "b", "reasons"),
        (
            (
                f"{p.candidate.score:.3f}",
                f"{p.a_name} ({p.candidate.a})",
                f"{p.b_name} ({p.candidate.b})",
                "; ".join(p.candidate.reasons),
            )
            for p in pairs
        ),
    )


def judge(
    a: Annotated[str, typer.Argument(help="One person's id.")],
    b: Annotated[str, typer.Argument(help="The other person's id.")],
    verdict: Annotated[Verdict, typer.Argument(help="same, different or unsure.")],
    note: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
) -> None:
    """Judge a candidate pair (stored and audited; the latest judgement stands). A pair
    judged different is not proposed again."""
    session.run(
        lambda s, viewer: DuplicateService(s.db, s.nodes).judge(viewer, a, b, verdict, note)
    )
    render.note(f"judged {a} and {b}: {verdict.value}")


def merge_persons(
    keep: Annotated[str | None, typer.Argument(help="The id of the person kept.")] = None,
    drop: Annotated[
        str | None, typer.Argument(help="The id of the person merged into it and removed.")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why the two are one person.")] = None,
    undo: Annotated[
        str | None, typer.Option("--undo", help="Undo this merge (its id) instead.")
    ] = None,
) -> None:
    """Merge two records of one person (investigators and up): every claim of DROP moves
    to KEEP with its id, DROP's names become aliases, the stricter protection wins, and
    DROP's id answers KEEP from then on. --undo MERGE_ID puts both back exactly."""
    if undo is not None:
        if keep or drop or reason:
            render.error("--undo takes a merge id alone")
            raise typer.Exit(2)
        done = session.run(lambda s, viewer: _merges(s).unmerge(viewer, undo))
        changed = f"; {len(done.changed_since)} of them changed since" if done.changed_since else ""
        render.note(
            f"undid merge {done.merge_id}: {done.drop_id} restored, "
            f"{done.moved_claims} claims moved back from {done.keep_id}{changed}"
        )
        return
    if not keep or not drop or reason is None:
        render.error("give KEEP and DROP and --reason (or --undo MERGE_ID)")
        raise typer.Exit(2)
    merged = session.run(lambda s, viewer: _merges(s).merge(viewer, keep, drop, reason))
    render.note(
        f"merged {merged.drop_id} into {merged.keep_id} as {merged.merge_id}: "
        f"{merged.moved_claims} claims and {merged.moved_links} evidence links moved "
        f"(undo: accountability merge-persons --undo {merged.merge_id})"
    )


def _merges(s: Services) -> MergeService:
    return MergeService(s.db, s.nodes, s.masks)


def register(app: typer.Typer) -> None:
    app.command("duplicates")(list_duplicates)
    app.command("judge-duplicates")(judge)
    app.command("merge-persons")(merge_persons)
