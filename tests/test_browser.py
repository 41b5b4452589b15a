"""The site in a real browser: headless Chromium on real builds of the real seeds.

One Chromium per session, one build of the seeds (with --base-url /reading-list/) served
under /reading-list/ like a GitHub project site; each test gets a fresh browser context.
Every test fails on a page error, a console error or a request outside the sub-path.
What the pages should show is worked out from the Markdown pages the build wrote.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import StaticServer, copy_under, free_port
from conftest import make_project, run_cli

try:
    from playwright.sync_api import Browser, BrowserContext, Page, expect
except ImportError:  # pragma: no cover - depends on the environment
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("Playwright for Python is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

SUB_PATH = "/reading-list/"
TIMEOUT_MS = 10_000


# ------------------------------------------------------------------ expected data


@dataclass(frozen=True)
class Paper:
    slug: str
    title: str
    authors: tuple[str, ...]
    abstract: str

    @property
    def path(self) -> str:
        return f"papers/{self.slug}.html"

    def words(self) -> list[str]:
        text = " ".join([self.title, *self.authors, self.abstract]).lower()
        return [word for word in re.split(r"\W+", text) if word]


def read_papers(root: Path) -> dict[str, Paper]:
    """The papers of a built project, read from the Markdown pages the build wrote."""
    papers = {}
    for path in sorted((root / "content" / "papers").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        papers[path.stem] = Paper(
            slug=path.stem,
            title=str(meta["title"]),
            authors=tuple(meta.get("authors") or ()),
            # The abstract as text: Markdown's backslash escapes removed.
            abstract=" ".join(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", body).split()),
        )
    return papers


def matching(papers: dict[str, Paper], *prefixes: str) -> set[str]:
    """Paths of the papers where every prefix starts a word of title, authors or abstract."""
    return {
        paper.path
        for paper in papers.values()
        if all(any(word.startswith(p) for word in paper.words()) for p in prefixes)
    }


def by(papers: dict[str, Paper], author: str) -> set[str]:
    return {paper.path for paper in papers.values() if author in paper.authors}


def matches_message(count: int, query: str) -> str:
    if count == 0:
        return f"No papers match \u201c{query}\u201d."
    noun = "paper matches" if count == 1 else "papers match"
    return f"{count} {noun} \u201c{query}\u201d."


# ------------------------------------------------------------------------ fixtures


@dataclass
class Site:
    root: Path  # the project folder
    out: Path  # its _site
    base: str  # URL of the served site, ending in /reading-list/
    papers: dict[str, Paper]

    def url(self, path: str = "") -> str:
        return self.base + path

    def paths(self, urls: Iterable[str | None]) -> set[str]:
        """Site-relative paths of absolute URLs under base (or file:// URLs under out)."""
        out = set()
        for url in urls:
            assert url is not None
            for prefix in (self.base, self.out.as_uri() + "/"):
                if url.startswith(prefix):
                    out.add(url[len(prefix) :])
                    break
            else:
                raise AssertionError(f"{url} is not a page of the site")
        return out


@dataclass
class Problems:
    """Page errors, console errors and requests outside the site's sub-path."""

    base: str = ""
    allowed: set[str] = field(default_factory=set)
    found: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.found.append(f"page error: {error}"))
        page.on("console", self.console)
        page.on("request", self.request)

    def console(self, message: Any) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # Chromium asks every http page's host for /favicon.ico: not the site's doing.
        if url.endswith("/favicon.ico") or url in self.allowed:
            return
        self.found.append(f"console error: {message.text} ({url})")

    def request(self, request: Any) -> None:
        if not self.base:
            return
        parts = urllib.parse.urlsplit(request.url)
        origin = urllib.parse.urlsplit(self.base)
        outside = parts.netloc == origin.netloc and not parts.path.startswith(origin.path)
        if outside and parts.path != "/favicon.ico":
            self.found.append(f"request outside {origin.path}: {request.url}")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real seeds built with --base-url /reading-list/, served under that sub-path."""
    tmp = tmp_path_factory.mktemp("browser-site")
    root = make_project(tmp / "project")
    result = run_cli("build", "--base-url", SUB_PATH, cwd=root)
    assert result.returncode == 0, result.stderr
    www = tmp / "www"
    served = copy_under(root / "_site", www, SUB_PATH)
    with StaticServer(www, not_found=served / "404.html") as server:
        yield Site(root, root / "_site", server.url(SUB_PATH), read_papers(root))


@pytest.fixture
def problems() -> Problems:
    return Problems()


def open_context(browser: Browser, problems: Problems, **options: Any) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("page", problems.watch)
    return context


@pytest.fixture
def context(browser: Browser, site: Site, problems: Problems) -> Iterator[BrowserContext]:
    problems.base = site.base
    context = open_context(browser, problems)
    yield context
    context.close()
    assert problems.found == []


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# ------------------------------------------------------------------------- helpers

DROPDOWN = "#search-results"
RESULT = "#search-results .search-result"
PAGE_RESULT = "#search-page-results .search-page-result"
# The page a result opens: a dropdown option's data-href, or the search page's title link.
HREF = "el => el.closest('[data-href]')?.dataset.href || el.querySelector('a').href"


def result_paths(site: Site, page: Page, selector: str) -> set[str]:
    titles = page.locator(f"{selector} .search-result-title")
    return site.paths(title.evaluate(HREF) for title in titles.all())


def check_result_bodies(site: Site, page: Page, selector: str) -> None:
    """Each result shows the paper's title (maybe shortened), its authors and a snippet."""
    items = page.locator(selector)
    assert items.count() > 0
    by_path = {paper.path: paper for paper in site.papers.values()}
    for i in range(items.count()):
        item = items.nth(i)
        (path,) = site.paths([item.locator(".search-result-title").evaluate(HREF)])
        paper = by_path[path]
        title = item.locator(".search-result-title").inner_text()
        assert title == paper.title or (
            title.endswith("\u2026") and paper.title.startswith(title[:-1].rstrip())
        ), (title, paper.title)
        authors = item.locator(".search-result-authors").inner_text()
        assert authors == ", ".join(paper.authors)
        snippet = item.locator(".search-result-snippet").inner_text().rstrip("\u2026").strip()
        assert len(snippet) > 40, snippet
        assert paper.abstract.startswith(snippet), (snippet, paper.abstract[:200])


