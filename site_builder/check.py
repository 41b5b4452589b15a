"""`check`: one readable report of what the reader may want to fix, for people and CI.

Nothing is written. The report lists suggested duplicates (with the exact line that
accepts each), inferred titles, pages whose seed is gone, front-matter fields nobody
knows (likely typos), links in abstracts that look broken, and bad seeds or pages.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .config import Config
from .content import READER_FIELDS, read_pages
from .duplicates import DupDoc, find_duplicates
from .errors import Problem
from .frontmatter import LOADER_FIELDS, field_line
from .load import load_seeds, merge_entries, merge_near_duplicates
from .markdown import find_links, markdown_to_text
from .model import Paper
from .titles import named_contribution

KNOWN_FIELDS = (*LOADER_FIELDS, *READER_FIELDS)
_BARE_URL = re.compile(r"(?<![\w/.@:])(?:www\.|github\.com/|arxiv\.org/)[^\s<>\"']+", re.I)
_WRITTEN_URL = re.compile(r"https?://[^\s<>\"]*", re.I)
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$|^localhost$", re.I)


@dataclass
class CheckReport:
    """Findings by kind, each a located Problem."""

    papers: int = 0
    seed_files: int = 0
    duplicates: list[Problem] = field(default_factory=list)
    inferred_titles: list[Problem] = field(default_factory=list)
    seeds_gone: list[Problem] = field(default_factory=list)
    unknown_fields: list[Problem] = field(default_factory=list)
    broken_links: list[Problem] = field(default_factory=list)
    seed_warnings: list[Problem] = field(default_factory=list)
    page_errors: list[Problem] = field(default_factory=list)

    def sections(self) -> list[tuple[str, str, list[Problem]]]:
        """(title, what to do, findings) for each kind, most urgent first."""
        return [
            (
                "Page errors",
                "the build stops on these; fix each at the line given",
                self.page_errors,
            ),
            (
                "Suggested duplicates",
                "each may be one paper; add the line shown to merge it",
                self.duplicates,
            ),
            (
                "Pages whose seed is gone",
                "run 'site-builder import --prune' to drop these entries",
                self.seeds_gone,
            ),
            (
                "Unknown front-matter fields",
                "likely typos; the site ignores them",
                self.unknown_fields,
            ),
            ("Links in abstracts that look broken", "fix them in the page body", self.broken_links),
            ("Seed file warnings", "fix the seed file at the line given", self.seed_warnings),
            (
                "Inferred titles",
                "no seed gave a title; correct 'title:' and set 'title_inferred: false'",
                self.inferred_titles,
            ),
        ]

    @property
    def findings(self) -> int:
        return sum(len(items) for _, _, items in self.sections())


def check_site(config: Config) -> CheckReport:
    """Examine seeds and pages; return every finding (nothing is written)."""
    report = CheckReport()
    entries, report.seed_warnings = load_seeds(config.seeds_dir, config.root)
    report.seed_files = len({e.file for e in entries})
    papers, report.page_errors = read_pages(config.content_dir)
    report.papers = len(papers)
    seeds_dir = config.seeds_dir
    seed_files = {p.name for p in seeds_dir.glob("*.txt")} if seeds_dir.is_dir() else set()
    # The same grouping as import, so a page's seeds are judged as import --prune would.
    candidates, _ = merge_near_duplicates(merge_entries(entries), {p.id for p in papers})
    holding = {c.id: {e.file for e in c.entries} for c in candidates}
    for paper in papers:
        text = Path(paper.path).read_text(encoding="utf-8")
        _check_fields(paper, text, report)
        _check_seeds(paper, seed_files, holding.get(paper.id, set()), report)
        _check_links(paper, report)
        if paper.title_inferred and not paper.hidden and paper.same_as is None:
            report.inferred_titles.append(
                Problem(paper.path, f"“{paper.title}”", field_line(text, "title"))
            )
    report.duplicates = _suggest_duplicates(papers)
    return report


def _check_fields(paper: Paper, text: str, report: CheckReport) -> None:
    for key, _ in paper.extra:
        if key in KNOWN_FIELDS:
            continue
        close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1, cutoff=0.75)
        hint = f"did you mean '{close[0]}'?" if close else "kept, but the site does not use it"
        report.unknown_fields.append(
            Problem(
                paper.path, f"field '{key}' is not one the site knows", field_line(text, key), hint
            )
        )


def _check_seeds(
    paper: Paper, seed_files: set[str], holding: set[str], report: CheckReport
) -> None:
    for ref in paper.seeds:
        if ref.file not in seed_files:
            report.seeds_gone.append(Problem(paper.path, f"seed file {ref.file} is gone"))
        elif ref.file not in holding:
            report.seeds_gone.append(
                Problem(paper.path, f"{ref.file} no longer holds this paper (was line {ref.line})")
            )


def _check_links(paper: Paper, report: CheckReport) -> None:
    text = markdown_to_text(paper.abstract)
    linked = find_links(text)
    for url in dict.fromkeys([*linked, *paper.links]):
        problem = link_problem(url)
        if problem:
            report.broken_links.append(Problem(paper.path, f"{url}: {problem}"))
    for written in _WRITTEN_URL.findall(text):
        written = _trim(written)
        if written not in linked and not any(written.startswith(u) for u in linked):
            problem = link_problem(written) or "not a valid link, so it is not linked"
            report.broken_links.append(Problem(paper.path, f"{written}: {problem}"))
        elif written not in linked:
            cut = next(u for u in linked if written.startswith(u))
            report.broken_links.append(
                Problem(
                    paper.path, f"{written}: only {cut} is linked", hint="check where the URL ends"
                )
            )
    for bare in _BARE_URL.findall(text):
        report.broken_links.append(
            Problem(
                paper.path,
                f"{_trim(bare)}: written without http(s)://, so it is not a link",
                hint="add https:// in front of it in the page",
            )
        )


def _trim(url: str) -> str:
    url = url.rstrip(".,;:")
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(".,;:")
    return url


def link_problem(url: str) -> str | None:
    """Say what is wrong with a URL found in an abstract, if anything (offline checks)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in {"http", "https"}:
        return "only http(s) links are allowed"
    host = parts.hostname or ""
    if not _HOST.match(host):
        return f"'{host or '(no host)'}' is not a host name"
    if url.count("(") != url.count(")") or url.count("[") != url.count("]"):
        return "unbalanced brackets: the link may be cut short"
    return None


