"""Stage 3: render the Site to HTML files with Jinja2 (autoescaped, strict)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .config import Config
from .markdown import inline_markup, plain_text, render_markdown
from .model import Paper, Site

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


def render_site(
    site: Site,
    config: Config,
    out_dir: Path,
    templates_dir: Path,
    write: Callable[[Path, str], None],
) -> int:
    """Render every page of the site into out_dir; return the number of pages written."""
    env = make_environment(templates_dir)
    common: dict[str, Any] = {
        "config": config,
        "site": site,
        "author_slugs": site.author_slugs,
        "paper_url": paper_url,
        "link_label": link_label,
        "inline_markup": inline_markup,
        "plain_text": plain_text,
    }
    owners = {ref.file: ref.author for paper in site.papers for ref in paper.seeds}
    count = 0

    def page(template: str, path: str, **context: Any) -> None:
        nonlocal count
        root = context.pop("root", "../" * path.count("/"))
        html = env.get_template(template).render(**common, root=root, page_path=path, **context)
        write(out_dir / path, html)
        count += 1

    page("index.html", "index.html", papers=site.papers)
    page("search.html", "search.html")
    page("authors/list.html", "authors/index.html", authors=site.authors)
    page("404.html", "404.html", root=config.base_url)
    paper_template = env.get_template("paper.html")
    for paper in site.papers:
        html = paper_template.render(
            **common,
            root="../",
            page_path=paper_url(paper),
            paper=paper,
            abstract_html=Markup(render_markdown(paper.abstract)),
            seed_owners=owners,
        )
        write(out_dir / paper_url(paper), html)
        count += 1
    redirect = env.get_template("redirect.html")
    for paper in site.papers:
        # A page merged into another by `same_as` keeps its URL, pointing to the paper.
        for slug in paper.merged_slugs:
            write(out_dir / "papers" / f"{slug}.html", redirect.render(**common, paper=paper))
            count += 1
    for author in site.authors:
        page(
            "authors/single.html",
            f"authors/{author.slug}.html",
            author=author,
            papers=author.papers,
        )
    return count
