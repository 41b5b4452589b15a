"""Stage 2b: topics, tags and related papers, added to the Site before rendering.

Topics and related papers come from the abstracts (`related.analyse`); tags are the
reader's own. Names that differ only in case or punctuation are one term, shown in
their most common spelling.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from .model import Paper, RelatedLink, Site, Term, slugify
from .related import TextDoc, analyse

MIN_PAPERS_FOR_SHARED_TOPICS = 10
LARGE_LIBRARY = 200
"""From this many papers on, a topic needs three papers to get a page."""


RESERVED_SLUGS = frozenset({"index"})
"""Slugs a term may not take: `topics/index.html` is the index of topics and tags."""


def term_slug(name: str) -> str:
    """The page slug of a topic or tag: names differing in case or punctuation share it."""
    slug = slugify(name)
    return f"{slug}-term" if slug in RESERVED_SLUGS else slug


def build_terms(
    assigned: Mapping[str, Iterable[str]], papers: Iterable[Paper]
) -> tuple[tuple[Term, ...], dict[str, tuple[Term, ...]]]:
    """Group names given to papers into terms; return the terms and each paper's terms."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        for name in dict.fromkeys(assigned.get(paper.id, ())):
            key = term_slug(name)
            spellings[key][name] += 1
            if paper not in members[key]:
                members[key].append(paper)
    terms = {
        key: Term(min(names, key=lambda n: (-names[n], n)), key, tuple(members[key]))
        for key, names in spellings.items()
    }
    ordered = tuple(sorted(terms.values(), key=lambda t: (-len(t.papers), t.name.casefold())))
    by_paper: dict[str, tuple[Term, ...]] = {}
    for paper in papers:
        keys = dict.fromkeys(term_slug(name) for name in assigned.get(paper.id, ()))
        by_paper[paper.id] = tuple(terms[key] for key in keys)
    return ordered, by_paper


def add_taxonomies(site: Site) -> Site:
    """Return the site with its topics, tags and related papers."""
    analysis = analyse([TextDoc(p.id, p.title_text, p.text) for p in site.papers])
    keywords = analysis.keywords
    if len(site.papers) >= MIN_PAPERS_FOR_SHARED_TOPICS:
        # A topic page with one paper helps nobody, and in a large library one with two
        # hardly more: keep the topics that join enough papers to browse.
        least = 2 if len(site.papers) < LARGE_LIBRARY else 3
        shared = Counter(term_slug(k) for words in keywords.values() for k in set(words))
        keywords = {
            i: tuple(k for k in words if shared[term_slug(k)] >= least)
            for i, words in keywords.items()
        }
    topics, paper_topics = build_terms(keywords, site.papers)
    tags, paper_tags = build_terms({p.id: p.tags for p in site.papers}, site.papers)
    by_id = {p.id: p for p in site.papers}
    related = {
        paper_id: tuple(RelatedLink(by_id[r.id], r.shared_terms) for r in found if r.id in by_id)
        for paper_id, found in analysis.related.items()
    }
    return replace(
        site,
        topics=topics,
        tags=tags,
        paper_topics=paper_topics,
        paper_tags=paper_tags,
        related=related,
    )
