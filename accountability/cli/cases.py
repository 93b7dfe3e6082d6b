"""``accountability case create | add | add-trace | remove | list | show``: case files,
the entities a case gathers."""

from __future__ import annotations

from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.domain.redaction import Viewer
from accountability.domain.vocabulary import NodeLabel
from accountability.services import cursors
from accountability.services.cases import CaseChange
from accountability.services.container import Services
from accountability.services.nodes import NodeFilter

group = typer.Typer(no_args_is_help=True, help="Case files: the entities a case gathers.")
CaseId = Annotated[str, typer.Argument(help="The case's id.")]


def _report(change: CaseChange, verb: str, other: str) -> None:
    render.note(f"{verb} {len(change.changed)} entities ({len(change.unchanged)} {other})")
    for entity_id in change.changed:
        render.line(entity_id)


@group.command("create")
def case_create(
    title: Annotated[str, typer.Option(help="The case's title.")],
    jurisdiction: Annotated[str | None, typer.Option(help="Court or jurisdiction.")] = None,
    status: Annotated[str | None, typer.Option(help="e.g. open, filed, closed.")] = None,
    case_id: Annotated[str | None, typer.Option("--id", help="An id (default: generated).")] = None,
) -> None:
    """Create an empty case file and print its id."""
    props = {"title": title, "jurisdiction": jurisdiction, "status": status}
    props = {k: v for k, v in props.items() if v is not None}
    record = session.run(lambda s, viewer: s.cases.create(viewer, props, case_id))
    render.line(record.id)


@group.command("add")
def case_add(
    case_id: CaseId,
    ids: Annotated[list[str], typer.Argument(help="Entity ids; a claim id adds both ends.")],
) -> None:
    """Add entities to a case."""
    change = session.run(lambda s, viewer: s.cases.add(viewer, case_id, ids))
    _report(change, "added", "already in the case")


@group.command("add-trace")
def case_add_trace(
    case_id: CaseId,
    incident_id: Annotated[str, typer.Argument(help="The incident to trace.")],
    max_depth: Annotated[int, typer.Option(help="How far to climb command chains.")] = 6,
    leads: Annotated[
        bool, typer.Option("--leads", help="Also add persons only present (leads).")
    ] = False,
) -> None:
    """Add an incident, its place and victims, and everyone its trace links to it, with
    the nodes and evidence of each path."""
    change = session.run(
        lambda s, viewer: s.cases.add_from_trace(viewer, case_id, incident_id, max_depth, leads)
    )
    _report(change, "added", "already in the case")


@group.command("remove")
def case_remove(
    case_id: CaseId,
    ids: Annotated[list[str], typer.Argument(help="Entity ids to take out.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the retracted inclusion).")],
) -> None:
    """Take entities out of a case (the inclusion is retracted, and kept)."""
    change = session.run(lambda s, viewer: s.cases.remove(viewer, case_id, ids, reason))
    _report(change, "removed", "were not in the case")


@group.command("list")
def case_list() -> None:
    """Every case file with how many entities it holds."""

    async def work(s: Services, viewer: Viewer) -> list[tuple[str, str, str, str]]:
        page = await s.nodes.list(
            NodeLabel.CASE, NodeFilter(), "id", s.nodes.max_page_size, None, viewer
        )
        rows = []
        for record in page.items:
            counts = await s.cases.counts(record.id, viewer)
            p = record.properties
            rows.append(
                (
                    record.id,
                    str(p.get("title")),
                    str(p.get("status") or ""),
                    str(sum(counts.values())),
                )
            )
        return rows

    render.table(("id", "title", "status", "entities"), session.run(work))


async def _member_ids(s: Services, case_id: str, viewer: Viewer) -> list[str]:
    """Every entity of the case that the viewer may know of (a reader of public data
    does not learn that non-public evidence is there), page by page."""
    await s.cases.require_case(case_id)
    ids: list[str] = []
    after = None
    while True:
        page, more = await s.cases.member_page(case_id, None, s.nodes.max_page_size, after, viewer)
        ids += page
        if not more or not page:
            return ids
        after = cursors.encode(page[-1])


@group.command("show")
def case_show(case_id: CaseId) -> None:
    """The entities of a case, by label."""

    async def work(s: Services, viewer: Viewer) -> list[tuple[str, str, str]]:
        ids = await _member_ids(s, case_id, viewer)
        labels = await s.nodes.labels_of(ids)
        # As served to the viewer: a protected person by pseudonym, unless cleared (and
        # then the read is audited by the service).
        records = await s.nodes.get_many(ids, viewer)
        return sorted(
            (
                labels[i].value,
                i,
                records[i].display_name if i in records else "",
            )
            for i in ids
            if i in labels
        )

    render.table(("label", "id", "name"), session.run(work), title=f"Case {case_id}")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="case")