def type_slowly(page: Page, selector: str, text: str) -> None:
    page.locator(selector).press_sequentially(text, delay=40)


# --------------------------------------------------------------------------- tests


def test_live_results_while_typing_under_a_sub_path(site: Site, page: Page) -> None:
    page.goto(site.url("index.html"))
    expect(page.locator(DROPDOWN)).to_be_hidden()
    box = page.locator("input[type=search]")

    # Half a word already finds papers, with nothing submitted.
    type_slowly(page, "input[type=search]", "reinf")
    expect(page.locator(RESULT).first).to_be_visible()
    assert box.input_value() == "reinf"
    assert page.url == site.url("index.html")

    type_slowly(page, "input[type=search]", "orc")
    expected = matching(site.papers, "reinforc")
    assert {"papers/procgen-benchmark.html", "papers/openai-o1-system-card.html"} <= expected
    expect(page.locator(f"{DROPDOWN} .search-results-message")).to_have_text(
        matches_message(len(expected), "reinforc")
    )
    assert len(expected) <= 8  # all fit in the dropdown
    expect(page.locator(RESULT)).to_have_count(len(expected))
    assert result_paths(site, page, DROPDOWN) == expected
    check_result_bodies(site, page, RESULT)
    # The o1 System Card matched through its abstract, and the match is highlighted.
    o1 = page.locator(RESULT).filter(has_text="OpenAI o1 System Card")
    expect(o1.locator(".search-result-snippet mark")).to_have_text(["reinforcement"])
    expect(box).to_have_attribute("aria-expanded", "true")

    page.locator(RESULT).filter(has_text="Procgen Benchmark").click()
    expect(page).to_have_url(site.url("papers/procgen-benchmark.html"))
    assert urllib.parse.urlsplit(page.url).path == SUB_PATH + "papers/procgen-benchmark.html"
    expect(page.locator("h1")).to_have_text("Procgen Benchmark")
    # The stylesheet under the sub-path was loaded and applied.
    assert page.evaluate("document.styleSheets[0].cssRules.length") > 10


