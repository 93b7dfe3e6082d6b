"""Time the workbench's pages in Debian's Chromium against a running service.

    python -m benchmarks.web_timing http://127.0.0.1:8000 TOKEN \\
        --incidents i-001,i-004 --persons p-003 --units u-01

Each figure runs from navigation until nothing on the page is loading (the app marks
what loads with aria-busy). On the ~1M graph of `accountability bench --trace
--data-dir DIR`, serve DIR/trace-1.6 and use ti-…, ts-… and tu-… ids.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from playwright.sync_api import Page, sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def timed(page: Page, url: str, ready: Callable[[], None]) -> float:
    started = time.monotonic()
    page.goto(url)
    ready()
    page.wait_for_function("() => !document.querySelector('[aria-busy]')", timeout=120_000)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("--incidents", default="i-001")
    parser.add_argument("--persons", default="p-003")
    parser.add_argument("--units", default="u-01")
    parser.add_argument("--search", default="tahhan")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        started = time.monotonic()
        page.goto(f"{base}/app/")
        page.get_by_label("Token").wait_for()
        print("first load to the sign-in form:", ms(time.monotonic() - started))
        page.get_by_label("Token").fill(args.token)
        started = time.monotonic()
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Signed in as").wait_for()
        print("sign-in:", ms(time.monotonic() - started))
        took = timed(page, f"{base}/app/search?q={args.search}", page.locator("main h1").wait_for)
        print("search:", ms(took))
        traces = []
        for incident in args.incidents.split(","):
            graph = page.locator('[data-testid="trace-graph"][data-nodes]')
            took = timed(page, f"{base}/app/incident/{incident}", graph.wait_for)
            traces.append(took)
            rows = page.locator('[data-testid="trace-table"] tbody tr')
            print(
                f"trace page {incident}: {ms(took)} ({rows.count()} links, "
                f"{graph.get_attribute('data-nodes')} nodes drawn)"
            )
            started = time.monotonic()
            rows.first.get_by_role("button", name="Explain").click()
            page.locator("section.explain ol > li").first.wait_for(timeout=120_000)
            print("  explain:", ms(time.monotonic() - started))
        print("trace page median:", ms(statistics.median(traces)))
        for person in args.persons.split(","):
            took = timed(page, f"{base}/app/person/{person}", page.locator("main h1").wait_for)
            print(f"person {person}: {ms(took)}")
        for unit in args.units.split(","):
            chart = page.locator('[data-testid="command-chart"]')
            took = timed(page, f"{base}/app/unit/{unit}?at=2014-06-01", chart.wait_for)
            print(f"command chart {unit}: {ms(took)}")
            started = time.monotonic()
            page.locator('input[name="at"]').fill("2017-01-01")
            page.locator('[data-testid="chart-date"]', has_text="2017-01-01").wait_for()
            print("  at another date:", ms(time.monotonic() - started))
        browser.close()


if __name__ == "__main__":
    main()
