"""The case workbench (web/) in a real browser: Debian's Chromium driven by Playwright,
against the service over HTTP on the demo case. Chromium must be installed (.ci/run
installs it): without it these tests fail, they do not skip."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from playwright.async_api import Browser, Page, Request, Response, async_playwright, expect

from accountability.app import create_app
from accountability.demo import demo_document
from accountability.domain.redaction import SYSTEM, Role
from accountability.graph.database import Database
from accountability.services.container import Services
from accountability.settings import Settings
from accountability.web import CSP
from tests.builders import REPO

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("ACCOUNTABILITY_TEST_CHROMIUM", "/usr/bin/chromium"))
#: As the machine's notes say: without the background-networking flags Chromium tries to
#: reach Google at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DIST = REPO / "web" / "dist"
#: Set to a folder (docs/workbench) to save screenshots of the main pages there.
SHOTS = os.environ.get("ACCOUNTABILITY_SCREENSHOTS")
DEMO = demo_document()
#: Nodes of the workbench's own tests, beside the demo: a person to edit, an item whose
#: custody is recorded, and an incident whose note holds two uncertain mentions (lower
#: case, so the masker is not sure they are names) of protected persons: "masry" may be
#: Hiba Masri (p-024), "dahir" Lina Daher (p-033).
EXTRA = {
    "format": DEMO["format"],
    "version": DEMO["version"],
    "nodes": [
        {
            "id": "p-web-edit",
            "label": "Person",
            "properties": {"name": "Fictional Edited Person", "gender": "male"},
        },
        {
            "id": "e-web-custody",
            "label": "Evidence",
            "properties": {
                "kind": "document",
                "title": "Fictional register handed over in the browser test",
                "sha256": "ab" * 32,
                "classification": "public",
            },
        },
        {
            "id": "i-web-mentions",
            "label": "Incident",
            "properties": {
                "kind": "other",
                "title": "Fictional closure noted in the workbench test",
                "description": "Fictional note: the masry bakery and the dahir road, both closed.",
            },
        },
    ],
    "claims": [],
}
#: Every name and alias of the demo's protected persons (witnesses and victims): what a
#: reader without clearance must never be shown.
PROTECTED = sorted(
    {
        text
        for n in DEMO["nodes"]
        if n["properties"].get("protected")
        for text in [n["properties"]["name"], *n["properties"].get("aliases", [])]
    }
)


@dataclass
class Served:
    base: str
    tokens: dict[Role, str]
    data_dir: Path


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def served(
    settings: Settings, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    """The demo case in an engine of its own (its protected names would otherwise mask
    other tests' texts), served by uvicorn on a free port in this event loop."""
    assert (DIST / "index.html").is_file(), (
        "web/dist is missing: run ./dev install (it builds web/ with npm)"
    )
    own: Database | None = None
    here = settings
    if settings.db_uri is None:
        here = settings.model_copy(
            update={
                "data_dir": tmp_path_factory.mktemp("web"),
                "cursor_key_file": settings.data_dir / "cursor.key",
            }
        )
        own = Database(here)
        await own.open()
    database = own or db
    services = Services.over(database, here)
    await services.interchange.import_document(SYSTEM, DEMO)
    await services.interchange.import_document(SYSTEM, EXTRA)
    tokens = {
        role: (await services.tokens.create(role, f"Fictional {role.value}", SYSTEM))[1]
        for role in Role
    }
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = uvicorn.Config(
        create_app(here, database=database),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="none",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            assert not task.done() and time.monotonic() < deadline, "uvicorn did not start"
            await asyncio.sleep(0.05)
        yield Served(f"http://127.0.0.1:{port}", tokens, here.data_dir)
    finally:
        server.should_exit = True
        await task
        if own is not None:
            await own.close()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless Chromium for the module: Debian's, never a downloaded one."""
    if not await asyncio.to_thread(CHROMIUM.exists):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    async with async_playwright() as p:
        launched = await p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        await launched.close()


@dataclass
class Tab:
    """A page in a fresh context, with every request and GraphQL answer it saw."""

    page: Page
    base: str
    requests: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    pending: list[asyncio.Task[None]] = field(default_factory=list)

    async def go(self, path: str) -> None:
        """Open a page and wait until nothing on it is loading any more."""
        await self.page.goto(self.base + path)
        await self.page.locator("main").first.wait_for()
        await self.page.wait_for_function("() => !document.querySelector('[aria-busy]')")

    async def settle(self) -> None:
        await asyncio.gather(*self.pending)

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.base + "/", "data:", "blob:"))]


