"""The case workbench: the single-page app built from web/ (web/dist), served at /app/,
and the local query console that replaces GraphiQL's CDN page at GET /graphql. Nothing
here reads the graph: the app uses the public GraphQL API like any other client."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from accountability.settings import Settings

#: Pages may load scripts, styles, images and data from this origin only: no CDN, and
#: no third-party script beside a token held in the page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
#: Vite names built assets by their content's hash, so they never change under a name.
ASSET_CACHE = "public, max-age=31536000, immutable"

NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>Workbench not built</title>
<h1>The workbench has not been built</h1>
<p>Its files are missing from <code>{where}</code>. Build it with <code>./dev install</code>
(needs Node.js and npm), or <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>.
The GraphQL API at <code>/graphql</code> works without it.</p></html>"""


def dist_dir(settings: Settings) -> Path:
    """Where the built app is: the setting, or web/dist beside the package's source."""
    if settings.web_dist is not None:
        return settings.web_dist
    return Path(__file__).resolve().parent.parent / "web" / "dist"


def _page(dist: Path, name: str) -> Response:
    path = dist / name
    if not path.is_file():
        return HTMLResponse(NOT_BUILT.format(where=dist), status_code=503, headers=PAGE_HEADERS)
    return FileResponse(path, media_type="text/html", headers=PAGE_HEADERS)


class _Assets(StaticFiles):
    """Hashed build assets, cached for a year."""

    async def check_config(self) -> None:
        # Not built yet: every asset is simply not found (the pages say why).
        return None

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = ASSET_CACHE
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def routes(settings: Settings) -> list[BaseRoute]:
    """/ and /app redirect to /app/; /app/assets/ serves the build; every other path
    under /app/ is a route of the app, answered with its index.html."""
    dist = dist_dir(settings)

    async def root(request: Request) -> Response:
        return RedirectResponse("/app/", status_code=307)

    async def app_page(request: Request) -> Response:
        return _page(dist, "index.html")

    return [
        Route("/", root, methods=["GET"]),
        Route("/app", root, methods=["GET"]),
        Mount("/app/assets", _Assets(directory=dist / "assets", check_dir=False)),
        Route("/app/{path:path}", app_page, methods=["GET"]),
    ]


def query_console(settings: Settings) -> Response:
    """The page GET /graphql shows in a browser: a query console built with the app,
    served from this origin (GraphiQL's stock page loads React from a public CDN)."""
    return _page(dist_dir(settings), "query.html")
