"""What every command shares: who it acts as, and how it opens the database."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import typer
from rich.console import Console
from rich.table import Table

from accountability.domain.redaction import SYSTEM, Viewer
from accountability.errors import AccountabilityError, Unauthenticated, ValidationFailed
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings

err = Console(stderr=True)
T = TypeVar("T")


@dataclass
class _Session:
    """Who this command runs as: set from --token, resolved once the database is open."""

    token: str | None = None
    actor: Viewer | None = None


session = _Session()


def acting_as() -> Viewer:
    """Who a command acts as: the token's holder, or the local operator."""
    return session.actor or SYSTEM


def run_with_services(work: Callable[[Services], Awaitable[T]]) -> T:
    """Open the database (or attach to the running service's engine), run, close."""
    settings = Settings()

    async def main() -> T:
        db = Database(settings)
        await db.open(attach=True)
        try:
            services = Services.over(db, settings)
            if session.token:
                session.actor = await services.tokens.authenticate(session.token)
                if session.actor is None:
                    raise Unauthenticated("the token is not valid, or was revoked")
            return await work(services)
        finally:
            await db.close()

    try:
        return asyncio.run(main())
    except ValidationFailed as exc:
        print_problems(exc)
        raise typer.Exit(1) from None
    except AccountabilityError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None


def print_problems(exc: ValidationFailed) -> None:
    table = Table(
        title=f"{len(exc.problems)} problem(s); nothing was written", title_justify="left"
    )
    table.add_column("where")
    table.add_column("what is wrong")
    for p in exc.problems or []:
        table.add_row(p.where, p.message)
    err.print(table)
