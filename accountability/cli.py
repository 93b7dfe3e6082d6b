"""The command line: ``accountability serve | demo | import | export | schema | bench``."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from accountability.cli_cases import register_case_commands
from accountability.cli_common import (
    acting_as,
    err,
    run_with_services,
    session,
)
from accountability.domain.redaction import Role, Viewer
from accountability.errors import (
    Problem,
    ValidationFailed,
)
from accountability.services.container import Services
from accountability.settings import Settings

app = typer.Typer(no_args_is_help=True, help="Accountability graph: cases about detention abuses.")


@app.callback()
def _login(
    token: Annotated[
        str | None,
        typer.Option(
            envvar="ACCOUNTABILITY_TOKEN",
            help="Act as this token's holder: their role applies and the audit log names "
            "them. Without one, the command acts as the operator who holds the database "
            "credentials.",
        ),
    ] = None,
) -> None:
    session.token, session.actor = token, None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    demo: Annotated[bool, typer.Option(help="Load the fictional demo case on start.")] = False,
) -> None:
    """Start the GraphQL service (the embedded database unless ACCOUNTABILITY_DB_URI is set)."""
    import uvicorn

    from accountability.app import create_app

    settings = Settings()
    host = host or settings.host
    port = port or settings.port
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    err.print(f"GraphQL (GraphiQL in a browser): http://{host}:{port}/graphql")
    uvicorn.run(
        create_app(settings, load_demo=demo),
        host=host,
        port=port,
        access_log=settings.access_log,
    )


@app.command("demo")
def load_demo() -> None:
    """Load the fictional demo case (idempotent)."""
    from accountability.services.demo import demo_document

    report = run_with_services(
        lambda s: s.interchange.import_document(acting_as(), demo_document())
    )
    err.print(f"demo case loaded: {report.nodes} nodes, {report.claims} claims")


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Import an interchange JSON file: all of it, or nothing if any record is bad."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        err.print(f"[red]error:[/red] {file} is not valid JSON: {exc}")
        raise typer.Exit(1) from None
    total = (
        len(document.get("nodes", [])) + len(document.get("claims", []))
        if isinstance(document, dict)
        else 0
    )

    async def work(services: Services) -> Any:
        with Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        ) as progress:
            task = progress.add_task("import", total=total)
            return await services.interchange.import_document(
                acting_as(), document, lambda n: progress.advance(task, n)
            )

    report = run_with_services(work)
    err.print(f"imported {report.nodes} nodes and {report.claims} claims from {file}")


@app.command("trace")
def trace_incident(
    incident_id: Annotated[str, typer.Argument(help="The incident's id.")],
    max_depth: Annotated[int, typer.Option(help="How far to climb command chains.")] = 6,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Who is liable for an incident, by mode, with the path and evidence of each link."""
    from accountability.services.tracing import TraceResult

    async def work(services: Services) -> tuple[TraceResult, dict[str, str]]:
        result = await services.tracing.trace(incident_id, max_depth, _cli_viewer())
        ids = sorted({n for link in result.links for n in link.path.nodes})
        records = await services.nodes.get_many(ids, _cli_viewer())
        return result, {i: _display(r.properties) or i for i, r in records.items()}

    result, names = run_with_services(work)
    if as_json:
        print(json.dumps(_trace_json(result, names), indent=2, ensure_ascii=False))
        return
    out = Console()
    period = f"{result.period.start} to {result.period.end}" if result.period.start else "undated"
    table = Table(title=f"Trace of {incident_id} ({period})", title_justify="left")
    for column in ("person", "mode", "certainty", "confidence", "corroborated", "path", "evidence"):
        table.add_column(column)
    for link in result.links:
        p = link.path
        table.add_row(
            names.get(link.person_id, link.person_id),
            link.mode.value,
            p.certainty.value,
            p.weakest_confidence.value,
            "yes" if p.corroborated else "no",
            _path_words(p, names),
            ", ".join(p.evidence),
        )
    out.print(table)
    if result.truncated:
        out.print(
            f"[yellow]A command chain goes on above depth {max_depth}; "
            "raise --max-depth to follow it.[/yellow]"
        )


