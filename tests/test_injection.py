"""Hostile text in seeds and pages renders as text everywhere: pages, search data,
snippets, feeds, BibTeX, sitemap — and never runs in the browser."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import make_project, project_config

from site_builder.build import build_site

EVIL_TITLE = "<script>alert('t')</script> {{ 7*7 }} {% raw %} </textarea> \"quote\""
EVIL_ABSTRACT = (
    'We show <img src=x onerror=alert(1)> and <a href="javascript:alert(2)">click</a>, '
    "javascript:alert(3) {{ config }} </script><script>alert(4)</script> ]]> & \u2028 done."
)
EVIL_AUTHOR = "<b onmouseover=alert(5)>Eve</b>, Mallory"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(
        tmp_path_factory.mktemp("hostile") / "p",
        seeds=None,
        config_text="base_url: https://evil.example.org/x/\n",
    )
    (root / "seeds" / "evil.txt").write_text(
        "Goto\n\nCollaborating Authors\n\n "
        + EVIL_AUTHOR
        + "\n\n\n"
        + EVIL_TITLE
        + "\n\narXiv.org <i>AI</i>\n\n"
        + EVIL_ABSTRACT
        + "\n",
        encoding="utf-8",
    )
    build_site(project_config(root))
    page = next((root / "content" / "papers").glob("*.md"))
    text = page.read_text(encoding="utf-8").replace(
        "\n---\n",
        "\ntags: ['<script>alert(6)</script>', '\"><svg onload=alert(7)>']\n"
        'notes: "<iframe src=javascript:alert(8)></iframe> [x](javascript:alert(9))"\n---\n',
        1,
    )
    page.write_text(text, encoding="utf-8")
    build_site(project_config(root))
    return root / "_site"


def test_injection_no_markup_from_data_in_any_page(hostile: Path) -> None:
    for page in hostile.rglob("*.html"):
        parsed = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in parsed.find_all("script"):
            assert script.get("src") and not script.string, (page, script)
        for tag in parsed.find_all(True):
            assert tag.name not in {"iframe", "img", "svg:svg"} or tag.name == "svg", (page, tag)
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), (page, tag)
                if name in {"href", "src", "action"}:
                    assert not str(value).strip().lower().startswith("javascript:"), (page, tag)


def test_injection_text_shows_as_written(hostile: Path) -> None:
    page = next((hostile / "papers").glob("*.html"))
    parsed = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert parsed.find("h1").get_text() == EVIL_TITLE
    abstract = parsed.select_one(".abstract").get_text(" ", strip=True)
    assert (
        "<img src=x onerror=alert(1)>" in abstract
        and "</script><script>alert(4)</script>" in abstract
    )
    assert parsed.select_one(".notes p").get_text().startswith("<iframe src=javascript:alert(8)>")
    assert [a.get_text() for a in parsed.select(".paper-authors a")] == [
        "Mallory <b onmouseover=alert(5)>Eve</b>"
    ]


def test_injection_search_data_cannot_close_its_script(hostile: Path) -> None:
    for data in (hostile / "search").glob("*.js"):
        text = data.read_text(encoding="utf-8")
        assert "</script" not in text.lower() and "<!--" not in text and "\u2028" not in text


def test_injection_feeds_bib_json_and_sitemap_stay_well_formed(hostile: Path) -> None:
    feed = feedparser.parse((hostile / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].title == EVIL_TITLE
    ET.fromstring((hostile / "sitemap.xml").read_bytes())
    data = json.loads((hostile / "papers.json").read_text(encoding="utf-8"))
    assert data["papers"][0]["title"] == EVIL_TITLE
    bib = (hostile / "library.bib").read_text(encoding="utf-8")
    assert bib.count("@misc{") == 1 and "\\textless{}script\\textgreater{}" in bib
    depth = 0
    for char in bib.replace("\\{", "").replace("\\}", ""):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


@pytest.mark.browser
def test_injection_nothing_runs_in_the_browser(hostile: Path, browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in [
        next((hostile / "papers").glob("*.html")),
        hostile / "index.html",
        hostile / "stats.html",
    ]:
        page.goto(path.as_uri())
        page.wait_for_timeout(200)
    page.goto((hostile / "index.html").as_uri())
    page.locator("#search-input").fill("eve")
    page.wait_for_timeout(800)
    assert dialogs == []
    page.close()
