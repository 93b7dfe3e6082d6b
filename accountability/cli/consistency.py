"""``accountability consistency``: the problems to resolve before a court sees the graph,
as a table or JSON; exit status 1 when there are any, so a script or CI job can gate on
it. Ids and dates only, whoever runs it."""

from __future__ import annotations

from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.domain.consistency import ProblemKind, Report
from accountability.domain.redaction import Viewer
from accountability.services.container import Services


def check_consistency(
    first: Annotated[int, typer.Option(help="List at most this many problems.")] = 200,
    kind: Annotated[
        list[ProblemKind] | None,
        typer.Option(help="Only problems of this kind (repeat for several)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Subordination cycles, overlapping commands, evidence acquired before the fact it
    documents, claims after a recorded death. Exit status 1 when any is found."""

    async def work(services: Services, viewer: Viewer) -> Report:
        return await services.consistency.check(first, viewer, kind)

    report = session.run(work)
    if as_json:
        render.print_json(report)
    else:
        render.table(
            ("kind", "problem", "claims"),
            ((p.kind.value, p.message, ", ".join(p.claim_ids)) for p in report.problems),
            title=f"Consistency: {len(report.problems)} problem(s)"
            + (" shown, more exist" if report.truncated else ""),
        )
        if report.truncated:
            render.footnote(
                "[yellow]The list is incomplete: more problems exist (raise --first), or "
                "the cycle search reached its bound.[/yellow]"
            )
    if report.problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("consistency")(check_consistency)
