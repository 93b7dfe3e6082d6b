"""``accountability serve``: the GraphQL service."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from accountability import gc_policy
from accountability.cli import render
from accountability.settings import Settings


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    demo: Annotated[bool, typer.Option(help="Load the fictional demo case on start.")] = False,
    attach: Annotated[
        bool,
        typer.Option(
            help="When another instance runs the embedded engine on this data folder, serve "
            "from it too (one service, two processes) instead of refusing."
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Service processes on the one port and engine, to use more than one core "
            "(default: ACCOUNTABILITY_WORKERS, else 1).",
        ),
    ] = None,
    fd: Annotated[int | None, typer.Option(hidden=True)] = None,
    parent: Annotated[int | None, typer.Option(hidden=True)] = None,
) -> None:
    """Start the GraphQL service (the embedded database unless ACCOUNTABILITY_DB_URI is set)."""
    # Imported here: every other command starts faster without the web stack.
    import uvicorn

    from accountability import workers as pool
    from accountability.app import create_app

    settings = Settings()
    host = host or settings.host
    port = port or settings.port
    count = workers or settings.workers
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    if fd is not None:
        # A worker of ``serve --workers``: the first process's socket and engine.
        sock = pool.inherited_socket(fd)
        if parent is not None:
            pool.stop_with_parent(parent)
        app = create_app(settings, attach=True)
    else:
        render.note(f"GraphQL (GraphiQL in a browser): http://{host}:{port}/graphql")
        sock = pool.listening_socket(host, port)
        extra = pool.WorkerPool(sock, count - 1) if count > 1 else None
        app = create_app(
            settings,
            load_demo=demo,
            attach=attach,
            companions=extra.running if extra else None,
        )
    # What is loaded by now (modules, the schema) lives as long as the process: 10-20%
    # less CPU a nested read (README, "Performance").
    gc_policy.settle()
    config = uvicorn.Config(app, access_log=settings.access_log)
    uvicorn.Server(config).run(sockets=[sock])


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
