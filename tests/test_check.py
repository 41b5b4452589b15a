"""`site-builder check`: one report a reader can act on, and --strict for CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

PAPERS = Path("content") / "papers"


@pytest.fixture
def imported(project: Path) -> Path:
    assert run_cli("import", cwd=project).returncode == 0
    return project


def test_check_on_the_seeds_reports_what_to_fix(imported: Path) -> None:
    result = run_cli("check", cwd=imported)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Checked 38 pages and 5 seed files.")
    # The one pair the loader did not merge is suggested, with the exact line to add.
    target = (imported / PAPERS / "combining-diverse-feature-priors.md").read_text()
    target_id = target.split("id: ", 1)[1].split("\n", 1)[0]
    assert "Suggested duplicates (1)" in out
    assert (
        f"add the line 'same_as: {target_id}' to content/papers/"
        "the-design-space-of-leveraging-such-feature-priors-by.md"
    ) in out
    assert "Inferred titles (28)" in out
    assert "holistic-evaluation-of-language-models-helm.md:3: “Holistic Evaluation" in out
    assert "github.com/openai/mle-bench/: written without http(s)://" in out
    assert "Pages whose seed is gone" not in out and "Unknown front-matter" not in out
    assert "Run with --strict" in out


def test_check_accepting_the_suggestion_clears_it(imported: Path) -> None:
    target = (imported / PAPERS / "combining-diverse-feature-priors.md").read_text()
    target_id = target.split("id: ", 1)[1].split("\n", 1)[0]
    page = imported / PAPERS / "the-design-space-of-leveraging-such-feature-priors-by.md"
    page.write_text(page.read_text().replace("\n---\n", f"\nsame_as: {target_id}\n---\n", 1))
    out = run_cli("check", cwd=imported).stdout
    assert "Suggested duplicates" not in out
    assert "Inferred titles (27)" in out


def test_check_reports_typos_gone_seeds_and_bad_links(imported: Path) -> None:
    page = imported / PAPERS / "procgen-benchmark.md"
    text = page.read_text().replace("\n---\n", "\nstauts: read\ntagz: [rl]\n---\n", 1)
    page.write_text(text + "\nSee http://not_a_host/x and https://example.org/a_(b.\n")
    (imported / "seeds" / "001_51cbc33ffe6d2567.txt").unlink()
    result = run_cli("check", "--strict", cwd=imported)
    assert result.returncode == 1
    out = result.stdout
    assert "procgen-benchmark.md:12: field 'stauts' is not one the site knows" in out
    assert "did you mean 'status'?" in out and "field 'tagz'" in out
    assert "seed file 001_51cbc33ffe6d2567.txt is gone" in out
    assert "http://not_a_host/x: 'not_a_host' is not a host name" in out
    assert "https://example.org/a_(b: only https://example.org/a_ is linked" in out


def test_check_broken_page_and_bad_seed_are_reported_and_fail(imported: Path) -> None:
    page = imported / PAPERS / "procgen-benchmark.md"
    page.write_text(page.read_text().replace("title: Procgen", "title: [Procgen"))
    (imported / "seeds" / "zz.txt").write_text("Tony\n")
    result = run_cli("check", cwd=imported)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Page errors (1)" in result.stdout
    assert "content/papers/procgen-benchmark.md:4: front matter is not valid YAML" in result.stdout
    assert "seeds/zz.txt:1: has only a header" in result.stdout


def test_check_writes_nothing(imported: Path) -> None:
    before = {p: p.read_bytes() for p in imported.rglob("*") if p.is_file()}
    run_cli("check", cwd=imported)
    assert {p: p.read_bytes() for p in imported.rglob("*") if p.is_file()} == before
