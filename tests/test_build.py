"""Building the real seeds into tmp_path and checking what a reader would see."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import make_project, project_config, soup

from site_builder.build import build_site
from site_builder.errors import SiteBuilderError


def internal_links(page: Path, site: Path) -> list[tuple[str, Path]]:
    """Every relative href/src on a page, resolved to a file in the site."""
    found = []
    parsed = soup(page)
    for tag in (
        parsed.find_all(href=True) + parsed.find_all(src=True) + parsed.find_all(action=True)
    ):
        url = tag.get("href") or tag.get("src") or tag.get("action")
        parts = urlsplit(url)
        if parts.scheme or url.startswith(("#", "/", "mailto:")):
            continue
        target = (page.parent / unquote(parts.path)).resolve()
        found.append((url, target))
    return found


def test_build_o1_system_card_is_one_page_linking_both_authors(built_seeds: Path) -> None:
    site = built_seeds / "_site"
    o1_pages = [
        p for p in (site / "papers").glob("*.html") if "The o1 model series" in p.read_text()
    ]
    assert len(o1_pages) == 1
    page = soup(o1_pages[0])
    assert page.find("h1").get_text(strip=True) == "OpenAI o1 System Card"
    assert page.title.get_text().startswith("OpenAI o1 System Card")
    authors = {a.get_text(): a["href"] for a in page.select(".paper-authors a")}
    assert authors == {"Tony": "../authors/tony.html", "Saachi Jain": "../authors/saachi-jain.html"}
    found_in = page.select(".seed-list li")
    assert len(found_in) == 5 and "Saachi Jain’s list" in found_in[-1].get_text()


def test_build_author_pages_list_their_papers(built_seeds: Path) -> None:
    site = built_seeds / "_site"
    tony = soup(site / "authors" / "tony.html")
    saachi = soup(site / "authors" / "saachi-jain.html")
    assert tony.find("h1").get_text() == "Tony"
    assert len(tony.select(".paper-card")) == 31
    titles = [a.get_text() for a in saachi.select(".paper-card .paper-title")]
    assert len(titles) == 10 and "OpenAI o1 System Card" in titles
    index = soup(site / "authors" / "index.html")
    assert [a.get_text() for a in index.select(".author-list a")] == ["Saachi Jain", "Tony"]


def test_build_home_lists_every_paper_with_counts(built_seeds: Path) -> None:
    site = built_seeds / "_site"
    home = soup(site / "index.html")
    cards = home.select("#paper-list .paper-card")
    assert len(cards) == 38 == len(list((site / "papers").glob("*.html")))
    assert "38 papers" in home.select_one(".counts").get_text()
    titles = [c.select_one(".paper-title").get_text() for c in cards]
    assert titles == sorted(titles, key=str.casefold)
    inferred = home.select(".badge-inferred")
    assert len(inferred) == 28
    assert home.select_one("#list-filter") is not None and home.select_one("#list-sort") is not None


def test_build_every_page_is_reachable_from_home_and_no_link_is_broken(built_seeds: Path) -> None:
    site = built_seeds / "_site"
    seen: set[Path] = set()
    queue = [(site / "index.html").resolve()]
    broken = []
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        for url, target in internal_links(page, site):
            if not target.exists():
                broken.append((str(page.relative_to(site.resolve())), url))
            elif target.suffix == ".html":
                queue.append(target)
    assert broken == []
    html_pages = {p.resolve() for p in site.rglob("*.html")} - {(site / "404.html").resolve()}
    assert html_pages - seen == set()


def test_build_all_links_are_relative_but_404_uses_the_base_url(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build_site(project_config(root, base_url="/reading-list/"))
    site = root / "_site"
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for tag in soup(page).find_all(href=True):
            assert not tag["href"].startswith("/"), (page, tag["href"])
    not_found = soup(site / "404.html")
    assert not_found.select_one(".site-title")["href"] == "/reading-list/index.html"
    assert not_found.find("html")["data-root"] == "/reading-list/"
    assert (site / ".nojekyll").exists()


def test_build_search_box_on_every_page(built_seeds: Path) -> None:
    for page in (built_seeds / "_site").rglob("*.html"):
        box = soup(page).select("input[type=search]")
        assert len(box) == 1 and box[0]["name"] == "q", page


def test_build_search_index_has_every_paper(built_seeds: Path) -> None:
    text = (built_seeds / "_site" / "search" / "index.js").read_text(encoding="utf-8")
    data = json.loads(re.sub(r"^[^=]*=\s*", "", text).rstrip().rstrip(";"))
    assert data["index"]["version"] == "2.3.9"
    assert len(data["docs"]) == 38
    urls = {doc["u"] for doc in data["docs"].values()}
    assert all((built_seeds / "_site" / u).exists() for u in urls)


def test_build_escapes_html_and_keeps_abstract_text(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", seeds=None)
    (root / "seeds" / "x.txt").write_text(
        "Goto\n\nCollaborating Authors\n\n <b>Evil</b>, Eve\n\n\n"
        "<script>alert('t')</script> {{ 7*7 }}\n\narXiv.org AI\n\n"
        "We got 50\\% on *all* tasks <img src=x onerror=alert(1)> & see https://example.org/a_b. "
        "{% raw %} # not a heading, image$\\leftrightarrow$text costs $5 and $10\n",
        encoding="utf-8",
    )
    build_site(project_config(root))
    page = next((root / "_site" / "papers").glob("*.html"))
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Evil" not in html
    parsed = soup(page)
    assert parsed.find("h1").get_text() == "<script>alert('t')</script> {{ 7*7 }}"
    abstract = parsed.select_one(".abstract p")
    math = abstract.find_all("math")
    assert [m.find("annotation").get_text() for m in math] == ["\\leftrightarrow"]
    assert math[0].find("mo").get_text() == "\u2194"
    math[0].replace_with("<MATH>")
    assert abstract.get_text() == (
        "We got 50% on *all* tasks <img src=x onerror=alert(1)> & see "
        "https://example.org/a_b. {% raw %} # not a heading, image<MATH>text costs $5 and $10"
    )
    assert abstract.find("a")["href"] == "https://example.org/a_b"
    assert [
        t.name for t in abstract.find_all(True) if t.name != "math" and not t.find_parent("math")
    ] == ["a"]
    assert parsed.select_one(".paper-authors a").get_text() == "Eve <b>Evil</b>"


def test_build_broken_page_fails_naming_file_and_line_and_keeps_old_site(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    config = project_config(root)
    build_site(config)
    before = {p: p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    page = root / "content" / "papers" / "gpt-4o-system-card.md"
    page.write_text(page.read_text().replace("title: GPT-4o", "title: [GPT-4o"), encoding="utf-8")
    with pytest.raises(SiteBuilderError) as caught:
        build_site(config)
    message = str(caught.value)
    assert re.match(
        r".*gpt-4o-system-card\.md:4: front matter is not valid YAML \(column 15\): "
        r"did not find expected ',' or '\]', while parsing a flow sequence on line 3",
        message,
    ), message
    after = {p: p.read_bytes() for p in (root / "_site").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in root.iterdir() if p.name.startswith("._site")]


def test_build_bad_seed_warns_and_builds_every_good_paper(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "seeds" / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8broken")
    (root / "seeds" / "empty.txt").write_text("", encoding="utf-8")
    report = build_site(project_config(root))
    assert report.papers == 38
    messages = [str(p) for p in report.warnings]
    assert any(m.startswith("seeds/empty.txt:1: is empty") for m in messages), messages
    assert any(m.startswith("seeds/bad.txt") for m in messages), messages


def test_build_author_name_override_from_config(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", config_text="author_names:\n  Tony: Tony Stark\n")
    build_site(project_config(root))
    index = soup(root / "_site" / "authors" / "index.html")
    assert [a.get_text() for a in index.select(".author-list a")] == ["Saachi Jain", "Tony Stark"]
    assert (root / "_site" / "authors" / "tony-stark.html").exists()


def test_build_output_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        root = make_project(tmp_path / name)
        build_site(project_config(root))
        outputs.append(
            {
                str(p.relative_to(root / "_site")): p.read_bytes()
                for p in (root / "_site").rglob("*")
                if p.is_file()
            }
        )
    assert outputs[0] == outputs[1]


def test_build_works_without_templates_or_static_in_the_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "bare")
    shutil.rmtree(root / "seeds")
    (root / "seeds").mkdir()
    (root / "seeds" / "one.txt").write_text("Ada\nAbstract:We introduce Foo, a bar.\n")
    report = build_site(project_config(root))
    assert report.papers == 1
    assert (root / "_site" / "static" / "vendor" / "lunr" / "lunr.min.js").exists()


def test_build_symlinked_page_outside_the_content_folder_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build_site(project_config(root))
    secret = tmp_path / "secret.md"
    secret.write_text("---\nid: deadbeef0000\ntitle: Secret\n---\n\nprivate text\n")
    (root / "content" / "papers" / "secret.md").symlink_to(secret)
    with pytest.raises(SiteBuilderError, match="secret.md: is a link to a file outside"):
        build_site(project_config(root))
    assert "private text" not in (root / "_site" / "index.html").read_text()


def test_build_the_output_folder_is_swapped_in_whole(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build_site(project_config(root))
    inode = (root / "_site").stat().st_ino
    page = root / "content" / "papers" / "procgen-benchmark.md"
    page.write_text(page.read_text().replace("title: Procgen Benchmark", "title: Procgen 2"))
    build_site(project_config(root))
    assert (root / "_site").stat().st_ino != inode  # a new folder, not files changed in place
    assert "Procgen 2" in (root / "_site" / "papers" / "procgen-benchmark.html").read_text()
    assert not [p for p in root.iterdir() if p.name.startswith("._site")]


def test_build_symlinked_seed_outside_the_seeds_folder_is_skipped(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    outside = tmp_path / "private.txt"
    outside.write_text("Eve\nAbstract:Private text that must not be published.\n")
    (root / "seeds" / "zz-link.txt").symlink_to(outside)
    report = build_site(project_config(root))
    assert report.papers == 38
    assert any(
        "zz-link.txt: is a link to a file outside the seeds folder" in str(p)
        for p in report.warnings
    )
    assert not [
        p for p in (root / "content" / "papers").glob("*.md") if "Private text" in p.read_text()
    ]
