"""Take screenshots of the built site in headless Chromium, for the README and reviews.

Run from the project folder (`make screenshots` builds first):

    python scripts/screenshots.py            # uses _site/, building it if it is missing
    python scripts/screenshots.py --build    # builds first

The site is served from a static server on 127.0.0.1 at a free port, and shot at
1280x800 in the system Chromium (/usr/bin/chromium, driven by Playwright; Playwright
never downloads a browser here). Writes into docs/screenshots/, for each view in the
light and the dark colour scheme, <view>-light.png and <view>-dark.png:

    home      the home page: every paper, the filter and sort bar
    paper     a paper page (--paper, else the first paper of the home page's list)
    author    the page of that paper's first author
    topic     the page of that paper's first topic
    stats     the stats page with its charts
    search    the home page with the search dropdown open for --query (reinforc)

and home.png, the light home page again, which README.md shows at the top.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Any

# The browser and its flags live in one place, the test helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000
# True once the dropdown says how many papers match the query (not "Loading…").
RESULTS_SHOWN = """query => {
  const message = document.querySelector("#search-results .search-results-message");
  return Boolean(message) && message.textContent.includes("match")
    && message.textContent.includes(query);
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    """Serve `folder` on 127.0.0.1 at a free port, from a daemon thread."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="static-server", daemon=True).start()
    return server


def build(project: Path, site: Path) -> None:
    command = [sys.executable, "-m", "site_builder", "build", "--out", str(site)]
    print("building:", " ".join(command[1:]), flush=True)
    subprocess.run(command, cwd=project, check=True)


def first_href(page: Any, selector: str, fallback: str) -> str:
    """On a paper page: the first link matching selector, else the first on `fallback`."""
    links = page.locator(selector)
    if links.count() == 0:
        page.goto(urllib.parse.urljoin(page.url, "../" + fallback))
        links = page.locator("main li a")
    return str(links.first.evaluate("a => a.href"))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    parser.add_argument("--site", type=Path, default=None, help="built site (default: _site)")
    parser.add_argument("--build", action="store_true", help="build the site first")
    parser.add_argument(
        "--out", type=Path, default=None, help="where the PNGs go (default: docs/screenshots)"
    )
    parser.add_argument("--query", default="reinforc", help="search typed for search-*.png")
    parser.add_argument("--paper", default=None, help="slug of the paper for paper-*.png")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    project = args.project.resolve()
    site = (args.site or project / "_site").resolve()
    out = (args.out or project / "docs" / "screenshots").resolve()
    if args.build or not (site / "index.html").is_file():
        build(project, site)
    if not os.access(CHROMIUM, os.X_OK):
        print(f"error: {CHROMIUM} not found; install Debian's chromium", file=sys.stderr)
        return 1
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import Page, sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    problems: list[str] = []

    def watch(page: Page) -> None:
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

    def shoot(page: Page, name: str) -> None:
        page.evaluate("document.fonts.ready")
        path = out / name
        page.screenshot(path=str(path))
        print(f"wrote {path}", flush=True)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
                    context.set_default_timeout(TIMEOUT_MS)
                    page = context.new_page()
                    watch(page)
                    page.goto(base + "index.html")
                    shoot(page, f"home-{scheme}.png")
                    if scheme == "light":
                        shoot(page, "home.png")

                    if args.paper:
                        paper = f"papers/{args.paper}.html"
                    else:  # the first paper with a real title, else the first paper
                        titled = page.locator(
                            "#paper-list .paper-card:not(:has(.badge-inferred)) .paper-title"
                        )
                        if titled.count() == 0:
                            titled = page.locator("#paper-list .paper-title")
                        paper = str(titled.first.get_attribute("href"))
                    page.goto(base + paper)
                    shoot(page, f"paper-{scheme}.png")
                    # The paper's first author and first topic (or the biggest topic).
                    author_url = first_href(page, ".paper-authors a", "authors/index.html")
                    topic_url = first_href(page, ".topic-list a", "topics/index.html")
                    page.goto(author_url)
                    shoot(page, f"author-{scheme}.png")
                    page.goto(topic_url)
                    shoot(page, f"topic-{scheme}.png")

                    page.goto(base + "stats.html")
                    shoot(page, f"stats-{scheme}.png")

                    page.goto(base + "index.html")
                    page.locator("#search-input").press_sequentially(args.query, delay=30)
                    page.wait_for_function(RESULTS_SHOWN, arg=args.query)
                    shoot(page, f"search-{scheme}.png")
                    context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    for problem in problems:
        print(f"error: page error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
