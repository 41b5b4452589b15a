"""What a reader expects beyond the lists: related papers, topics, tags, their own data,
citations, feeds and charts — all reachable from the home page within two clicks."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from conftest import make_project, project_config, run_cli, soup

from site_builder.build import build_site

PAPERS = Path("content") / "papers"


def add_fields(page: Path, *lines: str) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n---\n", "\n" + "\n".join(lines) + "\n---\n", 1), "utf-8")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds, with a reader's tags, statuses, ratings and notes, built once."""
    root = make_project(
        tmp_path_factory.mktemp("library") / "p",
        config_text="base_url: https://reader.example.org/reading-list/\n",
    )
    assert run_cli("import", cwd=root).returncode == 0
    add_fields(
        root / PAPERS / "openai-o1-system-card.md",
        "tags: [Alignment, system cards]",
        "status: read",
        "rating: 5",
        "notes: |\n  Read with *Deliberative Alignment*. <script>alert(1)</script>",
    )
    add_fields(
        root / PAPERS / "gpt-4o-system-card.md",
        "tags: [alignment, System Cards]",
        "status: reading",
        "added: 2020-01-02",
    )
    add_fields(root / PAPERS / "procgen-benchmark.md", "status: to read", "tags: [rl]")
    build_site(project_config(root))
    return root / "_site"


def test_features_related_papers_with_reasons(library: Path) -> None:
    page = soup(library / "papers" / "openai-o1-system-card.html")
    related = page.select(".related-list li")
    assert 1 <= len(related) <= 5
    titles = [li.a.get_text() for li in related]
    assert "GPT-4o System Card" in titles
    assert "Deliberative Alignment: Reasoning Enables Safer Language Models" in titles
    assert all("both about" in li.get_text() for li in related)
    for li in related:
        assert (library / "papers" / li.a["href"]).resolve().exists()
    assert "OpenAI o1 System Card" not in titles


def test_features_topics_pages_and_index(library: Path) -> None:
    index = soup(library / "topics" / "index.html")
    topics = index.select("section:first-of-type .term-cloud li")
    assert len(topics) >= 5
    counts = [int(li.select_one(".count").get_text()) for li in topics]
    assert counts == sorted(counts, reverse=True) and all(c >= 2 for c in counts)
    first = topics[0].a
    topic_page = soup(library / "topics" / first["href"].split("/")[-1])
    assert len(topic_page.select(".paper-card")) == counts[0]
    o1 = soup(library / "papers" / "openai-o1-system-card.html")
    assert o1.select(".badge-topic"), "every paper shows its topics"


def test_features_tags_merge_regardless_of_case(library: Path) -> None:
    tag = soup(library / "tags" / "alignment.html")
    assert tag.find("h1").get_text() == "Tagged #Alignment"  # one of each: first in order
    assert {a.get_text() for a in tag.select(".paper-title")} == {
        "OpenAI o1 System Card",
        "GPT-4o System Card",
    }
    assert (library / "tags" / "system-cards.html").exists()
    assert len(list((library / "tags").glob("*.html"))) == 3
    home = soup(library / "index.html")
    assert [o["value"] for o in home.select("#list-tag option")] == [
        "",
        "alignment",
        "system-cards",
        "rl",
    ]


def test_features_reader_data_badges_and_notes(library: Path) -> None:
    home = soup(library / "index.html")
    card = next(c for c in home.select(".paper-card") if c["data-title"] == "OpenAI o1 System Card")
    assert card["data-status"] == "read"
    assert card.select_one(".badge-status").get_text() == "read"
    assert "rated 5 out of 5" in card.select_one(".badge-rating").get_text()
    page = soup(library / "papers" / "openai-o1-system-card.html")
    notes = page.select_one(".notes")
    assert notes.find("em").get_text() == "Deliberative Alignment"
    assert "<script>alert(1)</script>" in notes.get_text() and not notes.find("script")
    gpt = next(c for c in home.select(".paper-card") if c["data-title"] == "GPT-4o System Card")
    assert gpt["data-added"] == "2020-01-02"
    statuses = [o["value"] for o in home.select("#list-status option")]
    assert statuses == ["", "to read", "reading", "read", "none"]
    sorts = [o["value"] for o in home.select("#list-sort option")]
    assert "added-desc" in sorts and "author" in sorts


def test_features_bibtex_on_every_paper_and_the_library(library: Path) -> None:
    page = soup(library / "papers" / "openai-o1-system-card.html")
    bib = page.select_one(".bibtex code").get_text()
    assert bib.startswith("@misc{tony-openai,")
    assert "title = {{OpenAI o1 System Card}}" in bib and "author = {Tony and Saachi Jain}" in bib
    assert (
        "url = {https://reader.example.org/reading-list/papers/openai-o1-system-card.html}" in bib
    )
    assert (
        page.select_one("button.copy-button")["data-copy-target"]
        == page.select_one(".bibtex code")["id"]
    )
    everything = (library / "library.bib").read_text(encoding="utf-8")
    assert everything.count("@misc{") == 38 and bib.strip() in everything


