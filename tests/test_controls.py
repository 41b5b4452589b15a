"""Reader controls: hidden pages, same_as merges and author aliases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import make_project, project_config, run_cli, soup

from site_builder.build import build_site
from site_builder.errors import SiteBuilderError

PAPERS = Path("content") / "papers"


def add_field(page: Path, line: str) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n---\n", f"\n{line}\n---\n", 1), encoding="utf-8")


def index_titles(root: Path) -> set[str]:
    text = (root / "_site" / "search" / "index.js").read_text(encoding="utf-8")
    data = json.loads(re.sub(r"^[^=]*=\s*", "", text).rstrip().rstrip(";"))
    return {doc["t"] for doc in data["docs"].values()}


@pytest.fixture
def imported(project: Path) -> Path:
    assert run_cli("import", cwd=project).returncode == 0
    return project


def test_controls_hidden_paper_leaves_site_and_index(imported: Path) -> None:
    add_field(imported / PAPERS / "procgen-benchmark.md", "hidden: true")
    report = build_site(project_config(imported))
    assert report.papers == 37
    assert not (imported / "_site" / "papers" / "procgen-benchmark.html").exists()
    assert "Procgen Benchmark" not in index_titles(imported)
    home = (imported / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Procgen Benchmark" not in home and "37 papers" in home


def test_controls_same_as_merges_pages_and_keeps_the_old_url(imported: Path) -> None:
    # The loader only suggests this pair (see check); the reader accepts the suggestion.
    target = imported / PAPERS / "combining-diverse-feature-priors.md"
    target_id = re.search(r"^id: (\w+)", target.read_text(), re.M).group(1)  # type: ignore[union-attr]
    other = "the-design-space-of-leveraging-such-feature-priors-by"
    add_field(imported / PAPERS / f"{other}.md", f"same_as: {target_id}")
    report = build_site(project_config(imported))
    assert report.papers == 37
    site = imported / "_site"
    page = soup(site / "papers" / "combining-diverse-feature-priors.html")
    assert {a.get_text() for a in page.select(".paper-authors a")} == {"Saachi Jain", "Tony"}
    assert len(page.select(".seed-list li")) == 2
    moved = soup(site / "papers" / f"{other}.html")
    assert moved.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith(
        "combining-diverse-feature-priors.html"
    )
    tony = soup(site / "authors" / "tony.html")
    titles = [a.get_text() for a in tony.select(".paper-title")]
    assert "Combining Diverse Feature Priors" in titles
    assert not [t for t in titles if t.startswith("The design space of leveraging")]


def test_controls_same_as_unknown_id_and_cycles_are_errors(imported: Path) -> None:
    page = imported / PAPERS / "procgen-benchmark.md"
    add_field(page, "same_as: nope123")
    with pytest.raises(
        SiteBuilderError,
        match=r"procgen-benchmark\.md: field 'same_as': no page "
        r"has the id 'nope123'",
    ):
        build_site(project_config(imported))
    a, b = (
        imported / PAPERS / "gsm8k-a-dataset-of-8-5k-high-quality-linguistically-diverse.md",
        imported / PAPERS / "codex-a-gpt-language-model-fine-tuned-on-publicly-available.md",
    )
    page.write_text(page.read_text().replace("same_as: nope123\n", ""))
    ids = [re.search(r"^id: (\w+)", p.read_text(), re.M).group(1) for p in (a, b)]  # type: ignore[union-attr]
    add_field(a, f"same_as: {ids[1]}")
    add_field(b, f"same_as: {ids[0]}")
    with pytest.raises(SiteBuilderError, match="in a circle"):
        build_site(project_config(imported))


def test_controls_last_first_and_first_last_are_one_author(imported: Path) -> None:
    page = imported / PAPERS / "procgen-benchmark.md"
    page.write_text(page.read_text().replace("- Tony\n", "- Tony\n- Jain, Saachi\n", 1))
    build_site(project_config(imported))
    authors = soup(imported / "_site" / "authors" / "index.html").select(".author-list a")
    assert [a.get_text() for a in authors] == ["Saachi Jain", "Tony"]
    saachi = soup(imported / "_site" / "authors" / "saachi-jain.html")
    assert len(saachi.select(".paper-card")) == 11


def test_controls_config_aliases_join_other_spellings(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        config_text=("author_aliases:\n  Saachi Jain: [S. Jain, 'Jain, S.']\n  Tony Wu: [Tony]\n"),
    )
    run_cli("import", cwd=root)
    page = root / PAPERS / "procgen-benchmark.md"
    page.write_text(page.read_text().replace("- Tony\n", "- Tony\n- S. Jain\n", 1))
    build_site(project_config(root))
    authors = soup(root / "_site" / "authors" / "index.html").select(".author-list a")
    assert [a.get_text() for a in authors] == ["Saachi Jain", "Tony Wu"]
    assert len(soup(root / "_site" / "authors" / "saachi-jain.html").select(".paper-card")) == 11


def test_controls_bad_alias_config_names_the_key(project: Path) -> None:
    (project / "site.yaml").write_text("author_aliases:\n  Saachi Jain: S. Jain\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "error: site.yaml:1: key 'author_aliases': expected" in result.stderr


def test_controls_reader_fields_are_checked_with_file_and_line(imported: Path) -> None:
    page = imported / PAPERS / "procgen-benchmark.md"
    good = page.read_text()
    page.write_text(good.replace("\n---\n", "\nstatus: skimmed\nrating: 7\nadded: soon\n---\n", 1))
    result = run_cli("build", cwd=imported)
    assert result.returncode == 1
    err = result.stderr
    assert "procgen-benchmark.md:12: field 'status': expected one of: to read, reading, read" in err
    assert "procgen-benchmark.md:13: field 'rating': expected a whole number from 1 to 5" in err
    assert "field 'added': expected a date like 2024-05-31" in err


def test_controls_import_writes_the_date_added(project: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    subprocess.run(
        [sys.executable, "-m", "site_builder", "import"],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    text = (project / PAPERS / "procgen-benchmark.md").read_text()
    assert "\nadded: 2023-11-14\n" in text