@contextlib.asynccontextmanager
async def tab(browser: Browser, served: Served) -> AsyncIterator[Tab]:
    context = await browser.new_context(
        viewport={"width": 1366, "height": 768}, accept_downloads=True
    )
    page = await context.new_page()
    t = Tab(page, served.base)

    async def keep(response: Response) -> None:
        with contextlib.suppress(Exception):  # a body gone with its page
            t.answers.append(await response.text())

    def on_response(response: Response) -> None:
        if response.url.startswith(served.base + "/graphql"):
            t.pending.append(asyncio.ensure_future(keep(response)))

    def on_request(request: Request) -> None:
        t.requests.append(request.url)

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("console", lambda m: t.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: t.console_errors.append(str(e)))
    try:
        yield t
        await t.settle()
        # No request leaves the service's origin, and the CSP was never violated.
        assert t.foreign() == [], t.foreign()
        assert t.console_errors == [], t.console_errors
    finally:
        await context.close()


async def sign_in(t: Tab, token: str) -> None:
    await t.go("/")
    assert t.page.url == t.base + "/app/"
    await t.page.get_by_label("Token").fill(token)
    await t.page.get_by_role("button", name="Sign in").click()
    await t.page.get_by_text("Signed in as").wait_for()


async def shot(page: Page, name: str) -> None:
    """A screenshot for the documentation, when ACCOUNTABILITY_SCREENSHOTS names a folder."""
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


async def stored_token(page: Page) -> Any:
    return await page.evaluate("() => sessionStorage.getItem('accountability.token')")


