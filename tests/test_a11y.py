"""Accessibility and layout in a real browser: axe-core in headless Chromium.

The real seeds are built once (two pages given tags, one given a status, a rating and
notes, so the tag, badge and notes markup is there too) and served over HTTP. Each view
is checked by axe-core in light and dark colour schemes, at desktop and phone widths:
no violation of impact serious or critical is allowed. Also: nothing overflows sideways
on a phone, the print stylesheet of a paper hides the site chrome, and the search box's
live region announces how many papers match.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser import StaticServer
from conftest import make_project, project_config

from site_builder.build import build_site

try:
    import axe_playwright_python
    from playwright.sync_api import Browser, BrowserContext, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("Playwright or axe-playwright-python is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
TIMEOUT_MS = 10_000
QUERY = "reinforc"
# The paper given notes, a status and a rating; it has links, topics and related papers.
NOTED = "the-roots-of-algorithmic-progress-in-deep-policy-gradient"
TAGGED = (NOTED, "procgen-benchmark")
AUTHOR = "tony"
TAG = "safety"
BLOCKING = ("serious", "critical")

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
SCHEMES = ("light", "dark")


# ------------------------------------------------------------------------ fixtures


@dataclass
class Site:
    out: Path
    base: str
    topic: str  # slug of a topic of the noted paper

    def url(self, path: str) -> str:
        return self.base + path


def add_front(path: Path, lines: str) -> None:
    """Add YAML lines at the end of a page's front matter."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "\n---\n" in text, path
    path.write_text(text.replace("\n---\n", f"\n{lines}\n---\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = make_project(tmp_path_factory.mktemp("a11y-site") / "project")
    config = project_config(root)
    build_site(config)  # imports the seeds into content/papers
    pages = root / "content" / "papers"
    for slug in TAGGED:
        add_front(pages / f"{slug}.md", "tags: [alignment, Safety]")
    add_front(pages / f"{NOTED}.md", 'status: read\nrating: 4\nnotes: "My *notes*"')
    build_site(config)
    out = root / "_site"
    paper = (out / "papers" / f"{NOTED}.html").read_text(encoding="utf-8")
    # The paper page must show everything the brief asks axe to look at.
    for marker in ('id="notes-heading"', 'id="related-heading"', 'id="cite-heading"'):
        assert marker in paper, marker
    assert "<em>notes</em>" in paper
    topics = re.findall(r'href="\.\./topics/([a-z0-9-]+)\.html"', paper)
    topics = [slug for slug in topics if slug != "index"]
    assert topics, "the noted paper has no topic"
    assert (out / "tags" / f"{TAG}.html").is_file()
    assert (out / "authors" / f"{AUTHOR}.html").is_file()
    with StaticServer(out) as server:
        yield Site(out, server.base, topics[0])


def open_search(page: Page) -> None:
    """Type the query into the header's search box and wait for the dropdown's results."""
    page.locator("#search-input").press_sequentially(QUERY, delay=30)
    expect(page.locator("#search-results .search-result").first).to_be_visible()


def wait_search_page(page: Page) -> None:
    """Wait for the results, and for the abstracts' part of the index to have refined them."""
    expect(page.locator("#search-page-results .search-page-result").first).to_be_visible()
    expect(page.locator("#search-page-results")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator("#search-page-status")).not_to_contain_text("Searching abstracts")


@dataclass(frozen=True)
class View:
    name: str
    path: Callable[[Site], str]
    ready: Callable[[Page], None] | None = None


VIEWS = [
    View("home", lambda s: "index.html"),
    View("paper", lambda s: f"papers/{NOTED}.html"),
    View("author", lambda s: f"authors/{AUTHOR}.html"),
    View("topic", lambda s: f"topics/{s.topic}.html"),
    View("tag", lambda s: f"tags/{TAG}.html"),
    View("stats", lambda s: "stats.html"),
    View("search-dropdown", lambda s: "index.html", open_search),
    View("search-page", lambda s: f"search.html?q={QUERY}", wait_search_page),
]


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts; fail the test on any page error or console error."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def console(message: Any) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not url.endswith("/favicon.ico"):
            errors.append(f"console error: {message.text} ({url})")

    def open_page(**options: Any) -> Page:
        # axe-core is injected as a script the pages' Content-Security-Policy would refuse
        # (test_browser.py checks the pages under their policy).
        context = browser.new_context(bypass_csp=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on("console", console)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == []


def show(page: Page, site: Site, view: View) -> None:
    page.goto(site.url(view.path(site)))
    if view.ready:
        view.ready(page)
    page.evaluate("document.fonts.ready")


# ------------------------------------------------------------------------- axe-core


def run_axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return list(results["violations"])


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """One readable line per failing element of each serious or critical violation."""
    lines = []
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            summary = " ".join(str(node.get("failureSummary", "")).split())
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{violation['id']} ({violation['impact']}) {target}: {summary}")
    return lines


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("view", VIEWS, ids=[view.name for view in VIEWS])
def test_axe_finds_no_serious_or_critical_violation(
    site: Site, new_page: Callable[..., Page], view: View, scheme: str, size: str
) -> None:
    page = new_page(viewport=SIZES[size], color_scheme=scheme)
    show(page, site, view)
    assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
    problems = blocking(run_axe(page))
    where = f"{view.name}, {scheme}, {size}"
    assert not problems, f"axe-core on {where}:\n" + "\n".join(problems)


def test_axe_check_catches_a_violation(site: Site, new_page: Callable[..., Page]) -> None:
    """The check above can fail: an unlabelled image and low-contrast text are reported."""
    page = new_page(viewport=DESKTOP, color_scheme="dark")
    page.goto(site.url("index.html"))
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend',
          '<img src="../static/favicon.svg"><p style="color:#222">hard to read</p>');
    }"""
    )
    found = {line.split(" ", 1)[0] for line in blocking(run_axe(page))}
    assert {"image-alt", "color-contrast"} <= found, found


# ---------------------------------------------------------------------- phone layout

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !el.closest('.chart-scroll, pre, math');
  }).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scroll: document.scrollingElement.scrollWidth, width, wide};
}"""


@pytest.mark.parametrize("view", VIEWS, ids=[view.name for view in VIEWS])
def test_nothing_overflows_sideways_on_a_phone(
    site: Site, new_page: Callable[..., Page], view: View
) -> None:
    page = new_page(viewport=PHONE, color_scheme="light")
    show(page, site, view)
    found = page.evaluate(OVERFLOW)
    assert found["width"] == PHONE["width"]
    assert found["scroll"] <= found["width"] + 1, found


# ------------------------------------------------------------------------------ print

CHROME = (".site-header", ".search-area", ".site-footer")


def display(page: Page, selector: str) -> str:
    return str(page.locator(selector).evaluate("el => getComputedStyle(el).display"))


def test_print_stylesheet_of_a_paper_hides_header_search_and_footer(
    site: Site, new_page: Callable[..., Page]
) -> None:
    page = new_page(viewport=DESKTOP)
    page.goto(site.url(f"papers/{NOTED}.html"))
    assert all(display(page, selector) != "none" for selector in CHROME)
    page.emulate_media(media="print")
    assert {selector: display(page, selector) for selector in CHROME} == dict.fromkeys(
        CHROME, "none"
    )
    for kept in (".paper-heading", ".abstract", ".notes", ".bibtex pre"):
        assert display(page, kept) != "none", kept
    assert page.locator(".abstract").inner_text().strip()


# ------------------------------------------------------------------------ live region


def test_search_live_region_announces_the_count(site: Site, new_page: Callable[..., Page]) -> None:
    page = new_page(viewport=DESKTOP)
    page.goto(site.url(f"search.html?q={QUERY}"))
    wait_search_page(page)
    count = page.locator("#search-page-results .search-page-result").count()
    assert count > 1
    message = f"{count} papers match \u201c{QUERY}\u201d."

    page.goto(site.url("index.html"))
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == ""
    page.keyboard.press("/")
    expect(page.locator("#search-input")).to_be_focused()
    page.keyboard.type(QUERY, delay=30)
    expect(status).to_have_text(message)
    expect(page.locator("#search-results .search-results-message")).to_have_text(message)
    # Emptying the box empties the announcement.
    page.locator("#search-input").fill("")
    expect(status).to_have_text("")
