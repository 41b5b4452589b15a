"""The search files built from the real seeds, loaded by the vendored lunr.js under Node
(search/index.js, then the abstract parts it names, as the browser loads them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_search import require_node, run_client

QUERIES = [
    "reinforc",
    "reinforcement learning",
    "jain",
    "saachi jai",
    "o1 system",
    "50%",
    "generaliz",
    "zzzqqq",
    "leftrightarrow",
]


@pytest.fixture(scope="module")
def seeds_run(built_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    node = require_node()
    site = built_seeds / "_site"
    work = tmp_path_factory.mktemp("seeds-search")
    assert (site / "static/js/search.js").exists()
    result = run_client(node, work, site / "search", QUERIES)
    assert result["errors"] == {} and result["warnings"] == []
    return result


def titles(run: dict[str, Any], query: str, results: str = "results") -> list[str]:
    return [r["title"] for r in run[results][query]]


def test_search_site_writes_the_first_part_and_the_abstract_parts(built_seeds: Path) -> None:
    search = built_seeds / "_site" / "search"
    assert sorted(path.name for path in search.iterdir()) == ["index.js", "text-0.js"]


def test_search_site_first_part_finds_authors_and_titles_at_once(seeds_run) -> None:  # type: ignore[no-untyped-def]
    assert titles(seeds_run, "jain", "firstResults") == titles(seeds_run, "jain")
    assert titles(seeds_run, "o1 system", "firstResults")[0] == "OpenAI o1 System Card"
    # The o1 System Card says "reinforcement" only in its abstract: it is found once the
    # abstract part is there, and not before.
    assert "OpenAI o1 System Card" not in titles(seeds_run, "reinforc", "firstResults")
    assert "OpenAI o1 System Card" in titles(seeds_run, "reinforc")
    assert set(titles(seeds_run, "reinforc", "firstResults")) < set(titles(seeds_run, "reinforc"))


def test_search_site_prefix_finds_the_reinforcement_learning_papers(seeds_run) -> None:  # type: ignore[no-untyped-def]
    found = titles(seeds_run, "reinforc")
    assert "OpenAI o1 System Card" in found
    assert "Procgen Benchmark" in found
    assert any("Sonic the Hedgehog" in t or "reinforcement learning (RL)" in t for t in found)
    assert set(found) >= set(titles(seeds_run, "reinforcement learning"))


def test_search_site_finds_authors_by_part_of_their_name(seeds_run) -> None:  # type: ignore[no-untyped-def]
    assert len(titles(seeds_run, "jain")) == 10
    assert sorted(titles(seeds_run, "saachi jai")) == sorted(titles(seeds_run, "jain"))


def test_search_site_ranks_title_matches_first(seeds_run) -> None:  # type: ignore[no-untyped-def]
    assert titles(seeds_run, "o1 system")[0] == "OpenAI o1 System Card"


def test_search_site_nonsense_finds_nothing(seeds_run) -> None:  # type: ignore[no-untyped-def]
    assert titles(seeds_run, "zzzqqq") == []
    assert seeds_run["docs"] and len(seeds_run["docs"]) == 38