def test_enter_opens_the_search_page_which_keeps_the_query_in_the_url(
    site: Site, page: Page
) -> None:
    page.goto(site.url("index.html"))
    type_slowly(page, "#search-input", "reinforc")
    expect(page.locator(RESULT).first).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url("search.html?q=reinforc"))
    expected = matching(site.papers, "reinforc")
    expect(page.locator("#search-page-status")).to_have_text(
        matches_message(len(expected), "reinforc")
    )
    expect(page.locator(PAGE_RESULT)).to_have_count(len(expected))
    assert result_paths(site, page, "#search-page-results") == expected
    check_result_bodies(site, page, PAGE_RESULT)
    expect(page.locator(DROPDOWN)).to_be_hidden()  # the page lists them instead

    # Typing more narrows the list and updates the URL, so it can be shared.
    page.locator("#search-input").press("End")
    type_slowly(page, "#search-input", " procgen")
    expect(page).to_have_url(site.url("search.html?q=reinforc+procgen"))
    narrowed = matching(site.papers, "reinforc", "procgen")
    assert 0 < len(narrowed) < len(expected)
    expect(page.locator(PAGE_RESULT)).to_have_count(len(narrowed))
    assert result_paths(site, page, "#search-page-results") == narrowed

    shared = page.context.new_page()
    shared.goto(page.url)
    expect(shared.locator(PAGE_RESULT)).to_have_count(len(narrowed))
    assert shared.locator("#search-input").input_value() == "reinforc procgen"

    # A fresh load of search.html?q=jain lists Saachi Jain's papers.
    shared.goto(site.url("search.html?q=jain"))
    jain = by(site.papers, "Saachi Jain")
    assert len(jain) >= 2 and jain == matching(site.papers, "jain")
    expect(shared.locator("#search-page-status")).to_have_text(matches_message(len(jain), "jain"))
    expect(shared.locator(PAGE_RESULT)).to_have_count(len(jain))
    assert result_paths(site, shared, "#search-page-results") == jain
    assert shared.locator("#search-input").input_value() == "jain"


def test_dropdown_links_to_all_results_when_there_are_more_than_fit(site: Site, page: Page) -> None:
    jain = by(site.papers, "Saachi Jain")
    assert len(jain) > 8, "the seeds changed: pick a query with more than 8 results"
    page.goto(site.url("authors/index.html"))
    type_slowly(page, "#search-input", "jain")
    expect(page.locator(RESULT)).to_have_count(8)
    more = page.locator(f"{DROPDOWN} .search-results-more a")
    expect(more).to_have_text(f"Show all {len(jain)} results")
    more.click()
    expect(page).to_have_url(site.url("search.html?q=jain"))
    expect(page.locator(PAGE_RESULT)).to_have_count(len(jain))


def test_no_match_and_query_syntax_are_plain(site: Site, page: Page) -> None:
    page.goto(site.url("index.html"))
    box = page.locator("#search-input")
    type_slowly(page, "#search-input", "qzxwvj")
    expect(page.locator(f"{DROPDOWN} .search-results-message")).to_have_text(
        "No papers match \u201cqzxwvj\u201d."
    )
    expect(page.locator(RESULT)).to_have_count(0)

    # lunr's query syntax is just separators: no error, and the words are searched.
    syntax = "foo:bar ~^*+-"
    box.fill("")
    type_slowly(page, "#search-input", syntax)
    expect(page.locator(f"{DROPDOWN} .search-results-message")).to_have_text(
        matches_message(len(matching(site.papers, "foo", "bar")), syntax)
    )
    box.fill("")
    type_slowly(page, "#search-input", "+procgen~^*")
    expect(page.locator(RESULT)).to_have_count(len(matching(site.papers, "procgen")))

    for query in ("qzxwvj", syntax, "title:procgen", '"unclosed', "\\"):
        page.goto(site.url("search.html?" + urllib.parse.urlencode({"q": query})))
        words = re.findall(r"\w+", query.lower())
        expected = matching(site.papers, *words) if words else set()
        expect(page.locator("#search-page-status")).to_have_text(
            matches_message(len(expected), query)
        )
        expect(page.locator(PAGE_RESULT)).to_have_count(len(expected))
        assert box.input_value() == query
    page.goto(site.url("search.html?q=qzxwvj"))
    expect(page.locator("#search-page-status")).to_have_text("No papers match \u201cqzxwvj\u201d.")
    expect(page.locator(PAGE_RESULT)).to_have_count(0)


