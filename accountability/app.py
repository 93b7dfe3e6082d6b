"""The ASGI application: GraphQL at /graphql, health at /healthz and /readyz."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import sys
from collections.abc import AsyncIterator, Callable

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from accountability import web
from accountability.api.auth import AuthGate, authenticated
from accountability.api.context import Context
from accountability.api.errors import shaped
from accountability.api.schema import build_schema
from accountability.domain.redaction import ANONYMOUS, SYSTEM, Viewer
from accountability.errors import AccountabilityError
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.services.protection.alarm import ProtectionAlarm
from accountability.settings import Settings

log = logging.getLogger("accountability")


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app, with our context per request."""

    def __init__(self, app: Starlette, settings: Settings) -> None:
        super().__init__(
            build_schema(settings), graphql_ide="graphiql" if settings.introspection else None
        )
        self.app = app
        self.settings = settings

    async def render_graphql_ide(self, request: Request) -> Response:
        # A console built with the workbench, from this origin: no CDN (web.py).
        return web.query_console(self.settings)

    def encode_json(self, data: object) -> bytes:
        # orjson: several times faster than json on the responses of nested reads.
        return orjson.dumps(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        services: Services = self.app.state.services
        viewer = getattr(request.state, "viewer", ANONYMOUS)
        return Context(services=services, settings=self.settings, viewer=viewer)

    async def process_result(
        self, request: Request | WebSocket, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            response["errors"] = [shaped(e) for e in result.errors]
        if result.extensions:
            response["extensions"] = result.extensions
        viewer: Viewer = getattr(request.state, "viewer", ANONYMOUS)
        if not viewer.cleared:
            # An alarm, not the protection (that is the renditions): it refuses a
            # response that holds a protected name the caller did not send.
            # The caller's own words, decoded: a GET carries them percent-encoded.
            asked = " ".join(value for _, value in request.query_params.multi_items())
            if isinstance(request, Request):
                asked += (await request.body()).decode("utf-8", "replace")
            alarm: ProtectionAlarm = self.app.state.alarm
            try:
                refused = await alarm.sound(orjson.dumps(response).decode(), asked, viewer.name)
            except AccountabilityError as exc:
                # The names to look for could not be loaded (the database is down): an
                # unchecked response is withheld, with the reason.
                return {
                    "data": None,
                    "errors": [{"message": exc.message, "extensions": exc.extensions()}],
                }
            if refused:
                return {
                    "data": None,
                    "errors": [
                        {
                            "message": "The response was withheld by a protection check.",
                            "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                        }
                    ],
                }
        return response


async def _import_journal_state(request: Request) -> dict[str, object]:
    """For /readyz: imports cut short and neither completed nor undone. Readiness does
    not depend on them, but whoever watches /readyz should see them."""
    services: Services = request.app.state.services
    try:
        return {"interrupted_imports": await services.imports.interrupted_count()}
    except AccountabilityError:
        return {}


def create_app(
    settings: Settings,
    database: Database | None = None,
    load_demo: bool = False,
    attach: bool = False,
    companions: Callable[[], contextlib.AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    """The app. With ``database`` given (tests, benchmarks), it is used and not closed.
    With ``attach``, it serves from the embedded engine another instance runs on the same
    data folder, if one does. ``companions`` run from the moment the app is ready (its
    database open, its schema set up) until it stops: the worker processes of
    ``serve --workers``."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = database or Database(settings)
        if database is None:
            await db.open(attach=attach)
        app.state.db = db
        app.state.services = services = Services.over(db, settings)
        app.state.alarm = ProtectionAlarm(db, settings.auth_cache_s)
        # Renditions a crash or an older version left behind are masked again before
        # anyone is served; until then they would only be held back.
        await services.masks.remask()
        # Imports whose process is gone were cut short: marked interrupted, and logged.
        await services.imports.sweep()
        first_token = await services.tokens.bootstrap()
        if first_token is not None:
            # Shown once, never stored in the clear: the operator must keep it.
            print(
                "No API token existed, so an admin token was created. Keep it safe; it is "
                f"not shown again:\n\n    {first_token}\n\nUse it as 'Authorization: Bearer "
                "<token>'; create others with 'accountability token create'.",
                file=sys.stderr,
                flush=True,
            )
        if load_demo:
            from accountability.demo import demo_document

            report = await services.interchange.import_document(SYSTEM, demo_document())
            log.info("demo case loaded: %d nodes, %d claims", report.nodes, report.claims)
        where = (
            settings.db_uri
            if not db.embedded
            else "embedded engine"
            if db.engine is not None
            else "the embedded engine another instance runs on this data folder (attached)"
        )
        log.info("database: %s; GraphQL at /graphql", where)
        # Exports another instance (or an earlier run of this one) left running are
        # reported failed if their process is gone; expired bundles are deleted.
        await services.export_jobs.sweep()
        loop = asyncio.get_running_loop()
        sweeper = loop.create_task(services.masks.sweep(settings.remask_sweep_s))
        stop_polling = asyncio.Event()
        poller = loop.create_task(services.tokens.watch(settings.auth_poll_s, stop_polling))
        try:
            async with companions() if companions else contextlib.nullcontext():
                yield
        finally:
            stop_polling.set()
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await poller
            await services.export_jobs.close()
            if database is None:
                await db.close()

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        db: Database | None = getattr(request.app.state, "db", None)
        if db is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        ok, reason = await db.ready()
        body: dict[str, object] = {"status": "ready" if ok else "unavailable", "reason": reason}
        if ok:
            body.update(await _import_journal_state(request))
        return JSONResponse(body, status_code=200 if ok else 503)

    async def signing_keys(request: Request) -> Response:
        """Every public key that has signed bundles, current first: public by nature, so
        a court or a partner can fetch them without a token."""
        services: Services = request.app.state.services
        ring = services.exports.keys
        await asyncio.to_thread(ring.current)  # made on first use, like a signature's
        found = await asyncio.to_thread(ring.public_keys)
        listed = sorted(found, key=lambda k: (not k.current, k.created_at))
        return JSONResponse(
            {"keys": [{**dataclasses.asdict(k), "current": k.current} for k in listed]}
        )

    async def download_export(request: Request) -> Response:
        """A finished export bundle, for the caller who started it (or an admin)."""
        services: Services = request.app.state.services
        viewer = await authenticated(request, services.tokens.authenticate)
        if not isinstance(viewer, Viewer):
            return viewer
        job_id = request.path_params["job_id"]
        try:
            path = await services.export_jobs.download(viewer, job_id)
        except AccountabilityError as exc:
            body = {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
            return JSONResponse(body, status_code=exc.http_status)
        return FileResponse(path, media_type="application/zip", filename=f"{job_id}.zip")

    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
            )
        )
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/exports/{job_id}", download_export, methods=["GET"]),
            Route("/.well-known/accountability-keys", signing_keys, methods=["GET"]),
            *web.routes(settings),
        ],
        lifespan=lifespan,
        middleware=middleware,
    )
    graphql = GraphQLApp(app, settings)
    gate = AuthGate(graphql, lambda request: request.app.state.services.tokens.authenticate)
    # First of the routes: nearly every request is one of its, and the router tries each
    # route's pattern in turn (the eight before it cost some 14 µs a request). A Route
    # given an ASGI app (not a function) passes requests to it as they come.
    app.router.routes.insert(0, Route("/graphql", gate, methods=["GET", "POST"]))
    return app