def _display(props: dict[str, Any]) -> str:
    return str(props.get("name") or props.get("title") or "")


def _path_words(path: Any, names: dict[str, str]) -> str:
    words = [names.get(path.nodes[0], path.nodes[0])]
    for claim, node in zip(path.claims, path.nodes[1:], strict=True):
        dates = ""
        if claim.valid_from or claim.valid_to:
            dates = f" {claim.valid_from or '?'}..{claim.valid_to or ''}"
        words.append(f"-[{claim.type.value}{dates}]- {names.get(node, node)}")
    return " ".join(words)


def _trace_json(result: Any, names: dict[str, str]) -> dict[str, Any]:
    def path_json(p: Any) -> dict[str, Any]:
        return {
            "certainty": p.certainty.value,
            "weakest_confidence": p.weakest_confidence.value,
            "corroborated": p.corroborated,
            "nodes": p.nodes,
            "claims": [c.id for c in p.claims],
            "evidence": p.evidence,
        }

    return {
        "incident": result.incident.id,
        "period": [str(d) if d else None for d in (result.period.start, result.period.end)],
        "truncated": result.truncated,
        "links": [
            {
                "person": link.person_id,
                "name": names.get(link.person_id),
                "mode": link.mode.value,
                **path_json(link.path),
                "other_paths": [path_json(o) for o in link.other_paths],
            }
            for link in result.links
        ],
    }


def _as_json(value: Any) -> str:
    """A result (dataclasses all the way down) as JSON."""
    import dataclasses

    return json.dumps(dataclasses.asdict(value), indent=2, ensure_ascii=False, default=str)


def _names(services: Services, ids: set[str], viewer: Any) -> Awaitable[dict[str, str]]:
    async def load() -> dict[str, str]:
        records = await services.nodes.get_many(sorted(ids), viewer)
        return {i: _display(r.properties) or i for i, r in records.items()}

    return load()


def _cli_viewer() -> Viewer:
    # With a token, the holder's role decides what the analyses show; without one they
    # show what an analyst sees: protected identities stay pseudonymized.
    return session.actor or Viewer(name="cli", role=Role.ANALYST)