def test_without_javascript(site: Site, browser: Browser, problems: Problems) -> None:
    problems.base = site.base
    context = open_context(browser, problems, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url("index.html"))
        expect(page.locator("#paper-list .paper-card")).to_have_count(len(site.papers))
        for card in page.locator("#paper-list .paper-card").all():
            expect(card).to_be_visible()
        expect(page.locator("[data-list-controls]")).to_be_hidden()

        # The search form still submits, to a page that says search needs JavaScript.
        page.locator("#search-input").fill("procgen")
        page.locator("#search-input").press("Enter")
        expect(page).to_have_url(site.url("search.html?q=procgen"))
        # (Playwright's text and role selectors skip <noscript>; CSS reaches into it.)
        notice = page.locator("main noscript .notice")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("Search needs JavaScript")
        expect(page.locator(PAGE_RESULT)).to_have_count(0)
        notice.locator("a", has_text="Browse all papers").click()
        expect(page).to_have_url(site.url("index.html"))
    finally:
        context.close()
    assert problems.found == []


def test_paper_links_its_authors_and_author_page_lists_their_papers(site: Site, page: Page) -> None:
    paper = site.papers["openai-o1-system-card"]
    assert "Saachi Jain" in paper.authors
    page.goto(site.url(paper.path))
    expect(page.locator("h1")).to_have_text(paper.title)
    expect(page.locator(".paper-authors a")).to_have_text(list(paper.authors))

    page.locator(".paper-authors").get_by_role("link", name="Saachi Jain").click()
    expect(page).to_have_url(site.url("authors/saachi-jain.html"))
    expect(page.locator("h1")).to_have_text("Saachi Jain")
    jain = by(site.papers, "Saachi Jain")
    cards = page.locator("#paper-list .paper-title")
    expect(cards).to_have_count(len(jain))
    assert site.paths(link.evaluate("a => a.href") for link in cards.all()) == jain

    cards.filter(has_text=paper.title).click()
    expect(page).to_have_url(site.url(paper.path))
    expect(page.locator("h1")).to_have_text(paper.title)

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Authors").click()
    expect(page).to_have_url(site.url("authors/index.html"))
    authors = sorted({name for p in site.papers.values() for name in p.authors})
    expect(page.locator(".author-list a")).to_have_count(len(authors))
    page.locator(".author-list").get_by_role("link", name="Tony").click()
    expect(page.locator("#paper-list .paper-card")).to_have_count(len(by(site.papers, "Tony")))


def visible_titles(page: Page) -> list[str]:
    return list(
        page.eval_on_selector_all(
            "#paper-list .paper-card:not([hidden]) .paper-title",
            "links => links.map(a => a.textContent.trim())",
        )
    )


