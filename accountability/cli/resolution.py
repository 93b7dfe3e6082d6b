"""``accountability duplicates``: persons that may be one, best first."""

from __future__ import annotations

from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.services.resolution.duplicates import DuplicateService, Verdict


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


def register(app: typer.Typer) -> None:
    app.command("duplicates")(list_duplicates)
    app.command("judge-duplicates")(judge)
