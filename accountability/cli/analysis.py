"""``accountability trace | explain | chart | profile``: the analyses, as tables or JSON.
Names come from the graph as served to the command's viewer, so protected persons
appear by pseudonym unless the viewer is cleared (whose reads are then audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from accountability.cli import render, session
from accountability.domain.redaction import Viewer
from accountability.services.container import Services
from accountability.services.liability.charts import Chart
from accountability.services.liability.profiles import PersonProfile
from accountability.services.liability.trace import Explanation, TracePath, TraceResult

IncidentId = Annotated[str, typer.Argument(help="The incident's id.")]
PersonId = Annotated[str, typer.Argument(help="The person's id.")]
MaxDepth = Annotated[int, typer.Option(help="How far to climb command chains.")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


async def _names(services: Services, ids: set[str], viewer: Viewer) -> dict[str, str]:
    """What each of these nodes is called, as the viewer is served it (an id stays
    unnamed when the viewer may not know the node)."""
    records = await services.nodes.get_many(sorted(ids), viewer)
    return {i: r.display_name for i, r in records.items()}


def _path_words(path: TracePath, names: dict[str, str]) -> str:
    """A path as one line: node -[CLAIM from..to]- node …"""
    words = [names.get(path.nodes[0], path.nodes[0])]
    for claim, node in zip(path.claims, path.nodes[1:], strict=True):
        dates = ""
        if claim.valid_from or claim.valid_to:
            dates = f" {claim.valid_from or '?'}..{claim.valid_to or ''}"
        words.append(f"-[{claim.type.value}{dates}]- {names.get(node, node)}")
    return " ".join(words)


def _path_json(p: TracePath) -> dict[str, Any]:
    return {
        "certainty": p.certainty.value,
        "weakest_confidence": p.weakest_confidence.value,
        "corroborated": p.corroborated,
        "nodes": p.nodes,
        "claims": [c.id for c in p.claims],
        "evidence": p.evidence,
    }


def _trace_json(result: TraceResult, names: dict[str, str]) -> dict[str, Any]:
    # Flatter than the result itself: one object a link, with the person's name.
    return {
        "incident": result.incident.id,
        "period": [str(d) if d else None for d in (result.period.start, result.period.end)],
        "truncated": result.truncated,
        "missing": result.missing,
        "links": [
            {
                "person": link.person_id,
                "name": names.get(link.person_id),
                "mode": link.mode.value,
                **_path_json(link.path),
                # The strongest few: parallel claims can make thousands.
                "other_paths": [_path_json(o) for o in link.alternatives.page(0, 20)],
                "other_paths_total": link.alternatives.count,
            }
            for link in result.links
        ],
    }


def trace_incident(
    incident_id: IncidentId, max_depth: MaxDepth = 6, as_json: AsJson = False
) -> None:
    """Who is liable for an incident, by mode, with the path and evidence of each link."""

    async def work(services: Services, viewer: Viewer) -> tuple[TraceResult, dict[str, str]]:
        result = await services.tracing.trace(incident_id, max_depth, viewer)
        ids = {n for link in result.links for n in link.path.nodes}
        return result, await _names(services, ids, viewer)

    result, names = session.run(work)
    if as_json:
        render.print_json(_trace_json(result, names))
        return
    period = f"{result.period.start} to {result.period.end}" if result.period.start else "undated"
    render.table(
        ("person", "mode", "certainty", "confidence", "corroborated", "path", "evidence"),
        (
            (
                names.get(link.person_id, link.person_id),
                link.mode.value,
                link.path.certainty.value,
                link.path.weakest_confidence.value,
                "yes" if link.path.corroborated else "no",
                _path_words(link.path, names),
                ", ".join(link.path.evidence),
            )
            for link in result.links
        ),
        title=f"Trace of {incident_id} ({period})",
    )
    if result.truncated:
        render.footnote(
            f"[yellow]A command chain goes on above depth {max_depth}; "
            "raise --max-depth to follow it.[/yellow]"
        )


def explain_link(
    person_id: PersonId, incident_id: IncidentId, max_depth: MaxDepth = 6, as_json: AsJson = False
) -> None:
    """Every path between a person and an incident, and why it does or does not count."""

    async def work(services: Services, viewer: Viewer) -> tuple[Explanation, dict[str, str]]:
        result = await services.tracing.explain(person_id, incident_id, max_depth, viewer)
        ids = {n for e in result.paths for n in e.path.nodes}
        return result, await _names(services, ids, viewer)

    result, names = session.run(work)
    if as_json:
        render.print_json(result)
        return
    render.table(
        ("mode", "counts", "certainty", "path", "why not"),
        (
            (
                e.mode.value,
                "yes" if e.qualifies else "no",
                e.path.certainty.value,
                _path_words(e.path, names),
                "; ".join(e.reasons),
            )
            for e in result.paths
        ),
        title=f"{names.get(person_id, person_id)} and {incident_id}",
    )


def command_chart(
    node_id: Annotated[str, typer.Argument(help="A unit's id (or a facility's, with --facility).")],
    at: Annotated[str, typer.Option(help="The date, YYYY-MM-DD.")],
    facility: Annotated[bool, typer.Option(help="Chart a facility, not a unit.")] = False,
    as_json: AsJson = False,
) -> None:
    """Who commanded a unit, or ran a facility, on a date."""
    try:
        day = dt.date.fromisoformat(at)
    except ValueError:
        render.error(f"--at {at!r} is not a date like 2013-06-10")
        raise typer.Exit(1) from None

    async def work(services: Services, viewer: Viewer) -> tuple[Chart, dict[str, str]]:
        charts = services.charts
        chart = await (charts.facility_chart if facility else charts.unit_chart)(
            node_id, day, viewer
        )
        ids = {e.node_id for e in chart.entries} | {e.via for e in chart.entries if e.via}
        return chart, await _names(services, ids, viewer)

    chart, names = session.run(work)
    if as_json:
        render.print_json(chart)
        return
    render.table(
        ("role", "who or what", "of unit", "certainty", "from", "to", "evidence"),
        (
            (
                e.role,
                names.get(e.node_id, e.node_id),
                names.get(e.via, e.via) if e.via else "",
                e.certainty.value,
                str(e.claim.valid_from or "?"),
                str(e.claim.valid_to or ""),
                ", ".join(e.claim.evidence),
            )
            for e in chart.entries
        ),
        title=f"{chart.subject.display_name} on {day}",
    )


def person_profile(person_id: PersonId, max_depth: MaxDepth = 6, as_json: AsJson = False) -> None:
    """A person's roles over time and every incident they are linked to, by mode."""

    async def work(services: Services, viewer: Viewer) -> tuple[PersonProfile, dict[str, str]]:
        profile = await services.profiles.person_profile(person_id, max_depth, viewer)
        ids = {c.to_id for c in profile.roles} | {i.incident_id for i in profile.incidents}
        return profile, await _names(services, ids, viewer)

    profile, names = session.run(work)
    if as_json:
        render.print_json(profile)
        return
    render.table(
        ("role", "in", "from", "to", "precision", "evidence"),
        (
            (
                c.type.value,
                names.get(c.to_id, c.to_id),
                str(c.valid_from or "?"),
                str(c.valid_to or ""),
                c.date_precision.value,
                ", ".join(c.evidence),
            )
            for c in profile.roles
        ),
        title=profile.person.display_name,
    )
    render.table(
        ("mode", "incident", "date", "certainty", "confidence"),
        (
            (
                link.mode.value,
                names.get(link.incident_id, link.incident_id),
                str(link.period.start or "undated"),
                link.path.certainty.value,
                link.path.weakest_confidence.value,
            )
            for link in profile.incidents
        ),
        title="Incidents",
    )


def register(app: typer.Typer) -> None:
    app.command("trace")(trace_incident)
    app.command("explain")(explain_link)
    app.command("chart")(command_chart)
    app.command("profile")(person_profile)