def test_home_filter_author_and_sort(site: Site, page: Page) -> None:
    total = len(site.papers)  # 39 from the seeds today; fewer if duplicates get merged
    assert total > 30
    page.goto(site.url("index.html"))
    expect(page.locator(".intro .counts strong")).to_have_text(f"{total} papers")
    expect(page.locator("[data-list-controls]")).to_be_visible()
    count = page.locator("#list-count")
    expect(count).to_have_text(f"Showing all {total} papers")
    all_a_z = visible_titles(page)
    assert sorted(all_a_z) == sorted(p.title for p in site.papers.values())

    type_slowly(page, "#list-filter", "system card")
    wanted = {
        p.title
        for p in site.papers.values()
        if all(w in " ".join([p.title, *p.authors]).lower() for w in ("system", "card"))
    }
    assert 0 < len(wanted) < total
    expect(count).to_have_text(f"Showing {len(wanted)} of {total} papers")
    assert set(visible_titles(page)) == wanted

    page.locator("#list-filter").fill("")
    expect(count).to_have_text(f"Showing all {total} papers")
    page.locator("#list-author").select_option("Saachi Jain")
    jain = {p.title for p in site.papers.values() if "Saachi Jain" in p.authors}
    expect(count).to_have_text(f"Showing {len(jain)} of {total} papers")
    jain_a_z = visible_titles(page)
    assert set(jain_a_z) == jain

    page.locator("#list-sort").select_option("title-desc")
    expect(page.locator("#list-sort")).to_have_value("title-desc")
    assert visible_titles(page) == jain_a_z[::-1]
    assert jain_a_z != jain_a_z[::-1]

    # The choices are in the URL: a reload (or a shared link) restores them.
    assert "sort=title-desc" in page.url and "author=Saachi+Jain" in page.url
    page.reload()
    expect(count).to_have_text(f"Showing {len(jain)} of {total} papers")
    assert visible_titles(page) == jain_a_z[::-1]

    page.locator("#list-author").select_option("")
    expect(count).to_have_text(f"Showing all {total} papers")
    assert visible_titles(page) == all_a_z[::-1]


def test_search_and_links_work_from_disk(site: Site, page: Page) -> None:
    home = (site.out / "index.html").as_uri()
    page.goto(home)
    type_slowly(page, "#search-input", "procgen")
    expected = matching(site.papers, "procgen")
    expect(page.locator(RESULT)).to_have_count(len(expected))
    assert result_paths(site, page, DROPDOWN) == expected
    page.locator(RESULT).filter(has_text="Procgen Benchmark").click()
    expect(page).to_have_url((site.out / "papers" / "procgen-benchmark.html").as_uri())
    expect(page.locator("h1")).to_have_text("Procgen Benchmark")

    page.locator(".paper-authors").get_by_role("link", name="Tony").click()
    expect(page).to_have_url((site.out / "authors" / "tony.html").as_uri())
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Papers").click()
    expect(page).to_have_url(home)
    expect(page.locator("#paper-list .paper-card")).to_have_count(len(site.papers))

    # The full results page works from disk too.
    page.locator("#search-input").fill("jain")
    page.locator("#search-input").press("Enter")
    expect(page).to_have_url((site.out / "search.html").as_uri() + "?q=jain")
    jain = by(site.papers, "Saachi Jain")
    expect(page.locator(PAGE_RESULT)).to_have_count(len(jain))
    assert result_paths(site, page, "#search-page-results") == jain


def test_keyboard(site: Site, page: Page) -> None:
    page.goto(site.url("index.html"))
    box = page.locator("#search-input")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    assert box.input_value() == ""  # the slash only focused the box

    page.keyboard.type("reinforc", delay=30)
    expect(page.locator(RESULT).first).to_be_visible()
    first = page.locator(RESULT).first
    (first_path,) = site.paths([first.get_attribute("data-href")])
    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "search-result-0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url(first_path))
    title = next(p.title for p in site.papers.values() if p.path == first_path)
    expect(page.locator("h1")).to_have_text(title)

    # Esc closes the dropdown; the query stays.
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("procgen", delay=30)
    expect(page.locator(DROPDOWN)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(DROPDOWN)).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.input_value() == "procgen"
    page.keyboard.press("ArrowDown")  # opens it again
    expect(page.locator(DROPDOWN)).to_be_visible()

    # In another text field "/" is just a character.
    page.goto(site.url("index.html"))
    page.locator("#list-filter").click()
    page.keyboard.press("/")
    expect(page.locator("#list-filter")).to_be_focused()
    assert page.locator("#list-filter").input_value() == "/"