@app.command("explain")
def explain_link(
    person_id: Annotated[str, typer.Argument(help="The person's id.")],
    incident_id: Annotated[str, typer.Argument(help="The incident's id.")],
    max_depth: Annotated[int, typer.Option(help="How far to climb command chains.")] = 6,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Every path between a person and an incident, and why it does or does not count."""

    async def work(services: Services) -> tuple[Any, dict[str, str]]:
        result = await services.tracing.explain(person_id, incident_id, max_depth, _cli_viewer())
        ids = {n for e in result.paths for n in e.path.nodes}
        return result, await _names(services, ids, _cli_viewer())

    result, names = run_with_services(work)
    if as_json:
        print(_as_json(result))
        return
    table = Table(
        title=f"{names.get(person_id, person_id)} and {incident_id}", title_justify="left"
    )
    for column in ("mode", "counts", "certainty", "path", "why not"):
        table.add_column(column)
    for e in result.paths:
        table.add_row(
            e.mode.value,
            "yes" if e.qualifies else "no",
            e.path.certainty.value,
            _path_words(e.path, names),
            "; ".join(e.reasons),
        )
    Console().print(table)


@app.command("chart")
def command_chart(
    node_id: Annotated[str, typer.Argument(help="A unit's id (or a facility's, with --facility).")],
    at: Annotated[str, typer.Option(help="The date, YYYY-MM-DD.")],
    facility: Annotated[bool, typer.Option(help="Chart a facility, not a unit.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Who commanded a unit, or ran a facility, on a date."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(at)
    except ValueError:
        err.print(f"[red]error:[/red] --at {at!r} is not a date like 2013-06-10")
        raise typer.Exit(1) from None

    async def work(services: Services) -> tuple[Any, dict[str, str]]:
        charts = services.charts
        chart = await (charts.facility_chart if facility else charts.unit_chart)(
            node_id, day, _cli_viewer()
        )
        ids = {e.node_id for e in chart.entries} | {e.via for e in chart.entries if e.via}
        return chart, await _names(services, ids, _cli_viewer())

    chart, names = run_with_services(work)
    if as_json:
        print(_as_json(chart))
        return
    table = Table(title=f"{_display(chart.subject.properties)} on {day}", title_justify="left")
    for column in ("role", "who or what", "of unit", "certainty", "from", "to", "evidence"):
        table.add_column(column)
    for e in chart.entries:
        table.add_row(
            e.role,
            names.get(e.node_id, e.node_id),
            names.get(e.via, e.via) if e.via else "",
            e.certainty.value,
            str(e.claim.valid_from or "?"),
            str(e.claim.valid_to or ""),
            ", ".join(e.claim.evidence),
        )
    Console().print(table)


@app.command("profile")
def person_profile(
    person_id: Annotated[str, typer.Argument(help="The person's id.")],
    max_depth: Annotated[int, typer.Option(help="How far to climb command chains.")] = 6,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """A person's roles over time and every incident they are linked to, by mode."""

    async def work(services: Services) -> tuple[Any, dict[str, str]]:
        profile = await services.profiles.person_profile(person_id, max_depth, _cli_viewer())
        ids = {c.to_id for c in profile.roles} | {i.incident_id for i in profile.incidents}
        return profile, await _names(services, ids, _cli_viewer())

    profile, names = run_with_services(work)
    if as_json:
        print(_as_json(profile))
        return
    out = Console()
    roles = Table(title=_display(profile.person.properties), title_justify="left")
    for column in ("role", "in", "from", "to", "precision", "evidence"):
        roles.add_column(column)
    for c in profile.roles:
        roles.add_row(
            c.type.value,
            names.get(c.to_id, c.to_id),
            str(c.valid_from or "?"),
            str(c.valid_to or ""),
            c.date_precision.value,
            ", ".join(c.evidence),
        )
    out.print(roles)
    incidents = Table(title="Incidents", title_justify="left")
    for column in ("mode", "incident", "date", "certainty", "confidence"):
        incidents.add_column(column)
    for link in profile.incidents:
        incidents.add_row(
            link.mode.value,
            names.get(link.incident_id, link.incident_id),
            str(link.period.start or "undated"),
            link.path.certainty.value,
            link.path.weakest_confidence.value,
        )
    out.print(incidents)


tokens_app = typer.Typer(no_args_is_help=True, help="API tokens (bearer tokens for GraphQL).")
app.add_typer(tokens_app, name="token")


@tokens_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="What the holder may see and do.")],
    name: Annotated[str, typer.Option(help="Who holds it (a person or an app).")],
) -> None:
    """Create a token and print it once; only its hash is stored."""
    token_id, token = run_with_services(lambda s: s.tokens.create(role, name, acting_as()))
    err.print(f"token {token_id} for {name} ({role.value}); it is not shown again:")
    print(token)


@tokens_app.command("list")
def token_list() -> None:
    """Every token: id, holder, role, when created and revoked."""
    tokens = run_with_services(lambda s: s.tokens.list(acting_as()))
    table = Table()
    for column in ("id", "holder", "role", "created", "revoked"):
        table.add_column(column)
    for t in tokens:
        table.add_row(t.id, t.name, t.role.value, t.created_at, t.revoked_at or "")
    Console().print(table)


