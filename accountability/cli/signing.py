"""``accountability signing-key show | rotate``: the key that signs every bundle's
manifest. ``show`` prints the public half and its fingerprint, to publish or hand to a
court once; the private half is never printed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.domain.redaction import Role, Viewer
from accountability.errors import Forbidden
from accountability.services import audit
from accountability.services.container import Services
from accountability.services.signing.keys import KeyRing, PublicKey
from accountability.settings import Settings

group = typer.Typer(no_args_is_help=True, help="The key that signs export bundles.")


def _ring() -> KeyRing:
    return KeyRing(Settings().signing_folder)


def _describe(key: PublicKey) -> str:
    state = "current" if key.current else f"retired {key.retired_at}"
    return (
        f"{key.algorithm} key, made {key.created_at}, {state}\n"
        f"fingerprint (sha256) {key.fingerprint}"
    )


@group.command("show")
def show(
    all_keys: Annotated[
        bool, typer.Option("--all", help="Every key the service has had, retired ones too.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Print the current public key (PEM) and its fingerprint (made on first use)."""
    ring = _ring()
    current = ring.current()
    shown = ring.public_keys() if all_keys else [current]
    if as_json:
        render.print_json({"keys": [asdict(k) for k in shown]})
        return
    for key in shown:
        render.line(_describe(key))
        render.line(key.public_key.rstrip())


@group.command("rotate")
def rotate() -> None:
    """Make a new signing key; the old public key is kept (older bundles still verify)
    and its private key is overwritten. Admins; audited."""

    async def work(services: Services, viewer: Viewer) -> tuple[PublicKey | None, PublicKey]:
        if viewer.role is not Role.ADMIN:
            raise Forbidden("only an admin may rotate the signing key")
        old, new = services.exports.keys.rotate()
        summary = f"signing key rotated: new key {new.fingerprint}" + (
            f", retired {old.fingerprint}" if old else ""
        )
        targets = [new.fingerprint, *([old.fingerprint] if old else [])]
        await services.db.write(
            lambda tx: audit.append(tx, viewer, "signing-key", targets, summary)
        )
        return old, new

    old, new = session.run(work)
    if old is not None:
        render.note(f"retired {old.fingerprint} (its public key is kept)")
    render.line(_describe(new))
    render.line(new.public_key.rstrip())


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="signing-key")