def test_missing_page_under_the_sub_path_gets_a_working_404(
    site: Site, page: Page, problems: Problems
) -> None:
    missing = site.url("papers/no-such-paper.html")
    problems.allowed.add(missing)
    response = page.goto(missing)
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    type_slowly(page, "#search-input", "procgen")
    page.locator(RESULT).filter(has_text="Procgen Benchmark").click()
    expect(page).to_have_url(site.url("papers/procgen-benchmark.html"))
    page.goto(missing)
    page.get_by_role("link", name="See all papers").click()
    expect(page).to_have_url(site.url("index.html"))


# ---------------------------------------------------------------------- live reload


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def stop(process: subprocess.Popen[str]) -> str:
    """Stop a server started by the test; return what it printed."""
    if process.poll() is None:
        process.terminate()
    try:
        output, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output or ""


class LiveReloadWatch:
    """Counts the page's loads and its livereload.js connections.

    livereload tells only the pages that finished its handshake (sent "info") to reload;
    a page still loading, or reloading, misses the message. The test edits only once the
    page it looks at is connected, as a person at the keyboard would.
    """

    def __init__(self, page: Page):
        self.page = page
        self.loads = 0
        self.connections = 0
        page.on("load", self.on_load)
        page.on("websocket", self.on_websocket)

    def on_load(self, _: object) -> None:
        self.loads += 1

    def on_websocket(self, socket: Any) -> None:
        def on_frame(payload: str | bytes) -> None:
            if '"info"' in str(payload):
                self.connections += 1

        socket.on("framesent", on_frame)

    def wait_connected(self) -> None:
        deadline = time.monotonic() + 5
        while self.loads == 0 or self.connections < self.loads:
            assert time.monotonic() < deadline, "livereload.js did not connect"
            self.page.wait_for_timeout(20)
        self.page.wait_for_timeout(100)  # for the server to act on the "info" message


def test_serve_reloads_the_open_page_after_each_edit(
    tmp_path: Path, browser: Browser, problems: Problems
) -> None:
    project = make_project(tmp_path / "project")
    port = free_port()
    url = f"http://127.0.0.1:{port}/papers/procgen-benchmark.html"
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    context = open_context(browser, problems)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if "Procgen Benchmark" in fetch(url):
                    break
            except OSError:
                pass
            assert process.poll() is None, "serve exited early"
            assert time.monotonic() < deadline, "serve did not come up"
            time.sleep(0.1)
        up = time.monotonic()

        page = context.new_page()
        watch = LiveReloadWatch(page)
        page.goto(url)
        heading = page.locator("h1")
        expect(heading).to_have_text("Procgen Benchmark")
        # livereload reloads connected pages once on its first poll (0.8 s after start), for
        # tabs left open across a restart; let that pass so it cannot hide an edit's reload.
        page.wait_for_timeout(max(0, 1500 - 1000 * (time.monotonic() - up)))
        watch.wait_connected()

        source = project / "content" / "papers" / "procgen-benchmark.md"
        text = source.read_text(encoding="utf-8")
        assert "title: Procgen Benchmark\n" in text
        loads = watch.loads
        source.write_text(text.replace("title: Procgen Benchmark\n", "title: First edit\n"))
        expect(heading).to_have_text("First edit", timeout=5_000)
        reloaded = time.monotonic()
        assert watch.loads > loads  # the server reloaded the page; the test did not

        # A second save right after that reload must show too (livereload alone drops it).
        watch.wait_connected()
        source.write_text(text.replace("title: Procgen Benchmark\n", "title: Second edit\n"))
        assert time.monotonic() - reloaded < 1.0
        expect(heading).to_have_text("Second edit", timeout=5_000)
        expect(page).to_have_title(re.compile("^Second edit"))
        context.close()
        assert problems.found == []
    except BaseException as error:
        error.add_note("serve printed:\n" + stop(process))
        raise
    finally:
        context.close()
        stop(process)
    assert process.returncode is not None