def api(served: Served, role: Role, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{served.base}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {served.tokens[role]}"},
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def in_thread(fn: Callable[[], Any]) -> Any:
    """Blocking HTTP from the test while the server answers in this event loop."""
    return await asyncio.to_thread(fn)


async def test_pages_are_served_with_a_strict_policy(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.base) as c:
        root = await c.get("/")
        assert root.status_code == 307 and root.headers["location"] == "/app/"
        for path in (
            "/app/",
            "/app/search?q=x",
            "/app/person/p-001",
            "/app/unit/u-01?at=2013-01-01",
        ):
            page = await c.get(path)
            assert page.status_code == 200 and '<div id="app">' in page.text, path
            assert page.headers["content-security-policy"] == CSP
            assert "'unsafe-inline'" not in CSP and "http" not in CSP
        script = next(p for p in (DIST / "assets").iterdir() if p.suffix == ".js")
        asset = await c.get(f"/app/assets/{script.name}")
        assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
        assert (await c.get("/app/assets/nothing.js")).status_code == 404
        console = await c.get("/graphql", headers={"Accept": "text/html"})
        assert console.status_code == 200 and console.headers["content-security-policy"] == CSP
        # Nothing is loaded from another origin: every src and href is on this one.
        for html in (page.text, console.text):
            assert "http:" not in html and "https:" not in html and '="//' not in html


async def test_an_unbuilt_workbench_says_how_to_build_it(
    settings: Settings, tmp_path: Path
) -> None:
    app = create_app(settings.model_copy(update={"web_dist": tmp_path / "none"}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        page = await c.get("/app/case/x")
        assert page.status_code == 503 and "./dev install" in page.text
        assert (await c.get("/app/assets/index.js")).status_code == 404


async def test_no_console_without_introspection(settings: Settings, db: Database) -> None:
    app = create_app(settings.model_copy(update={"introspection": False}), database=db)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as c,
    ):
        page = await c.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code != 200 and "query console" not in page.text
        assert (await c.get("/app/")).status_code == 200  # the workbench stays


def test_the_image_builds_and_serves_the_workbench() -> None:
    """The image installs the package editable in /app: the build goes to /app/web/dist,
    where web.py looks for it."""
    text = (REPO / "Dockerfile").read_text()
    assert "RUN npm ci --prefix web" in text and "RUN npm run --prefix web build" in text
    assert "COPY --from=web /src/web/dist web/dist" in text and "WORKDIR /app" in text


def test_the_typescript_types_match_the_schema() -> None:
    """web/src/gql/schema.ts is generated from schema/schema.graphql: no drift."""
    result = subprocess.run(
        ["node", "web/scripts/gen-types.mjs", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + "\nrun: npm run gen (in web/)"


async def test_an_investigator_finds_who_is_liable_and_builds_a_case(
    served: Served, browser: Browser, tmp_path: Path
) -> None:
    token = served.tokens[Role.INVESTIGATOR]
    async with tab(browser, served) as t:
        page = t.page
        started = time.monotonic()
        await sign_in(t, token)
        first_load = time.monotonic() - started
        assert await stored_token(page) == token
        assert await page.evaluate("() => localStorage.length") == 0

        # Search in both scripts, from the box in the header.
        for words in ("tahhan", "الطحان"):
            await page.locator("#q").fill(words)
            await page.locator("#q").press("Enter")
            persons = page.locator('section[data-label="PERSON"]')
            await persons.get_by_role("link", name="Karim Tahhan").wait_for()
        assert "/app/search?q=" in page.url
        await shot(page, "search")
        # Results come a page at a time.
        await page.locator("#q").fill("al")
        await page.locator("#q").press("Enter")
        found = page.locator('section[data-label="PERSON"] li')
        await expect(found).to_have_count(10)
        await page.get_by_role("button", name="More persons").click()
        await expect(found).to_have_count(20)

        # The person: profile, roles over time, claims with evidence; Arabic isolated.
        await page.get_by_role("link", name="Karim Tahhan").click()
        await page.get_by_role("heading", name="Karim Tahhan").wait_for()
        assert page.url.endswith("/app/person/p-003")
        assert await page.locator("svg.timeline rect.bar").count() > 0
        assert await page.locator('bdi[dir="auto"]', has_text="كريم الطحان").count() == 1
        assert await page.locator("table.claims tbody tr").count() > 0
        colleagues = page.locator('[data-testid="colleagues"]')
        await colleagues.get_by_role("link", name="Wael Sarraf").first.wait_for()
        await shot(page, "person")

        # The incident: the trace as a graph and as a table matching the API.
        started = time.monotonic()
        await page.get_by_role("link", name="Torture during interrogation").first.click()
        rows = page.locator('[data-testid="trace-table"] tbody tr')
        await rows.first.wait_for()
        trace_load = time.monotonic() - started
        await page.locator('[data-testid="trace-graph"] canvas').first.wait_for(state="attached")
        expected = await in_thread(
            lambda: api(
                served,
                Role.INVESTIGATOR,
                "query($i: ID!) { trace(incidentId: $i) { links { mode person { id } "
                "path { node { id } } } } }",
                i="i-001",
            )
        )
        links = {(li["person"]["id"], li["mode"]) for li in expected["trace"]["links"]}
        shown = set()
        for i in range(await rows.count()):
            row = rows.nth(i)
            shown.add(
                (await row.get_attribute("data-person"), await row.get_attribute("data-mode"))
            )
        assert shown == links and len(links) == await rows.count()
        drawn = {"i-001"} | {
            step["node"]["id"] for li in expected["trace"]["links"] for step in li["path"]
        }
        graph = page.locator('[data-testid="trace-graph"]')
        assert await graph.get_attribute("data-nodes") == str(len(drawn))
        assert int(await graph.get_attribute("data-edges") or 0) >= len(drawn) - 1

        # Why is this person liable? Every reason, in words.
        await rows.first.get_by_role("button", name="Explain").click()
        reasons = page.locator("section.explain ul.reasons li.step")
        await reasons.first.wait_for()
        assert "confidence; claim" in await reasons.first.inner_text()
        # ... and the elements of each mode the person is linked by, with their bases.
        explained = await rows.first.get_attribute("data-person")
        modes = {m for p, m in links if p == explained and m != "PRESENT"}
        elements = page.locator('section.explain [data-testid="elements"]')
        await expect(elements).to_have_count(len(modes))
        assessed = (
            await in_thread(
                lambda: api(
                    served,
                    Role.INVESTIGATOR,
                    "query($p: ID!, $i: ID!, $m: LiabilityMode!) { liabilityElements("
                    "personId: $p, incidentId: $i, mode: $m) { element part status basis } }",
                    p=explained,
                    i="i-001",
                    m=sorted(modes)[0],
                )
            )
        )["liabilityElements"]
        shown_elements = elements.and_(page.locator(f'[data-mode="{sorted(modes)[0]}"]'))
        cells = shown_elements.locator("tbody tr")
        await expect(cells).to_have_count(len(assessed))
        for i, a in enumerate(assessed):
            assert await cells.nth(i).get_attribute("data-status") == a["status"]
            assert a["basis"] in await cells.nth(i).locator("td.basis").inner_text()
        await elements.first.scroll_into_view_if_needed()
        await shot(page, "elements")
        await page.locator('[data-testid="trace-graph"]').scroll_into_view_if_needed()
        await shot(page, "incident")
        await page.emulate_media(media="print")  # printed: no header, buttons or forms
        assert not await page.locator("header.top").is_visible()
        assert not await rows.first.get_by_role("button", name="Explain").is_visible()
        assert await rows.first.is_visible()
        await page.emulate_media(media="screen")

        # A command chart at two dates.
        await t.go("/app/unit/u-01?at=2013-04-10")
        chart = page.locator('[data-testid="command-chart"]')
        await chart.get_by_role("link", name="Saeed Maarouf").wait_for()
        await page.locator('input[name="at"]').fill("2016-01-01")
        await page.locator('[data-testid="chart-date"]', has_text="2016-01-01").wait_for()
        await chart.get_by_role("link", name="Raed Ghanem").wait_for()
        assert await chart.get_by_role("link", name="Saeed Maarouf").count() == 0
        assert page.url.endswith("/app/unit/u-01?at=2016-01-01")
        await shot(page, "unit")
        await t.go("/app/facility/f-1?at=2013-04-10")
        assert await page.locator("svg.bars rect.bar").count() > 0
        assert await page.locator("svg.timeline rect.bar").count() > 0
        await shot(page, "facility")

        # A case file built from the trace, one entity removed with a reason.
        await t.go("/app/cases")
        await page.get_by_label("Title").fill("Fictional browser case")
        await page.get_by_role("button", name="Create case file").click()
        await page.get_by_role("heading", name="Fictional browser case").wait_for()
        case_id = page.url.rsplit("/", 1)[1]
        await t.go("/app/incident/i-001")
        await page.get_by_label("Case file").select_option(case_id)
        await page.get_by_role("button", name="Add trace").click()
        await page.get_by_role("status").filter(has_text="added").wait_for()
        await page.get_by_role("link", name="Open the case file").click()
        members = page.locator('section[data-label="PERSON"] li')
        await members.first.wait_for()
        before = await members.count()
        await page.get_by_label("select p-003").check()
        await page.get_by_label("Reason").fill("Fictional reason: checked in the browser test")
        await page.get_by_role("button", name="Remove").click()
        await page.get_by_role("status").filter(has_text="1 removed").wait_for()
        await expect(members).to_have_count(before - 1)
        assert await page.get_by_label("select p-003").count() == 0
        matrix = page.locator('[data-testid="element-matrix"] table.matrix > tbody > tr[data-mode]')
        await matrix.first.wait_for()
        expected_rows = (
            await in_thread(
                lambda: api(
                    served,
                    Role.INVESTIGATOR,
                    "query($c: ID!) { caseMatrix(caseId: $c) { rows { gaps mode "
                    "person { id } incident { id } cells { element part status } } } }",
                    c=case_id,
                )
            )
        )["caseMatrix"]["rows"]
        assert expected_rows and all(r["person"]["id"] != "p-003" for r in expected_rows)
        await expect(matrix).to_have_count(len(expected_rows))
        gaps = [
            int(await matrix.nth(i).get_attribute("data-gaps") or -1)
            for i in range(len(expected_rows))
        ]
        assert gaps == [r["gaps"] for r in expected_rows] and gaps == sorted(gaps, reverse=True)
        first = expected_rows[0]
        assert await matrix.first.get_attribute("data-person") == first["person"]["id"]
        for cell in first["cells"]:
            where = f'td[data-element="{cell["element"]}"][data-part="{cell["part"]}"]'
            assert await matrix.first.locator(where).get_attribute("data-status") == cell["status"]
        await matrix.first.get_by_role("button", name="Details").click()
        details = page.locator('[data-testid="matrix-details"] [data-testid="elements"]')
        await details.locator("tbody tr").first.wait_for()
        assert await details.locator("td.basis").first.inner_text()
        await page.locator('[data-testid="element-matrix"]').evaluate("e => e.scrollIntoView()")
        await shot(page, "matrix")

        # Export it (the investigator's ceiling is partner), watch it, download, verify.
        assert await page.locator('select[name="profile"] option').all_inner_texts() == [
            "partner",
            "public",
        ]
        await page.get_by_role("button", name="Start export").click()
        digest = page.locator('[data-testid="manifest-hash"]')
        await digest.wait_for(timeout=60_000)
        manifest = await digest.inner_text()
        await page.locator(".job").scroll_into_view_if_needed()
        await shot(page, "case")
        async with page.expect_download() as waiting:
            await page.get_by_role("button", name="Download bundle").click()
        bundle = tmp_path / "bundle.zip"
        await (await waiting.value).save_as(bundle)
        checked = await in_thread(
            lambda: subprocess.run(
                [sys.executable, "-m", "accountability", "verify-bundle", str(bundle), "--json"],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "ACCOUNTABILITY_DATA_DIR": str(served.data_dir)},
            )
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert manifest in checked.stdout

        # Signing out forgets the token.
        await page.get_by_role("button", name="Sign out").click()
        await page.get_by_label("Token").wait_for()
        assert await stored_token(page) is None
    print(f"first load and sign-in {first_load:.2f} s, trace page {trace_load:.2f} s")


#: What a reader without clearance looks at where protected persons are involved.
VIEWER_PAGES = (
    "/app/search?q=homsi",
    "/app/search?q=رشا",
    "/app/search?q=witness",
    "/app/person/p-020",
    "/app/person/p-024",
    "/app/person/p-029",
    "/app/facility/f-1?at=2013-04-10",
    "/app/facility/f-2?at=2014-01-01",
    *(f"/app/incident/i-00{i}" for i in range(1, 10)),
    "/app/case/case-1",
    "/app/incident/i-web-mentions",
    "/app/evidence/e-web-custody",
    "/app/evidence/e-023",
    "/app/mentions",
)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ANALYST])
async def test_a_reader_sees_no_write_action_and_no_protected_name(
    served: Served, browser: Browser, role: Role, tmp_path: Path
) -> None:
    async with tab(browser, served) as t:
        page = t.page
        await sign_in(t, served.tokens[role])
        assert await page.get_by_role("link", name="New entry").count() == 0
        assert await page.get_by_role("link", name="Admin").count() == 0
        assert await page.get_by_role("link", name="Mentions to review").count() == 0
        await t.go("/app/person/p-003")
        await page.get_by_role("heading", name="Karim Tahhan").wait_for()
        assert await page.get_by_role("button", name="Retract…").count() == 0
        assert await page.get_by_role("button", name="Evidence…").count() == 0
        assert await page.get_by_role("button", name="Edit").count() == 0
        await t.go("/app/cases")
        assert await page.get_by_role("button", name="Create case file").count() == 0
        texts: list[str] = []
        for path in VIEWER_PAGES:
            await t.go(path)
            await page.locator("main").wait_for()
            assert await page.get_by_text("Add this trace to a case file").count() == 0
            assert await page.get_by_role("button", name="Edit").count() == 0
            assert await page.get_by_text("Record a custody event").count() == 0
            texts.append(await page.content())
            texts.append(await page.locator("body").inner_text())
        # The case's element matrix is theirs to read too.
        await t.go("/app/case/case-1")
        assert await page.locator('[data-testid="element-matrix"] tr[data-mode]').count() > 0
        # Why? for everyone linked to an incident: the paths and the legal elements.
        await t.go("/app/incident/i-001")
        linked = page.locator('[data-testid="trace-table"] tbody tr')
        for i in range(await linked.count()):
            await linked.nth(i).get_by_role("button", name="Explain").click()
            who = await linked.nth(i).get_attribute("data-person")
            await page.locator(f'section.explain[data-person="{who}"] ol').wait_for()
            await page.wait_for_function("() => !document.querySelector('[aria-busy]')")
            texts.append(await page.locator("section.explain").inner_text())
        assert "basis" in "\n".join(texts).casefold()
        # The trace exported at the role's ceiling: the bundle names no protected person.
        offered = await page.locator('select[name="profile"] option').all_inner_texts()
        assert offered == (["public"] if role is Role.VIEWER else ["partner", "public"])
        await page.get_by_role("button", name="Start export").click()
        await page.locator('[data-testid="manifest-hash"]').wait_for(timeout=60_000)
        async with page.expect_download() as waiting:
            await page.get_by_role("button", name="Download bundle").click()
        bundle = tmp_path / "trace.zip"
        await (await waiting.value).save_as(bundle)
        with zipfile.ZipFile(bundle) as z:
            texts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        await t.settle()
        seen = "\n".join([*texts, *t.answers]).casefold()
        assert [name for name in PROTECTED if name.casefold() in seen] == []
        assert "witness k-7" in seen  # the pseudonym is what they see
        # The mentions to review are not for them: the page says so and asks nothing.
        assert "needs clearance" in seen and "mentionstoreview" not in seen
        assert "masry" not in seen  # an uncertain mention stays withheld


async def test_an_admin_manages_tokens_and_verifies_the_audit_log(
    served: Served, browser: Browser
) -> None:
    async with tab(browser, served) as t:
        page = t.page
        page.on("dialog", lambda d: t.pending.append(asyncio.ensure_future(d.accept())))
        await sign_in(t, served.tokens[Role.ADMIN])
        await page.get_by_role("link", name="Admin").click()
        await page.get_by_role("heading", name="Audit log").wait_for()
        await page.get_by_label("Holder's name").fill("Fictional Reader Created In The Browser")
        await page.get_by_label("Role").select_option("VIEWER")
        await page.get_by_role("button", name="Create token").click()
        token = await page.locator('[data-testid="new-token"]').inner_text()
        assert token.startswith("acc_")
        row = page.locator('[data-testid="tokens"] tr', has_text="Created In The Browser")
        await row.get_by_role("button", name="Revoke").click()
        await expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
        await page.get_by_role("button", name="Verify the chain").click()
        status = page.locator('[data-testid="audit-status"]')
        await expect(status).to_contain_text("Chain intact")


async def test_field_errors_show_next_to_the_field(served: Served, browser: Browser) -> None:
    async with tab(browser, served) as t:
        await sign_in(t, served.tokens[Role.INVESTIGATOR])
        await t.page.get_by_role("link", name="New entry").click()
        form = t.page.locator('[data-testid="add-claim"]')
        await form.get_by_label("From (id)").fill("p-003")
        await form.get_by_label("To (id)").fill("p-003")
        await form.get_by_label("Valid from").fill("2013-01-01")
        await form.get_by_label("Evidence ids").fill("e-001")
        await form.get_by_role("button", name="Add claim").click()
        await form.locator(".field-error").first.wait_for()
        assert await form.locator('[data-field="to"], [data-field="type"]').count() > 0

        # Evidence attached to a claim must exist.
        await t.go("/app/person/p-003")
        claim = t.page.locator("table.claims tbody tr").first
        await claim.get_by_role("button", name="Evidence…").click()
        await claim.get_by_label("Evidence ids").fill("e-fictional-missing")
        await claim.get_by_role("button", name="Attach").click()
        error = claim.locator('.field-error[data-field="evidence"]')
        await expect(error).to_contain_text("no evidence item with id 'e-fictional-missing'")


async def test_an_investigator_edits_a_node_and_records_custody(
    served: Served, browser: Browser
) -> None:
    async with tab(browser, served) as t:
        page = t.page
        await sign_in(t, served.tokens[Role.INVESTIGATOR])
        # Every page of a node they may change offers the form.
        for path in ("/app/unit/u-01", "/app/facility/f-1", "/app/incident/i-001"):
            await t.go(path)
            await page.get_by_role("button", name="Edit").wait_for()
        # A note they see masked (its mentions are not reviewed yet) cannot be edited in
        # place: the masked words would be saved over the real ones.
        await t.go("/app/incident/i-web-mentions")
        await page.get_by_role("button", name="Edit").click()
        form = page.locator('[data-testid="edit-node"] form')
        await expect(form.locator('[name="description"]')).not_to_be_editable()
        await expect(form.locator('[name="title"]')).to_be_editable()
        await expect(form).to_contain_text("withheld from your role")
        # A protected person, shown to them by pseudonym: theirs to read, not to change.
        await t.go("/app/person/p-020")
        await page.get_by_role("heading", name="Witness K-7").wait_for()
        assert await page.get_by_role("button", name="Edit").count() == 0

        # A person: the API's error next to the field, then saved.
        await t.go("/app/person/p-web-edit")
        await page.get_by_role("button", name="Edit").click()
        await form.get_by_label("Birth year").fill("1700")
        # Protection is not offered to a role without clearance.
        assert await form.locator('[name="protected"], [name="pseudonym"]').count() == 0
        await form.get_by_role("button", name="Save").click()
        error = form.locator('.field-error[data-field="birth_year"]')
        await expect(error).to_contain_text("1850")
        await form.get_by_label("Birth year").fill("1975")
        await form.get_by_label("Aliases").fill("\n".join(["Fictional Alias", "اسم خيالي"]))
        await form.get_by_role("button", name="Save").click()
        await page.get_by_role("status").filter(has_text="Saved: aliases, birth_year").wait_for()
        facts = page.locator("dl.facts")
        await expect(facts).to_contain_text("1975")
        assert await facts.locator('bdi[dir="auto"]', has_text="اسم خيالي").count() == 1
        stored = await in_thread(
            lambda: api(
                served,
                Role.INVESTIGATOR,
                'query { person(id: "p-web-edit") { birthYear aliases gender } }',
            )
        )
        assert stored["person"] == {
            "birthYear": 1975,
            "aliases": ["Fictional Alias", "اسم خيالي"],
            "gender": "male",  # untouched
        }

        # Evidence: public, so editable, but its classification is not theirs to change;
        # a hand-over recorded with the hash of the file as held, which does not match.
        await t.go("/app/evidence/e-web-custody")
        await page.get_by_role("button", name="Edit").click()
        await form.get_by_label("Title").wait_for()
        assert await form.locator('[name="classification"]').count() == 0
        await form.get_by_role("button", name="Cancel").click()
        events = page.locator('[data-testid="custody"] li')
        before = await events.count()
        custody = page.locator('[data-testid="record-custody"]')
        await custody.get_by_label("Action").select_option("transferred")
        await custody.get_by_label("From", exact=True).fill("Fictional Registry Office")
        await custody.get_by_label("To", exact=True).fill("Fictional Court Clerk")
        await custody.get_by_label("SHA-256").fill("0" * 64)
        await custody.get_by_label("Note").fill("Fictional hand-over in the browser test")
        await custody.get_by_role("button", name="Record").click()
        await custody.get_by_role("status").filter(has_text="DOES NOT match").wait_for()
        await expect(events).to_have_count(before + 1)
        await expect(events.last).to_contain_text("transferred")
        await shot(page, "evidence")


async def test_a_prosecutor_reviews_mentions_and_decides_protection(
    served: Served, browser: Browser
) -> None:
    async with tab(browser, served) as t:
        page = t.page
        await sign_in(t, served.tokens[Role.PROSECUTOR])
        assert await page.get_by_role("link", name="New entry").count() == 0
        await page.get_by_role("link", name="Mentions to review").click()
        table = page.locator('[data-testid="mentions"]')
        masry = table.locator('tr[data-form="masry"]')
        dahir = table.locator('tr[data-form="dahir"]')
        # Cleared: the words as written, and whom they may name, by name.
        await masry.get_by_role("link", name="Hiba Masri").wait_for()
        await dahir.get_by_role("link", name="Lina Daher").wait_for()
        await expect(masry.get_by_role("link", name="i-web-mentions")).to_have_count(1)
        await shot(page, "mentions")
        await masry.get_by_role("button", name="Accept").click()
        await page.get_by_role("status").filter(has_text="masked").wait_for()
        await expect(masry).to_have_count(0)
        await dahir.get_by_role("button", name="Reject").click()
        await page.get_by_role("status").filter(has_text="shown everywhere").wait_for()
        await expect(dahir).to_have_count(0)
        # Readers now see the pseudonym for the one, and the words for the other.
        seen = await in_thread(
            lambda: api(
                served, Role.ANALYST, 'query { incident(id: "i-web-mentions") { description } }'
            )
        )
        assert seen["incident"]["description"] == (
            "Fictional note: the Witness K-12 bakery and the dahir road, both closed."
        )

        # Protection is theirs: offered on a protected person (every field, the real
        # name), and on anyone else the protection alone.
        await t.go("/app/person/p-020")
        await page.get_by_role("button", name="Edit").click()
        form = page.locator('[data-testid="edit-node"] form')
        await expect(form.locator('[name="protected"]')).to_be_checked()
        await expect(form.locator('[name="pseudonym"]')).to_have_value("Witness K-7")
        await expect(form.locator('[name="name"]')).to_have_value("Rasha Homsi")
        await t.go("/app/person/p-web-edit")
        await page.get_by_role("button", name="Edit").click()
        await expect(form.locator('[name="protected"]')).not_to_be_checked()
        assert await form.locator('[name="name"]').count() == 0
        await expect(form).to_contain_text("Your role decides protection only.")
