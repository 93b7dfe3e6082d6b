"""``accountability elements show | notice | matrix | patterns``: the elements of
liability of a link, what a person had reason to know, a case's evidence matrix, and the
contextual element's figures. Names are served as to the command's viewer (protected
persons by pseudonym unless cleared)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from accountability.cli import render, session
from accountability.cli.analysis import _names
from accountability.domain.elements import Assessment
from accountability.domain.liability import Mode
from accountability.domain.patterns import PatternGroup
from accountability.domain.redaction import Viewer
from accountability.services.container import Services
from accountability.services.exports.i2_csv import FORMULA_STARTS
from accountability.services.liability.elements import CaseMatrix
from accountability.services.liability.notice import Notice

group = typer.Typer(
    no_args_is_help=True, help="Elements of liability: notice, element statuses, case matrix."
)
PersonId = Annotated[str, typer.Argument(help="The person's id.")]
IncidentId = Annotated[str, typer.Argument(help="The incident's id.")]
MaxDepth = Annotated[int, typer.Option(help="How far to climb command chains.")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]

#: The columns of a matrix as CSV (docs/exports.md, "matrix.csv").
MATRIX_COLUMNS = (
    "person_id",
    "person",
    "incident_id",
    "mode",
    "part",
    "element",
    "status",
    "basis",
    "claim_ids",
    "evidence_ids",
    "note",
)


def _assessment_json(a: Assessment) -> dict[str, Any]:
    return {
        "element": a.element,
        "part": a.part.value,
        "basis": a.basis,
        "status": a.status.value,
        "claims": [c.id for c in a.claims],
        "evidence": a.evidence,
        "note": a.note,
    }


@group.command("show")
def elements_show(
    person_id: PersonId,
    incident_id: IncidentId,
    mode: Annotated[Mode, typer.Option(help="The mode of liability.")],
    max_depth: MaxDepth = 6,
    as_json: AsJson = False,
) -> None:
    """Every element of one link (person, incident, mode), with its status and basis."""
    found = session.run(
        lambda s, viewer: s.elements.elements(person_id, incident_id, mode, viewer, max_depth)
    )
    if as_json:
        render.print_json([_assessment_json(a) for a in found])
        return
    render.table(
        ("part", "element", "status", "basis", "claims", "note"),
        (
            (
                a.part.value,
                a.element,
                a.status.value,
                a.basis,
                ", ".join(c.id for c in a.claims),
                a.note,
            )
            for a in found
        ),
        title=f"{person_id}, {incident_id}, {mode.value}",
    )


@group.command("notice")
def elements_notice(
    person_id: PersonId, incident_id: IncidentId, max_depth: MaxDepth = 6, as_json: AsJson = False
) -> None:
    """Prior incidents under the person's command and notifications before the incident."""
    found: Notice = session.run(
        lambda s, viewer: s.notice.notice(person_id, incident_id, viewer, max_depth)
    )
    notifications = [
        {"id": c.id, "to": c.to_id, "valid_from": str(c.valid_from), "how": c.props.get("how")}
        for c in found.notifications
    ]
    first = str(found.first_prior) if found.first_prior else None
    if as_json:
        render.print_json(
            {
                "prior_incidents": len(found.incidents),
                "prior_deaths": found.deaths,
                "first_prior": first,
                "incidents": list(found.incidents),
                "notifications": notifications,
            }
        )
        return
    render.note(
        f"{len(found.incidents)} prior incident(s), {found.deaths} death(s), first {first or '-'}"
    )
    render.table(
        ("notification", "about", "received", "how"),
        (
            (str(n["id"]), str(n["to"]), str(n["valid_from"]), str(n["how"] or ""))
            for n in notifications
        ),
        title="Notifications before the incident ended",
    )


def matrix_rows(matrix: CaseMatrix, names: dict[str, str]) -> list[dict[str, str]]:
    """The matrix as flat rows, one an element, in the matrix's order (gaps first)."""
    return [
        {
            "person_id": r.person_id,
            "person": names.get(r.person_id, r.person_id),
            "incident_id": r.incident_id,
            "mode": r.mode.value,
            "part": a.part.value,
            "element": a.element,
            "status": a.status.value,
            "basis": a.basis,
            "claim_ids": "; ".join(c.id for c in a.claims),
            "evidence_ids": "; ".join(a.evidence),
            "note": a.note,
        }
        for r in matrix.rows
        for a in r.elements
    ]


@group.command("matrix")
def elements_matrix(
    case_id: Annotated[str, typer.Argument(help="The case's id.")],
    max_depth: MaxDepth = 6,
    out: Annotated[
        Path | None,
        typer.Option("--csv", help="Write the matrix as CSV to this file ('-': stdout)."),
    ] = None,
) -> None:
    """A case's evidence matrix: each person x incident x mode x element, gaps first."""

    async def work(s: Services, viewer: Viewer) -> list[dict[str, str]]:
        matrix = await s.elements.matrix(case_id, viewer, max_depth)
        names = await _names(s, {r.person_id for r in matrix.rows}, viewer)
        return matrix_rows(matrix, names)

    rows = session.run(work)
    if out is not None:
        if str(out) == "-":
            _write_csv(rows, sys.stdout)
        else:
            with out.open("w", encoding="utf-8", newline="") as f:
                _write_csv(rows, f)
            render.note(f"wrote {len(rows)} cells to {out}")
        return
    render.table(
        ("person", "incident", "mode", "element", "status", "evidence"),
        (
            (
                r["person"],
                r["incident_id"],
                r["mode"],
                f"{r['part'].lower()}: {r['element']}",
                r["status"],
                r["evidence_ids"],
            )
            for r in rows
        ),
        title=f"Evidence matrix of {case_id}",
    )


@group.command("patterns")
def elements_patterns(
    date_from: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    date_to: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD.")],
    group_by: Annotated[PatternGroup, typer.Option(help="How to group the incidents.")],
    as_json: AsJson = False,
) -> None:
    """Incidents begun in a period, with distinct victims and deaths, by group."""
    try:
        first, last = dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to)
    except ValueError:
        render.error(f"--from {date_from!r} and --to {date_to!r} must be dates like 2013-06-10")
        raise typer.Exit(1) from None
    rows = session.run(lambda s, viewer: s.patterns.patterns(first, last, group_by, viewer))
    if as_json:
        render.print_json(
            [{"key": r.key, "label": r.label, **dataclasses.asdict(r.counts)} for r in rows]
        )
        return
    render.table(
        ("key", "label", "incidents", "victims", "deaths"),
        (
            (r.key, r.label or "", str(r.counts.incidents), str(r.counts.victims),
             str(r.counts.deaths))
            for r in rows
        ),
        title=f"Incidents {first} to {last} by {group_by.value.lower()}",
    )  # fmt: skip


def _write_csv(rows: list[dict[str, str]], f: Any) -> None:
    writer = csv.DictWriter(f, fieldnames=MATRIX_COLUMNS)
    writer.writeheader()
    # A spreadsheet would run a cell that starts like a formula (docs/exports.md).
    writer.writerows(
        {k: "'" + v if v[:1] in FORMULA_STARTS else v for k, v in row.items()} for row in rows
    )


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="elements")