def _suggest_duplicates(papers: list[Paper]) -> list[Problem]:
    live = [p for p in papers if not p.hidden and p.same_as is None]
    docs = [
        DupDoc(
            key=p.id,
            text=markdown_to_text(p.abstract),
            title=None if p.title_inferred else p.title,
            named=named_contribution(markdown_to_text(p.abstract)),
            links=p.links,
        )
        for p in live
    ]
    by_id = {p.id: p for p in live}
    problems = []
    for pair in find_duplicates(docs):
        first, second = sorted((by_id[pair.a], by_id[pair.b]), key=lambda p: p.path)
        # Keep the titled page (or the first) and merge the other into it.
        keep, merge = (
            (second, first)
            if first.title_inferred and not second.title_inferred
            else (first, second)
        )
        problems.append(
            Problem(
                merge.path,
                f"{pair.similarity:.0%} likely the same paper as {keep.path} ({pair.reason})",
                hint=f"to merge, add the line 'same_as: {keep.id}' to {merge.path}",
            )
        )
    return problems


def format_report(report: CheckReport, strict: bool) -> str:
    """Return the report as text for the terminal."""
    lines = [f"Checked {report.papers} pages and {report.seed_files} seed files."]
    for title, advice, items in report.sections():
        if not items:
            continue
        lines += ["", f"{title} ({len(items)}): {advice}"]
        for problem in items:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            lines.append(f"  {where}: {problem.message}")
            if problem.hint:
                lines.append(f"      → {problem.hint}")
    counts = ", ".join(
        f"{len(items)} {title.lower()}" for title, _, items in report.sections() if items
    )
    lines += ["", f"{report.findings} findings: {counts}." if report.findings else "All clear."]
    if report.findings and not strict:
        lines.append("Run with --strict to exit with status 1 when there are findings (for CI).")
    return "\n".join(lines)
