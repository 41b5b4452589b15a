"""Equivalent content for the peer tools, written from the same seed corpus as ours.

Every tool gets the same papers: the seed files are parsed with site_builder's own
reader and merged with its own merge step, so the peers build exactly the papers
site_builder builds (same titles, same authors, same abstracts, same slugs).

- Hugo: a minimal theme written here (layouts only): a page per paper with title,
  authors and abstract; an `authors` taxonomy with a page per author and a list of
  authors; a home page listing every paper. No RSS, sitemap or robots.txt (we write none).
- Pelican: one Markdown article per paper with `Title:`, `Authors:`, `Slug:` metadata,
  the default theme; feeds, tags and archives off (we write none), one category
  for all papers (the default theme needs it), author
  pages and the authors list on, no pagination (one list page, like ours).
"""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from site_builder.load import merge_entries  # noqa: E402
from site_builder.model import SeedEntry, slugify  # noqa: E402
from site_builder.seeds import read_seed_file  # noqa: E402
from site_builder.titles import infer_title  # noqa: E402

SITE_TITLE = "Reading list"


@dataclass(frozen=True)
class BenchPaper:
    id: str
    slug: str
    title: str
    authors: tuple[str, ...]
    abstract: str


def read_papers(seeds_dir: Path) -> list[BenchPaper]:
    """The papers of a seed folder, merged and titled as site_builder does it."""
    entries: list[SeedEntry] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        entries.extend(read_seed_file(path, path.name).entries)
    papers: list[BenchPaper] = []
    taken: set[str] = set()
    for candidate in merge_entries(entries):
        title = candidate.title or infer_title(candidate.abstract)
        slug = slugify(title)
        if slug in taken:
            slug = f"{slug}-{candidate.id[:6]}"
        taken.add(slug)
        authors = tuple(dict.fromkeys(e.author for e in candidate.entries if e.author))
        papers.append(BenchPaper(candidate.id, slug, title, authors, candidate.abstract))
    return papers


def _clean(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


# --------------------------------------------------------------------------- Hugo

HUGO_CONFIG = f"""\
baseURL = "/"
title = "{SITE_TITLE}"
languageCode = "en"
uglyURLs = true
disableKinds = ["RSS", "sitemap", "robotsTXT"]
enableRobotsTXT = false

[taxonomies]
  author = "authors"
"""

_HEAD = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> ·
<a href="{{ "/authors.html" | relURL }}">Authors</a></header>
<main>
"""
_FOOT = "</main>\n</body>\n</html>\n"
_AUTHOR_LINKS = (
    "{{ range $i, $a := .Params.authors }}{{ if $i }}, {{ end }}"
    '<a href="{{ printf "/authors/%s.html" ($a | urlize) | relURL }}">{{ $a }}</a>{{ end }}'
)

HUGO_LAYOUTS = {
    "_default/single.html": _HEAD
    + '<article>\n<h1>{{ .Title }}</h1>\n<p class="authors">'
    + _AUTHOR_LINKS
    + "</p>\n<section><h2>Abstract</h2>\n{{ .Content }}</section>\n</article>\n"
    + _FOOT,
    "index.html": _HEAD
    + "<h1>{{ .Site.Title }}</h1>\n<ol>\n{{ range .Site.RegularPages.ByTitle }}"
    + '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>'
    + _AUTHOR_LINKS
    + "</span></li>\n{{ end }}</ol>\n"
    + _FOOT,
    "_default/list.html": _HEAD
    + "<h1>{{ .Title }}</h1>\n<ol>\n{{ range .Pages.ByTitle }}"
    + '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>\n{{ end }}</ol>\n'
    + _FOOT,
    "_default/terms.html": _HEAD
    + "<h1>{{ .Title }}</h1>\n<ul>\n{{ range .Data.Terms.Alphabetical }}"
    + '<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>\n'
    + "{{ end }}</ul>\n"
    + _FOOT,
    "404.html": _HEAD + "<h1>Not found</h1>\n" + _FOOT,
}


def _yaml_string(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def write_hugo(papers: list[BenchPaper], site: Path) -> Path:
    """Write a Hugo site for the papers into `site`; returns the folder."""
    _clean(site)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    papers_dir = site / "content" / "papers"
    papers_dir.mkdir(parents=True)
    for paper in papers:
        authors = "".join(f"\n  - {_yaml_string(a)}" for a in paper.authors)
        text = (
            f"---\ntitle: {_yaml_string(paper.title)}\n"
            f"authors:{authors if authors else ' []'}\n---\n\n{paper.abstract}\n"
        )
        (papers_dir / f"{paper.slug}.md").write_text(text, encoding="utf-8")
    return site


# ------------------------------------------------------------------------ Pelican

PELICAN_CONFIG = f"""\
# Generated by bench/peers.py: the default theme, only what site_builder also writes.
AUTHOR = ""
SITENAME = "{SITE_TITLE}"
SITEURL = ""
PATH = "content"
ARTICLE_PATHS = ["papers"]
PAGE_PATHS = []
STATIC_PATHS = []
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE = (2007, 4, 1)
RELATIVE_URLS = True
DEFAULT_PAGINATION = False
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DELETE_OUTPUT_DIRECTORY = False
ARTICLE_URL = ARTICLE_SAVE_AS = "papers/{{slug}}.html"
AUTHOR_URL = AUTHOR_SAVE_AS = "authors/{{slug}}.html"
AUTHORS_URL = AUTHORS_SAVE_AS = "authors.html"
# The default theme needs a category (Pelican sets one only when categories are saved):
# one category holding every paper, whose page is a list like Hugo's section page.
DEFAULT_CATEGORY = "papers"
USE_FOLDER_AS_CATEGORY = False
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "authors"]
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
LINKS = ()
SOCIAL = ()
"""


def _meta_line(text: str) -> str:
    return " ".join(text.split())


def write_pelican(papers: list[BenchPaper], site: Path) -> Path:
    """Write a Pelican project for the papers into `site`; returns the folder."""
    _clean(site)
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    papers_dir = site / "content" / "papers"
    papers_dir.mkdir(parents=True)
    for paper in papers:
        # Pelican splits Authors: at commas; a name never holds one here.
        authors = ", ".join(_meta_line(a).replace(",", " ") for a in paper.authors)
        lines = [f"Title: {_meta_line(paper.title)}", f"Slug: {paper.slug}"]
        if authors:
            lines.append(f"Authors: {authors}")
        text = "\n".join(lines) + "\n\n" + paper.abstract + "\n"
        (papers_dir / f"{paper.slug}.md").write_text(text, encoding="utf-8")
    return site


def write_peers(seeds_dir: Path, root: Path) -> tuple[dict[str, Path], int]:
    """Write both peers' projects under root; returns ({"hugo": dir, "pelican": dir}, papers)."""
    papers = read_papers(seeds_dir)
    dirs = {
        "hugo": write_hugo(papers, root / "hugo"),
        "pelican": write_pelican(papers, root / "pelican"),
    }
    return dirs, len(papers)
