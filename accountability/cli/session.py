"""Who a command acts as, and how it reaches the database.

Every command acts as exactly one viewer, chosen in ``viewer_for`` and handed to the
command's work together with the services, so that no service call can be made as
anyone else: what a command shows, and what the audit log records of it, follow the
same rules as a GraphQL request by the same holder."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import typer

from accountability import gc_policy
from accountability.cli import render
from accountability.domain.redaction import OPERATOR, Viewer
from accountability.errors import AccountabilityError, Unauthenticated, ValidationFailed
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings

T = TypeVar("T")
log = logging.getLogger("accountability.imports")


@dataclass
class _Invocation:
    """What this invocation was given to act as (``--token`` or ACCOUNTABILITY_TOKEN).
    Set by the app's callback, which runs before any command: typer gives a command no
    public way to reach the root context short of a parameter on every command."""

    token: str | None = None
    started: bool = False


_invocation = _Invocation()


def start(token: str | None) -> None:
    """Called by the app's callback with what the invocation was given."""
    _invocation.token, _invocation.started = token, True


async def viewer_for(services: Services, token: str | None) -> Viewer:
    """The one viewer of a command: the token's holder (role and name from the token),
    or without a token the operator who holds the database credentials. The operator
    may administer (imports, tokens, the audit log) but is not cleared: every read that
    shows people shows protected persons by pseudonym."""
    if not token:
        return OPERATOR
    holder = await services.tokens.authenticate(token)
    if holder is None:
        raise Unauthenticated("the token is not valid, or was revoked")
    return holder


def _given_token() -> str | None:
    # Fails closed: a command run without the callback is an error, never a silent
    # fall-back to the operator when a token may have been meant.
    if not _invocation.started:
        raise RuntimeError("a command ran without the app's --token callback")
    return _invocation.token


async def _find_interrupted_imports(services: Services) -> None:
    """Every start on a data folder marks the imports whose process is gone as
    interrupted, and says so (a WARNING line each, on stderr)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        await services.imports.sweep()
    except AccountabilityError as exc:  # the command may still do what it was asked
        log.warning("could not check the import journal: %s", exc.message)


def run(work: Callable[[Services, Viewer], Awaitable[T]]) -> T:
    """Open the database (or attach to the engine of a service running on the same data
    folder), run ``work`` as the command's viewer, close; errors become a message on
    stderr and exit status 1."""
    settings = Settings()
    token = _given_token()

    async def main() -> T:
        db = Database(settings)
        await db.open(attach=True)
        try:
            services = Services.over(db, settings)
            await _find_interrupted_imports(services)
            return await work(services, await viewer_for(services, token))
        finally:
            await db.close()

    gc_policy.settle()
    try:
        return asyncio.run(main())
    except ValidationFailed as exc:
        render.problems(exc)
        raise typer.Exit(1) from None
    except AccountabilityError as exc:
        render.error(exc.message)
        raise typer.Exit(1) from None
