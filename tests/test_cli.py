"""The command line as a user meets it: exit codes, messages, never a traceback."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from conftest import make_project, run_cli


def test_cli_build_from_a_fresh_project(project: Path) -> None:
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Built 38 papers and 2 authors" in result.stdout
    assert (project / "_site" / "index.html").exists()
    assert len(list((project / "content" / "papers").glob("*.md"))) == 38


def test_cli_import_reports_counts_and_is_idempotent(project: Path) -> None:
    first = run_cli("import", cwd=project)
    assert "Imported 47 entries as 38 papers: 38 new" in first.stdout
    second = run_cli("import", cwd=project)
    assert "0 new, 0 updated, 38 unchanged" in second.stdout


def test_cli_options_choose_folders_and_base_url(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    shutil.move(root / "seeds", root / "my-seeds")
    result = run_cli(
        "build",
        "--seeds",
        "my-seeds",
        "--content",
        "pages",
        "--out",
        "public",
        "--base-url",
        "/reading-list",
        cwd=root,
    )
    assert result.returncode == 0, result.stderr
    assert (root / "pages" / "papers" / "openai-o1-system-card.md").exists()
    assert 'href="/reading-list/index.html"' in (root / "public" / "404.html").read_text()


def test_cli_console_script_is_installed(project: Path) -> None:
    script = Path(sys.executable).parent / "site-builder"
    import subprocess

    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=project)
    assert result.returncode == 0 and "import" in result.stdout and "serve" in result.stdout


def test_cli_broken_yaml_exits_1_with_file_and_line_and_no_traceback(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    page = project / "content" / "papers" / "procgen-benchmark.md"
    page.write_text(page.read_text().replace("authors:\n", "authors:\n  bad: [\n", 1))
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: content/papers/procgen-benchmark.md:")
    assert "front matter is not valid YAML" in result.stderr


def test_cli_bad_field_type_names_file_field_and_line(project: Path) -> None:
    run_cli("import", cwd=project)
    page = project / "content" / "papers" / "procgen-benchmark.md"
    page.write_text(page.read_text().replace("title_inferred: true", "title_inferred: maybe"))
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert (
        "error: content/papers/procgen-benchmark.md:4: field 'title_inferred': "
        "expected true or false"
    ) in result.stderr


def test_cli_config_unknown_key_and_bad_type_are_reported_together(project: Path) -> None:
    (project / "site.yaml").write_text("title: My list\ntitel: typo\nbase_url: 3\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: site.yaml:2: key 'titel': unknown key; did you mean 'title'?" in result.stderr
    assert (
        "error: site.yaml:3: key 'base_url': expected a non-empty string, got int 3"
        in result.stderr
    )


def test_cli_config_title_shows_on_pages(project: Path) -> None:
    (project / "site.yaml").write_text("title: Tony's <reading> list\ndescription: Mine.\n")
    assert run_cli("build", cwd=project).returncode == 0
    html = (project / "_site" / "index.html").read_text()
    assert "<title>Tony&#39;s &lt;reading&gt; list</title>" in html


def test_cli_bad_seed_is_a_warning_and_the_build_goes_on(project: Path) -> None:
    (project / "seeds" / "zz-cut.txt").write_text("Tony\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0
    assert "warning: seeds/zz-cut.txt:1: has only a header and no Abstract: lines" in result.stderr
    assert "Built 38 papers" in result.stdout


def test_cli_missing_seeds_folder_is_a_clear_warning(tmp_path: Path) -> None:
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: seeds: seeds folder not found" in result.stderr


def test_cli_config_folders_cannot_leave_the_project(project: Path) -> None:
    (project / "site.yaml").write_text("output: ../../elsewhere\ncontent: /etc\nseeds: seeds\n")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert (
        "error: site.yaml:1: key 'output': '../../elsewhere' is outside the project"
        in result.stderr
    )
    assert "error: site.yaml:2: key 'content': '/etc' is outside the project" in result.stderr
    assert not (project.parent.parent / "elsewhere").exists()