@tokens_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token (it stops working within the auth cache time, 5 s by default)."""
    run_with_services(lambda s: s.tokens.revoke(token_id, acting_as()))
    err.print(f"token {token_id} revoked")


audit_app = typer.Typer(no_args_is_help=True, help="The tamper-evident audit log.")
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[
        list[str] | None,
        typer.Option(
            help="SEQ:HASH of an entry recorded earlier outside the database (see 'audit head'); "
            "repeatable."
        ),
    ] = None,
) -> None:
    """Check the whole hash chain; name the first broken entry (exit 1 if any)."""
    import time

    anchors: dict[int, str] = {}
    for item in anchor or []:
        seq, _, digest = item.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            err.print(f"[red]error:[/red] --anchor {item!r} is not SEQ:SHA256")
            raise typer.Exit(1)
        anchors[int(seq)] = digest
    started = time.perf_counter()
    count, broken = run_with_services(lambda s: s.audit.verify(anchors))
    seconds = time.perf_counter() - started
    if broken is not None:
        err.print(
            f"[red]audit chain broken at entry {broken.seq}:[/red] {broken.reason} "
            f"({count} entries read)"
        )
        raise typer.Exit(1)
    err.print(f"audit chain intact: {count} entries verified in {seconds:.2f} s")


@audit_app.command("head")
def audit_head() -> None:
    """The last entry's number and hash, as SEQ:HASH. Record it outside the database (a
    case file, a partner): 'audit verify --anchor' then detects a rewritten chain."""
    seq, digest = run_with_services(lambda s: s.audit.head())
    print(f"{seq}:{digest}")


@audit_app.command("list")
def audit_list(
    first: Annotated[int, typer.Option(help="How many entries.")] = 50,
    after: Annotated[int, typer.Option(help="Start after this entry number.")] = 0,
) -> None:
    """Entries of the audit log, oldest first."""
    from accountability.services import cursors

    cursor = cursors.encode(str(after)) if after else None
    entries, _ = run_with_services(lambda s: s.audit.page(acting_as(), first, cursor))
    table = Table()
    for column in ("seq", "at", "actor", "role", "action", "targets", "summary"):
        table.add_column(column)
    for e in entries:
        more = f" (+{e.target_count - len(e.targets)})" if e.target_count > len(e.targets) else ""
        table.add_row(
            str(e.seq), e.at, e.actor, e.role, e.action, ", ".join(e.targets[:5]) + more, e.summary
        )
    Console().print(table)


evidence_app = typer.Typer(no_args_is_help=True, help="Evidence files and chain of custody.")
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("add")
def evidence_add(
    file: Annotated[Path, typer.Argument(help="The file; its original is kept, read-only.")],
    title: Annotated[str, typer.Option(help="What the item is.")],
    kind: Annotated[
        str, typer.Option(help="document, testimony, photo, video, audio, dataset or report.")
    ] = "document",
    source: Annotated[str | None, typer.Option(help="Who provided it.")] = None,
    classification: Annotated[
        str, typer.Option(help="public, confidential or protected.")
    ] = "confidential",
    received_from: Annotated[str | None, typer.Option(help="Who handed it over.")] = None,
    evidence_id: Annotated[str | None, typer.Option("--id", help="An id to use.")] = None,
) -> None:
    """Hash a file, store its original and register it as an Evidence item."""
    props = {
        "title": title,
        "kind": kind,
        "classification": classification,
        **({"source": source} if source else {}),
    }
    record = run_with_services(
        lambda s: s.evidence_files.add(
            file, props, acting_as(), received_from=received_from, evidence_id=evidence_id
        )
    )
    err.print(f"evidence {record.id} registered, sha256 {record.properties['sha256']}")
    print(record.id)


@evidence_app.command("verify")
def evidence_verify(
    ids: Annotated[list[str] | None, typer.Argument(help="Items to check (default: all).")] = None,
) -> None:
    """Re-hash the stored originals; report any missing or altered (exit 1 if any)."""
    checks = run_with_services(lambda s: s.evidence_files.verify(acting_as(), ids or None))
    bad = [c for c in checks if c.problem]
    for c in bad:
        err.print(f"[red]{c.evidence_id}[/red]: {c.problem} (recorded: {c.sha256})")
    err.print(f"{len(checks)} evidence files checked, {len(bad)} with problems")
    if bad:
        raise typer.Exit(1)


@evidence_app.command("custody")
def evidence_custody(evidence_id: Annotated[str, typer.Argument()]) -> None:
    """An item's chain of custody."""
    events = run_with_services(lambda s: s.evidence_files.custody([evidence_id], acting_as()))
    table = Table(title=f"Chain of custody of {evidence_id}", title_justify="left")
    for column in ("at", "action", "from", "to", "by", "hash", "note"):
        table.add_column(column)
    for e in events[evidence_id]:
        checked = "" if e.hash_ok is None else ("matched" if e.hash_ok else "MISMATCH")
        table.add_row(
            e.at, e.action, e.from_party or "", e.to_party or "", e.by, checked, e.note or ""
        )
    Console().print(table)


