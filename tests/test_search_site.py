"""The index compiled from the real seeds, loaded by the vendored lunr.js under Node."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_search import NODE_RUNNER, require_node

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
    (work / "queries.json").write_text(json.dumps(QUERIES), encoding="utf-8")
    (work / "run.js").write_text(NODE_RUNNER, encoding="utf-8")
    proc = subprocess.run(
        [
            node,
            str(work / "run.js"),
            str(site / "static/vendor/lunr/lunr.min.js"),
            str(site / "search/index.js"),
            str(site / "static/js/search.js"),
            str(work / "queries.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    assert result["errors"] == {} and result["warnings"] == []
    return result


def titles(run: dict[str, Any], query: str) -> list[str]:
    return [r["title"] for r in run["results"][query]]


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
