"""`build`: import the seeds, read the pages, render, index, copy assets; swap in `_site/`.

The site is written to a temporary folder beside the output folder and replaces it
only when every step succeeded, so a failed build leaves the previous site whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import memo, parallel
from .config import Config
from .content import build_site_model, read_pages
from .errors import Problem, SiteBuilderError
from .load import ImportReport, import_seeds
from .model import Site
from .render import PROJECT_ROOT, paper_url, render_site, write_exports
from .search import SearchEntry, search_files
from .state import (
    Fingerprint,
    cache_dir,
    check_inputs,
    forget_state,
    input_roots,
    recorded_summary,
    write_state,
)
from .taxonomy import add_taxonomies


@dataclass
class BuildReport:
    """What a build did: the import, the pages written and the warnings met on the way."""

    imported: ImportReport | None = None
    pages: int = 0
    papers: int = 0
    authors: int = 0
    warnings: list[Problem] = field(default_factory=list)
    unchanged: bool = False
    site: Site | None = None
    """The site built (None when nothing changed): `serve` renders edited pages from it."""
    """True when nothing changed since the last build: the output was left as it was."""


@contextlib.contextmanager
def _stage(name: str) -> Iterator[None]:
    """Time a stage of the build, printed when SITE_BUILDER_TIMINGS is set (`make bench`
    uses it to say where the time goes); children's CPU counts once they are waited for."""
    if not os.environ.get("SITE_BUILDER_TIMINGS"):
        yield
        return
    wall, before = time.perf_counter(), os.times()
    try:
        yield
    finally:
        after = os.times()
        cpu = sum(after[:4]) - sum(before[:4])
        sys_cpu = after.system + after.children_system - before.system - before.children_system
        print(
            f"[timing] {name}: {time.perf_counter() - wall:.2f} s wall,"
            f" {cpu:.2f} s CPU ({sys_cpu:.2f} s system)",
            file=sys.stderr,
        )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _made_from_papers(site: Site, config: Config, out: Path) -> None:
    """What needs the papers only: the search index, the data files, and the cache of
    parsed pages (complete once the pages are read; what rendering adds, such as the
    notes' HTML, is made again next time)."""
    for name, script in search_files(search_entries(site)).items():
        _write(out / "search" / name, script)
    write_exports(site, config, out, _write)
    with contextlib.suppress(OSError):  # a read-only project folder: no cache
        memo.save(cache_dir(config) / "memo.json")


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


def build_site(
    config: Config, run_import: bool = True, inputs: Fingerprint | None = None
) -> BuildReport:
    """Build the whole site into config.output_dir; raise SiteBuilderError on bad pages.

    When no input changed since the last build into the same folder and that folder is
    as the build left it, nothing is done (`report.unchanged`). `inputs`: the caller
    has just found, with `state.check_inputs`, that something changed.
    """
    if inputs is None:
        inputs, recorded = check_inputs(config, run_import)
        if recorded is not None:
            return replayed_report(recorded)
    memo.load(cache_dir(config) / "memo.json")
    report = BuildReport()
    if run_import:
        with _stage("import"):
            report.imported = import_seeds(config.seeds_dir, config.content_dir, config.root)
        report.warnings.extend(report.imported.problems)
        imported = report.imported
        if imported.created or imported.updated or imported.deleted:
            # The pages the import wrote are inputs of this build, and of the next one.
            inputs = Fingerprint.take(config, input_roots(config), run_import)
    with _stage("read pages"):
        papers, problems = read_pages(config.content_dir)
    if problems:
        raise SiteBuilderError(problems)
    model = build_site_model(papers, config)
    out = config.output_dir
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        # The search index, the data files and the cache need only the papers: they are
        # made in a worker of their own while topics are found and pages rendered.
        from_papers = parallel.start(functools.partial(_made_from_papers, model, config, staging))
        try:
            with _stage("topics and related papers"):
                site = add_taxonomies(model)
            with _stage("pages"):
                report.pages = render_site(site, config, staging, _templates_dir(config), _write)
            with _stage("search index, data files and cache (what was left)"):
                from_papers.result()
        finally:
            from_papers.stop()
        _copy_static(config, staging / "static")
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        if config.build_id:
            (staging / "build-id.txt").write_text(config.build_id, encoding="utf-8")
            # No errors yet: under `serve` the pages ask for this file, so it is always there.
            (staging / "build-errors.json").write_text("[]", encoding="utf-8")
        forget_state(config)
        with _stage("swap in"):
            _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report.papers, report.authors = len(site.papers), len(site.authors)
    report.site = site
    with _stage("record"):
        _record(config, inputs, report)
    return report


def _record(config: Config, inputs: Fingerprint, report: BuildReport) -> None:
    """Remember this build's inputs, so the next one can tell whether anything changed."""
    try:
        summary = {
            "pages": report.pages,
            "papers": report.papers,
            "authors": report.authors,
            "warnings": [asdict(w) for w in report.warnings],
        }
        write_state(config, inputs, summary)
    except OSError:  # a read-only project folder: every build is then a full one
        pass


def replayed_report(recorded: dict[str, Any]) -> BuildReport:
    """The report of the last build, for a build that found nothing changed."""
    summary = recorded_summary(recorded)
    return BuildReport(
        pages=summary.pages,
        papers=summary.papers,
        authors=summary.authors,
        warnings=summary.warnings,
        unchanged=True,
    )


def templates_dir(config: Config) -> Path:
    """The project's own templates folder, else the bundled one."""
    return _templates_dir(config)


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
    """Put `staging` in the place of `out` so that `out` is never missing or half-written.

    On Linux the two folders are exchanged in one step (renameat2 RENAME_EXCHANGE): a
    build killed at any moment leaves either the old site or the new one at `out`.
    Elsewhere two renames are used, with a moment in between where `out` is absent.
    """
    os.chmod(staging, 0o755)
    if out.exists() and _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now the old site
        return
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where it is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)
