"""Slugs: unique, URL-safe, short, and never a way out of the output folder."""

from __future__ import annotations

import string
from pathlib import Path

from conftest import make_project, project_config
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.build import build_site
from site_builder.load import Candidate, assign_slugs
from site_builder.model import SAFE_SLUG, SeedEntry, slugify

NASTY = st.lists(
    st.one_of(st.characters(), st.sampled_from(list("./\\%#?&:<>\"' \t\n") + ["..", "../"])),
    max_size=120,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(NASTY)
def test_slugs_are_url_safe_short_and_cannot_climb_out(text: str) -> None:
    slug = slugify(text)
    assert SAFE_SLUG.fullmatch(slug), slug
    assert 1 <= len(slug) <= 60
    base = Path("/site/papers")
    assert (base / f"{slug}.html").resolve().parent == base


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NASTY, st.text(alphabet=string.ascii_letters, min_size=1)), max_size=30))
def test_slugs_are_unique_and_do_not_depend_on_order(titled: list[tuple[str, str]]) -> None:
    candidates = [
        Candidate(f"{i:012x}", (SeedEntry("f.txt", i + 1, "A", abstract, title=title or None),))
        for i, (title, abstract) in enumerate(titled)
    ]
    forward = assign_slugs(candidates, set())
    backward = assign_slugs(list(reversed(candidates)), set())
    assert forward == backward
    assert len(set(forward.values())) == len(candidates)
    assert all(SAFE_SLUG.fullmatch(slug) and len(slug) <= 80 for slug in forward.values())


def test_slugs_page_file_names_that_are_not_url_safe_still_build_safely(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build_site(project_config(root))
    papers = root / "content" / "papers"
    (papers / "procgen-benchmark.md").rename(papers / "..%2F Procgen #1?.md")
    build_site(project_config(root))
    site = root / "_site"
    assert (site / "papers" / "2f-procgen-1.html").exists()
    assert all(p.resolve().is_relative_to(site.resolve()) for p in site.rglob("*"))
    assert not list(tmp_path.rglob("*Procgen*.html"))