@evidence_app.command("record")
def evidence_record(
    evidence_id: Annotated[str, typer.Argument()],
    action: Annotated[str, typer.Option(help="received, transferred, checked or copied.")],
    from_party: Annotated[str | None, typer.Option("--from")] = None,
    to_party: Annotated[str | None, typer.Option("--to")] = None,
    sha256: Annotated[str | None, typer.Option(help="The hash the holder computed.")] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a custody event (a hand-over, a check)."""
    event = run_with_services(
        lambda s: s.evidence_files.record(
            evidence_id, action, acting_as(), from_party, to_party, sha256, note
        )
    )
    if event.hash_ok is False:
        err.print("[red]the hash given does not match the item's recorded hash[/red]")
        raise typer.Exit(1)
    err.print(f"recorded {event.action} ({event.id})")


@evidence_app.command("working-copy")
def evidence_working_copy(
    evidence_id: Annotated[str, typer.Argument()],
    out: Annotated[Path, typer.Option(help="Where to write the copy.")],
) -> None:
    """Copy an original out of the store to work on; the original is untouched."""

    async def work(services: Services) -> Path:
        item = await services.nodes.get(evidence_id, acting_as())
        sha = item.properties.get("sha256")
        if not sha:
            raise ValidationFailed.of([Problem("evidence", "the item records no file")])
        copy = await asyncio.to_thread(services.evidence_files.working_copy, sha, out)
        await services.evidence_files.record(evidence_id, "copied", acting_as(), note=f"to {out}")
        return copy

    err.print(f"working copy written to {run_with_services(work)}")


@app.command("schema")
def write_schema(
    out_dir: Annotated[Path, typer.Option(help="Folder to write into.")] = Path("schema"),
) -> None:
    """Write the GraphQL SDL and the interchange JSON Schema."""
    from accountability.schema_files import write_all

    for path in write_all(out_dir):
        err.print(f"wrote {path}")


@app.command()
def bench(
    claims: Annotated[list[int] | None, typer.Option(help="Graph sizes, in claims.")] = None,
    lookups: Annotated[int, typer.Option(help="Lookups timed per path.")] = 1000,
    data_dir: Annotated[Path | None, typer.Option(help="Where the scratch data goes.")] = None,
    trace: Annotated[bool, typer.Option(help="Run the trace benchmark instead.")] = False,
    scale: Annotated[float, typer.Option(help="Trace graph size; 1.6 is ~1M elements.")] = 1.6,
    samples: Annotated[int, typer.Option(help="Incidents and charts timed.")] = 200,
    heap_mb: Annotated[int, typer.Option(help="Engine heap for the trace graph.")] = 3072,
    audit: Annotated[
        int,
        typer.Option(help="Time audit verify over this many entries, and token checks, instead."),
    ] = 0,
    export: Annotated[
        int, typer.Option(help="Time the export of a case of this many entities, instead.")
    ] = 0,
) -> None:
    """Measure import rate, lookup latency and throughput against the raw driver; with
    --trace, trace and commandChart latency on a graph of about a million elements."""
    if export:
        from accountability.bench.export_bench import main as run_export_bench

        run_export_bench(export, min(heap_mb, 1024))
        return
    if audit:
        from accountability.bench.audit_bench import main as run_audit_bench

        run_audit_bench(audit)
        return
    if trace:
        from accountability.bench.trace_bench import main as run_trace_bench

        run_trace_bench(scale, samples, data_dir, heap_mb)
        return
    from accountability.bench.runner import main as run_bench

    run_bench(claims or [10_000, 100_000], lookups, data_dir)


register_case_commands(app)


def main() -> None:
    app()
