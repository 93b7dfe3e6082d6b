"""Bearer-token authentication in front of the GraphQL endpoint."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from accountability.domain.redaction import Viewer
from accountability.errors import AccountabilityError

Authenticate = Callable[[str], Awaitable[Viewer | None]]


def unauthenticated(message: str) -> JSONResponse:
    """A 401 with a GraphQL error body and nothing else."""
    return JSONResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": "Bearer"},
    )


def error_response(exc: AccountabilityError) -> JSONResponse:
    """One of our errors outside GraphQL execution, at its HTTP status."""
    return JSONResponse(
        {"data": None, "errors": [{"message": exc.message, "extensions": exc.extensions()}]},
        status_code=exc.http_status,
    )


class AuthGate:
    """Lets a request through to GraphQL only with a valid bearer token; the GraphiQL
    page itself (a GET without a query) is static and stays open."""

    def __init__(self, app: ASGIApp, authenticate: Callable[[Request], Authenticate]) -> None:
        self.app = app
        self.authenticate = authenticate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if request.method == "GET" and "query" not in request.query_params:
            await self.app(scope, receive, send)
            return
        viewer = await authenticated(request, self.authenticate(request))
        if not isinstance(viewer, Viewer):
            await viewer(scope, receive, send)
            return
        scope.setdefault("state", {})["viewer"] = viewer
        await self.app(scope, receive, send)


async def authenticated(request: Request, authenticate: Authenticate) -> Viewer | JSONResponse:
    """The holder of the request's bearer token, or the response that refuses it: 401
    without a valid token; while the database cannot be asked, its error (503,
    DATABASE_UNAVAILABLE), not a bare 500. Every endpoint that needs a token uses this."""
    token = bearer(request)
    if token is None:
        return unauthenticated("a bearer token is required")
    try:
        viewer = await authenticate(token)
    except AccountabilityError as exc:
        return error_response(exc)
    if viewer is None:
        return unauthenticated("the token is not valid, or was revoked")
    return viewer


def bearer(request: Request) -> str | None:
    """The bearer token of a request, if it carries one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
