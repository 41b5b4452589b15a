"""Stage 3: render the Site to HTML files with Jinja2 (autoescaped, strict)."""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)
from markupsafe import Markup

from .charts import Bar, Edge, Node, bar_chart, chart_table, coauthor_graph
from .config import Config
from .csp import content_security_policy
from .exports import (
    atom_feed,
    bibtex_entry,
    bibtex_keys,
    head_meta,
    library_bib,
    page_url,
    papers_json,
    robots_txt,
    site_url,
    sitemap_xml,
)
from .markdown import inline_markup, plain_text, render_markdown
from .model import READING_STATUSES, Paper, Site
from .parallel import chunks, run_jobs, worker_count

# Templates and static files ship beside the package; a project may override them by
# having its own `templates/` and `static/` folders.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def make_environment(templates_dir: Path) -> Environment:
    """Return the Jinja2 environment: autoescape everywhere, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader([str(templates_dir), str(PROJECT_ROOT / "templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = lambda n, word: f"{n:,} {word}{'' if n == 1 else 's'}"
    return env


def paper_url(paper: Paper) -> str:
    """URL of a paper page, relative to the site root."""
    return f"papers/{paper.slug}.html"


def link_label(url: str) -> str:
    """A short label for a link found in an abstract."""
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    if host in {"github.com", "gitlab.com", "huggingface.co", "bitbucket.org"}:
        return "Code"
    if host.endswith("arxiv.org"):
        return "arXiv"
    return "Link"


class PageRenderer:
    """Renders pages of one site: the Jinja environment and what every page shares."""

    def __init__(self, site: Site, config: Config, templates_dir: Path):
        self.site = site
        self.config = config
        self.env = make_environment(templates_dir)
        self.base = site_url(config)
        self.keys = bibtex_keys(site.papers)
        self.common: dict[str, Any] = {
            "config": config,
            "site": site,
            "author_slugs": site.author_slugs,
            "paper_url": paper_url,
            "link_label": link_label,
            "inline_markup": inline_markup,
            "plain_text": plain_text,
            "csp": content_security_policy(serving=bool(config.build_id)),
            "paper_item": self.paper_item,
        }
        self._items: dict[tuple[str, str], Markup] = {}
        self.bibtex: dict[str, str] = {}

    def paper_item(self, paper: Paper, root: str) -> Markup:
        """A paper's entry in the lists of papers (home, author, topic and tag pages),
        rendered once per paper and folder depth."""
        key = (paper.id, root)
        item = self._items.get(key)
        if item is None:
            template = self.env.get_template("partials/_paper_item.html")
            item = Markup(template.render(**self.common, root=root, paper=paper))
            self._items[key] = item
        return item

    def bibtex_entry(self, paper: Paper) -> str:
        """The paper's BibTeX entry, as its page and `library.bib` show it."""
        entry = self.bibtex.get(paper.id)
        if entry is None:
            url = page_url(self.base, paper_url(paper)) if self.base else None
            entry = self.bibtex[paper.id] = bibtex_entry(paper, self.keys[paper.id], url)
        return entry

    def render(self, template: str, path: str, **context: Any) -> str:
        root = context.pop("root", "../" * path.count("/"))
        if "head_meta" not in context:
            context["head_meta"] = head_meta(
                None, self.config, self.base, path, context.get("heading")
            )
        return str(
            self.env.get_template(template).render(
                **self.common, root=root, page_path=path, **context
            )
        )

    def paper_page(self, paper: Paper) -> tuple[str, str]:
        """The path and HTML of a paper's page."""
        path = paper_url(paper)
        base = self.base
        html = self.render(
            "paper.html",
            path,
            paper=paper,
            abstract_html=Markup(render_markdown(paper.abstract)),
            notes_html=Markup(render_markdown(paper.notes)) if paper.notes.strip() else "",
            bibtex=self.bibtex_entry(paper),
            head_meta=head_meta(paper, self.config, base, path),
        )
        return path, html