def test_features_papers_json_has_every_paper(library: Path) -> None:
    data = json.loads((library / "papers.json").read_text(encoding="utf-8"))
    papers = {p["title"]: p for p in data["papers"]}
    assert len(papers) == 38
    o1 = papers["OpenAI o1 System Card"]
    assert o1["authors"] == ["Tony", "Saachi Jain"] and o1["status"] == "read"
    assert o1["url_absolute"].endswith("/reading-list/papers/openai-o1-system-card.html")


def test_features_feed_sitemap_robots_and_head_tags(library: Path) -> None:
    feed = feedparser.parse((library / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 38
    assert feed.entries[-1].title == "GPT-4o System Card"  # the oldest date added comes last
    assert feed.entries[0].link.startswith("https://reader.example.org/reading-list/papers/")
    sitemap = ET.fromstring((library / "sitemap.xml").read_bytes())
    locs = [e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://reader.example.org/reading-list/papers/openai-o1-system-card.html" in locs
    for loc in locs:
        path = urlsplit(loc).path.removeprefix("/reading-list/") or "index.html"
        assert (library / (path + "index.html" if path.endswith("/") else path)).exists(), loc
    assert (
        "Sitemap: https://reader.example.org/reading-list/sitemap.xml"
        in (library / "robots.txt").read_text()
    )
    page = soup(library / "papers" / "openai-o1-system-card.html")
    assert page.find("link", rel="canonical")["href"].endswith("papers/openai-o1-system-card.html")
    assert page.find("meta", property="og:title")["content"] == "OpenAI o1 System Card"
    assert [m["content"] for m in page.find_all("meta", attrs={"name": "citation_author"})] == [
        "Tony",
        "Saachi Jain",
    ]


def test_features_stats_page_charts_link_to_pages(library: Path) -> None:
    page = soup(library / "stats.html")
    svgs = page.find_all("svg")
    assert len(svgs) == 3
    graph = svgs[2]
    names = {a.get_text(" ", strip=True) for a in graph.find_all("a")}
    assert any("Tony" in n for n in names) and any("Saachi Jain" in n for n in names)
    assert graph.find(
        lambda t: (
            t.name == "title"
            and "Tony" in t.get_text()
            and "Saachi Jain" in t.get_text()
            and "shared" in t.get_text()
        )
    )
    for svg in svgs:
        for a in svg.find_all("a"):
            href = a.get("href") or a.get("xlink:href")
            assert (library / href).exists(), href


def test_features_everything_within_two_clicks_of_home(library: Path) -> None:
    def links(page: Path) -> set[Path]:
        found = set()
        for tag in soup(page).find_all(["a", "link"], href=True):
            url = tag["href"]
            if urlsplit(url).scheme or url.startswith(("#", "/")):
                continue
            found.add((page.parent / urlsplit(url).path).resolve())
        return found

    home = (library / "index.html").resolve()
    one = links(home)
    two = set().union(*(links(p) for p in one if p.suffix == ".html" and p.exists()))
    reach = one | two
    wanted = [
        "stats.html",
        "topics/index.html",
        "tags/alignment.html",
        "library.bib",
        "papers.json",
        "feed.xml",
        "authors/saachi-jain.html",
        "papers/openai-o1-system-card.html",
    ]
    for path in wanted:
        assert (library / path).resolve() in reach, path
    topic = next((library / "topics").glob("*.html"))
    assert topic.resolve() in reach


def test_features_build_of_a_1000_paper_corpus(tmp_path: Path) -> None:
    bench = Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_corpus.py"
    if not bench.exists():
        if __import__("os").environ.get("CI") == "true":
            pytest.fail("the shared bench corpus is missing")
        pytest.skip("no shared bench corpus here")
    import subprocess
    import sys

    root = make_project(tmp_path / "big", seeds=None)
    subprocess.run(
        [sys.executable, str(bench), str(root / "seeds"), "--n", "1000"],
        check=True,
        capture_output=True,
    )
    report = build_site(project_config(root))
    site = root / "_site"
    assert report.papers >= 990
    home = soup(site / "index.html")
    assert len(home.select(".paper-card")) == report.papers
    some = sorted((site / "papers").glob("*.html"))[:40]
    with_related = 0
    for page in some:
        parsed = soup(page)
        with_related += bool(parsed.select(".related-list li"))
        for a in parsed.select(".related-list a, .paper-authors a, .badge-topic"):
            assert (page.parent / a["href"]).resolve().exists()
    # Weak matches (cosine < 0.1) are left out, so a few papers have none.
    assert with_related >= 0.6 * len(some)
    assert len(list((site / "topics").glob("*.html"))) > 20


def test_features_a_term_named_index_does_not_replace_the_index_pages(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    assert run_cli("import", cwd=root).returncode == 0
    add_fields(root / PAPERS / "procgen-benchmark.md", "tags: [Index]")
    build_site(project_config(root))
    assert soup(root / "_site" / "topics" / "index.html").find("h1").get_text() == "Topics and tags"
    assert (
        soup(root / "_site" / "tags" / "index-term.html").find("h1").get_text() == "Tagged #Index"
    )
