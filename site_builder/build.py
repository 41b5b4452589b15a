"""`build`: import the seeds, read the pages, render, index, copy assets; swap in `_site/`.

The site is written to a temporary folder beside the output folder and replaces it
only when every step succeeded, so a failed build leaves the previous site whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .content import build_site_model, read_pages
from .taxonomy import add_taxonomies
from .errors import Problem, SiteBuilderError
from .load import ImportReport, import_seeds
from .model import Site
from .render import PROJECT_ROOT, paper_url, render_site
from .search import SearchEntry, build_search_index, search_index_script


@dataclass
class BuildReport:
    """What a build did: the import, the pages written and the warnings met on the way."""

    imported: ImportReport | None = None
    pages: int = 0
    papers: int = 0
    authors: int = 0
    warnings: list[Problem] = field(default_factory=list)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def search_entries(site: Site) -> list[SearchEntry]:
    """Return what the search index holds for each paper: the text a reader sees."""
    return [
        SearchEntry(
            ref=p.id,
            title=p.title_text,
            authors=p.authors,
            text=p.text,
            url=paper_url(p),
        )
        for p in site.papers
    ]


def build_site(config: Config, run_import: bool = True) -> BuildReport:
    """Build the whole site into config.output_dir; raise SiteBuilderError on bad pages."""
    report = BuildReport()
    if run_import:
        report.imported = import_seeds(config.seeds_dir, config.content_dir, config.root)
        report.warnings.extend(report.imported.problems)
    papers, problems = read_pages(config.content_dir)
    if problems:
        raise SiteBuilderError(problems)
    site = add_taxonomies(build_site_model(papers, config))
    out = config.output_dir
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        report.pages = render_site(site, config, staging, _templates_dir(config), _write)
        index = build_search_index(search_entries(site))
        _write(staging / "search" / "index.js", search_index_script(index))
        _copy_static(config, staging / "static")
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        if config.build_id:
            (staging / "build-id.txt").write_text(config.build_id, encoding="utf-8")
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report.papers, report.authors = len(site.papers), len(site.authors)
    return report


def _templates_dir(config: Config) -> Path:
    own = config.root / "templates"
    return own if own.is_dir() else PROJECT_ROOT / "templates"


def _copy_static(config: Config, target: Path) -> None:
    # The bundled assets first, then the project's own on top, so a project that
    # overrides one file still gets the others (lunr.js, search.js).
    bundled = PROJECT_ROOT / "static"
    shutil.copytree(bundled, target, dirs_exist_ok=True)
    own = config.root / "static"
    if own.is_dir() and own.resolve() != bundled.resolve():
        shutil.copytree(own, target, dirs_exist_ok=True)


def _swap_in(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with two renames; the old site is removed last."""
    os.chmod(staging, 0o755)
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