def render_site(
    site: Site,
    config: Config,
    out_dir: Path,
    templates_dir: Path,
    write: Callable[[Path, str], None],
) -> int:
    """Render every page and export of the site into out_dir; return the pages written.

    The pages are rendered in independent jobs spread over the machine's cores, the
    longest first."""
    renderer = PageRenderer(site, config, templates_dir)
    base, common = renderer.base, renderer.common
    # Compiled here once, the templates are shared with the workers, instead of each
    # worker compiling them again.
    for name in renderer.env.list_templates(extensions=["html"]):
        with contextlib.suppress(TemplateError):  # one never used may stay broken
            renderer.env.get_template(name)

    def page(template: str, path: str, **context: Any) -> int:
        write(out_dir / path, renderer.render(template, path, **context))
        return 1

    def list_pages() -> int:
        return (
            page("index.html", "index.html", papers=site.papers)
            + page("authors/list.html", "authors/index.html", authors=site.authors)
            + page("taxonomy/list.html", "topics/index.html")
            + page("stats.html", "stats.html", **stats_context(site))
            # Pages that are not content: not in the sitemap.
            + page("search.html", "search.html")
            + page("404.html", "404.html", root=config.base_url)
        )

    def author_pages() -> int:
        count = 0
        for author in site.authors:
            count += page(
                "authors/single.html",
                f"authors/{author.slug}.html",
                author=author,
                papers=author.papers,
                heading=author.name,
            )
        return count

    def term_pages() -> int:
        count = 0
        for kind, folder, terms in (("topic", "topics", site.topics), ("tag", "tags", site.tags)):
            for term in terms:
                heading = f"Topic: {term.name}" if kind == "topic" else f"Tagged #{term.name}"
                count += page(
                    "taxonomy/single.html",
                    f"{folder}/{term.slug}.html",
                    term=term,
                    kind=kind,
                    papers=term.papers,
                    heading=heading,
                )
        return count

    def paper_pages(papers: Sequence[Paper]) -> int:
        for paper in papers:
            path, html = renderer.paper_page(paper)
            write(out_dir / path, html)
        return len(papers)

    def redirects_and_sitemap() -> int:
        count = 0
        redirect = renderer.env.get_template("redirect.html")
        for paper in site.papers:
            # A page merged into another by `same_as` keeps its URL, pointing to the paper.
            for slug in paper.merged_slugs:
                html = redirect.render(**common, paper=paper, head_meta=[])
                write(out_dir / "papers" / f"{slug}.html", html)
                count += 1
        write(out_dir / "robots.txt", robots_txt(base))
        if base is not None:
            write(out_dir / "sitemap.xml", sitemap_xml(content_paths(site), base))
        return count

    runs = chunks(site.papers, max(1, min(worker_count() * 6, len(site.papers) // 50)))
    jobs: list[Callable[[], int]] = [
        author_pages,
        term_pages,
        list_pages,
        redirects_and_sitemap,
        *(functools.partial(paper_pages, run) for run in runs),
    ]
    return sum(run_jobs(jobs))


def write_exports(
    site: Site, config: Config, out_dir: Path, write: Callable[[Path, str], None]
) -> None:
    """Write the library's data files (BibTeX, JSON, Atom): they need the papers only,
    not the topics, so the build makes them while topics are still being found."""
    base = site_url(config)
    keys = bibtex_keys(site.papers)
    write(out_dir / "library.bib", library_bib(site.papers, keys, base))
    write(out_dir / "papers.json", papers_json(site.papers, base))
    write(out_dir / "feed.xml", atom_feed(site.papers, config, base))


def content_paths(site: Site) -> list[str]:
    """The paths of the site's content pages, for the sitemap: lists, papers, authors,
    topics and tags (not search, 404 or redirects)."""
    return [
        "index.html",
        "authors/index.html",
        "topics/index.html",
        "stats.html",
        *(paper_url(p) for p in site.papers),
        *(f"authors/{a.slug}.html" for a in site.authors),
        *(f"topics/{t.slug}.html" for t in site.topics),
        *(f"tags/{t.slug}.html" for t in site.tags),
    ]


def stats_context(site: Site) -> dict[str, Any]:
    """The charts of the stats page: papers per author and topic, and who shares papers."""
    author_bars = [Bar(a.name, len(a.papers), f"authors/{a.slug}.html") for a in site.authors]
    topic_bars = [Bar(t.name, len(t.papers), f"topics/{t.slug}.html") for t in site.topics]
    shared: Counter[tuple[str, str]] = Counter()
    for paper in site.papers:
        names = sorted(set(paper.authors))
        shared.update(combinations(names, 2))
    nodes = [Node(a.slug, a.name, f"authors/{a.slug}.html", len(a.papers)) for a in site.authors]
    slug = site.author_slugs
    edges = [Edge(slug[a], slug[b], n) for (a, b), n in sorted(shared.items())]
    statuses = Counter(p.status for p in site.papers if p.status)
    return {
        "authors_chart": bar_chart(
            author_bars,
            "Papers per author",
            "Each bar is an author; its length, their papers here.",
        ),
        "authors_table": chart_table(author_bars, "Papers per author", label_header="Author"),
        "topics_chart": bar_chart(
            topic_bars, "Papers per topic", "Each bar is a topic found in the abstracts."
        ),
        "topics_table": chart_table(topic_bars, "Papers per topic", label_header="Topic"),
        "coauthor_graph": coauthor_graph(
            nodes, edges, "Co-author graph", "Authors joined by the papers they share."
        ),
        "read_counts": [(s, statuses[s]) for s in READING_STATUSES if statuses[s]],
    }
