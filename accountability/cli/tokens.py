"""``accountability token create | list | revoke``: bearer tokens (admins only; the
operator without a token is one)."""

from __future__ import annotations

from typing import Annotated

import typer

from accountability.cli import render, session
from accountability.domain.redaction import Role

group = typer.Typer(no_args_is_help=True, help="API tokens (bearer tokens for GraphQL).")


@group.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="What the holder may see and do.")],
    name: Annotated[str, typer.Option(help="Who holds it (a person or an app).")],
) -> None:
    """Create a token and print it once; only its hash is stored."""
    token_id, token = session.run(lambda s, viewer: s.tokens.create(role, name, viewer))
    render.note(f"token {token_id} for {name} ({role.value}); it is not shown again:")
    render.line(token)


@group.command("list")
def token_list() -> None:
    """Every token: id, holder, role, when created and revoked."""
    tokens = session.run(lambda s, viewer: s.tokens.list(viewer))
    render.table(
        ("id", "holder", "role", "created", "revoked"),
        ((t.id, t.name, t.role.value, t.created_at, t.revoked_at or "") for t in tokens),
    )


@group.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token: every instance sharing the database refuses it within a second."""
    session.run(lambda s, viewer: s.tokens.revoke(token_id, viewer))
    render.note(f"token {token_id} revoked")


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="token")
