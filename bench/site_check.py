"""Correctness at scale: the checks the seeds' tests make, run on a benchmark build.

Against the corpus's truth file (written by the shared `make_corpus.py`): one page per
paper, every paper listed in several seed files merged into one page that cites them
all; in the built site: every paper page reachable from the home page, and no internal
link or asset reference pointing at a file that is not there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

_LINK = re.compile(r"""(?:href|src)="([^"]*)\"""")
_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


@dataclass
class SiteCheck:
    papers_expected: int = 0
    pages: int = 0
    duplicated: int = 0
    duplicates_merged: int = 0
    unreachable: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    links_checked: int = 0

    @property
    def ok(self) -> bool:
        return (
            self.duplicates_merged == self.duplicated
            and not self.unreachable
            and not self.broken
            and self.pages > 0
        )

    def summary(self) -> str:
        text = (
            f"{self.pages:,} paper pages for {self.papers_expected:,} papers in the truth file;"
            f" {self.duplicates_merged}/{self.duplicated} papers planted in several seed files"
            f" merged into one page citing every file; {len(self.unreachable)} paper pages not"
            f" linked from the home page; {len(self.broken)} broken of"
            f" {self.links_checked:,} internal links and asset references"
        )
        if self.unreachable:
            text += f" (unreachable, e.g. {', '.join(self.unreachable[:3])})"
        if self.broken:
            text += f" (broken, e.g. {', '.join(self.broken[:3])})"
        return text


def check_build(project: Path, truth_path: Path) -> SiteCheck:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    result = SiteCheck(papers_expected=len(truth["papers"]))
    files_of_page = [set(files) for files in _page_seed_files(project / "content" / "papers")]
    result.pages = len(files_of_page)
    for paper in truth["papers"].values():
        wanted = set(paper["files"])
        if len(wanted) < 2:
            continue
        result.duplicated += 1
        result.duplicates_merged += any(wanted <= files for files in files_of_page)
    site = project / "_site"
    home = (site / "index.html").read_text(encoding="utf-8")
    linked = {unquote(urlsplit(u).path) for u in _LINK.findall(home)}
    for page in sorted((site / "papers").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue  # a redirect left by `same_as`, not a paper
        if f"papers/{page.name}" not in linked:
            result.unreachable.append(f"papers/{page.name}")
    for page in site.rglob("*.html"):
        for url in _LINK.findall(page.read_text(encoding="utf-8")):
            target = _local_target(site, page, url)
            if target is None:
                continue
            result.links_checked += 1
            if not target.exists():
                result.broken.append(f"{page.relative_to(site)} → {url}")
    return result


def _page_seed_files(folder: Path) -> Iterator[list[str]]:
    for page in sorted(folder.glob("*.md")):
        match = _FRONT.match(page.read_text(encoding="utf-8"))
        front = yaml.safe_load(match.group(1)) if match else {}
        yield [ref["file"] for ref in front.get("seeds") or []]


def _local_target(site: Path, page: Path, url: str) -> Path | None:
    """The file a link in `page` points at, or None for links out of the site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or url.startswith("#"):
        return None
    path = unquote(parts.path)
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    return target / "index.html" if path.endswith("/") else target
