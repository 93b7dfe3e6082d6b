"""``accountability export`` and ``verify-bundle``: exports of a case, a trace or the
whole graph, and the check of a bundle against its manifest."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from accountability.cli import render, session
from accountability.domain.export_profiles import ExportProfile
from accountability.domain.redaction import Viewer
from accountability.services.container import Services
from accountability.services.exports import bundle
from accountability.services.exports.service import ExportResult, Scope
from accountability.services.signing import keys, provenance


def export_command(
    case: Annotated[str | None, typer.Option("--case", help="Export this case file.")] = None,
    incident: Annotated[
        str | None, typer.Option("--incident", help="Export this incident's trace.")
    ] = None,
    profile: Annotated[
        ExportProfile, typer.Option(help="Who it is for; your role may make it stricter.")
    ] = ExportProfile.COURT,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="A .zip writes the bundle (every format and a manifest); any other name "
            "the interchange JSON. Default: the JSON on stdout.",
        ),
    ] = None,
    max_depth: Annotated[int, typer.Option(help="Trace depth for the brief.")] = 6,
    with_originals: Annotated[
        bool,
        typer.Option(
            "--with-originals",
            help="Court bundles of a case or trace: add the evidence originals from the "
            "store, each checked against its recorded SHA-256.",
        ),
    ] = False,
) -> None:
    """Export a case, a trace, or (admins) the whole graph; every export is audited."""
    if case and incident:
        render.error("give --case or --incident, not both")
        raise typer.Exit(2)
    scope = Scope(
        "case" if case else "trace" if incident else "graph",
        case or incident,
        max_depth=max_depth,
        with_originals=with_originals,
    )
    # Without --out the export is written to a scratch file, then copied to stdout.
    target = out or Path(tempfile.mkdtemp()) / "export.json"

    async def work(s: Services, viewer: Viewer) -> ExportResult:
        with render.progress("exporting", shown=out is not None) as bar:
            task = bar.add_task("export", total=None)
            return await s.exports.export(
                viewer,
                scope,
                profile,
                target,
                lambda done, total: bar.update(task, completed=done, total=total),
            )

    try:
        result = session.run(work)
        if out is None:
            with target.open(encoding="utf-8") as f:
                shutil.copyfileobj(f, sys.stdout)
    finally:
        if out is None:
            shutil.rmtree(target.parent, ignore_errors=True)
    shown = (
        f"; asked for {result.requested.value}"
        if result.requested.value != result.meta.profile
        else ""
    )
    render.note(
        f"exported {result.nodes} nodes and {result.claims} claims under the "
        f"{result.meta.profile} profile{shown}" + (f" to {out}" if out else "")
    )
    if result.manifest_sha256:
        render.note(f"manifest sha256 {result.manifest_sha256} (recorded in the audit log)")


def _trusted_key(public_key: Path | None) -> Ed25519PublicKey | None:
    if public_key is None:
        return None
    try:
        return keys.load_public(public_key.read_bytes())
    except (OSError, keys.SigningKeyError) as exc:
        render.error(f"--public-key {public_key}: {exc}")
        raise typer.Exit(2) from None


def _audit_check(result: bundle.Verification) -> str | None:
    """The export's entry in the audit log, or why the bundle is not there; audited."""
    sha = result.manifest_sha256

    async def work(services: Services, viewer: Viewer) -> provenance.Recorded | None:
        found = await provenance.recorded_export(services.db, sha)
        outcome = "recorded" if found else "not recorded"
        await provenance.log_check(services.db, viewer, sha, outcome)
        return found

    found = session.run(work)
    if found is None:
        result.problems.append(
            f"audit: no export in this service's audit log has manifest sha256 {sha}"
        )
        return None
    subject = result.manifest.get("subject") or "whole graph"
    if found.subject != subject:
        result.problems.append(
            f"audit: entry {found.seq} recorded the manifest for {found.subject}, "
            f"but the manifest says {subject}"
        )
        return None
    return f"audit log entry {found.seq}: exported by {found.actor} at {found.at}"


def verify_bundle_command(
    path: Annotated[Path, typer.Argument(help="The bundle (.zip) to check.")],
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key",
            help="A PEM file of the producer's public key, obtained from them: the bundle "
            "must be signed by it.",
        ),
    ] = None,
    fingerprint: Annotated[
        str | None,
        typer.Option(
            "--fingerprint",
            help="The producer's key fingerprint (sha256, hex), obtained from them: the "
            "bundle must be signed by the key with it.",
        ),
    ] = None,
    check_audit: Annotated[
        bool,
        typer.Option(
            "--audit",
            help="Also check, in this service's database, that the audit log recorded "
            "this manifest for this export (audited).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check a bundle's signature, then every file against its manifest: present,
    unaltered and listed. Exit 1 when anything fails."""
    if public_key is not None and fingerprint is not None:
        render.error("give --public-key or --fingerprint, not both")
        raise typer.Exit(2)
    # Without --audit the file alone is checked: no database, so no viewer.
    result = bundle.verify(path, _trusted_key(public_key), fingerprint)
    recorded = _audit_check(result) if check_audit and result.manifest_sha256 else None
    if as_json:
        render.print_json(
            {
                "ok": result.ok,
                "signature": result.signature,
                "key_fingerprint": result.key_fingerprint,
                "key_given": result.key_given,
                "checked": result.checked,
                "manifest_sha256": result.manifest_sha256,
                "audit": recorded,
                "problems": result.problems,
            }
        )
    elif result.ok:
        m = result.manifest
        render.note(
            f"[green]bundle verified[/green]: signature valid, {result.checked} files match "
            f"the manifest ({m.get('scope')} {m.get('subject') or ''}, profile "
            f"{m.get('profile', {}).get('effective')}, exported by "
            f"{m.get('exported_by', {}).get('name')} at {m.get('exported_at')}); "
            f"manifest sha256 {result.manifest_sha256}"
        )
        render.note(f"signed by key {result.key_fingerprint}")
        if not result.key_given:
            render.note(
                "[yellow]checked against the key the bundle carries: this proves the bundle "
                "is unchanged since that key signed it, not who holds the key. It is "
                "authentic only if this fingerprint is the one the producer published "
                "(give --public-key or --fingerprint to check it here).[/yellow]"
            )
        if recorded:
            render.note(recorded)
    else:
        render.note(f"[red]bundle rejected[/red]: {len(result.problems)} problem(s)")
        for problem in result.problems:
            render.note(f"  {problem}")
    if not result.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
    app.command("verify-bundle")(verify_bundle_command)
