"""Builds that reuse earlier work: nothing changed, cached pages, serve's fast render."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from conftest import make_project, project_config, run_cli

from site_builder import memo
from site_builder.build import build_site
from site_builder.model import Paper, SeedRef
from site_builder.serve import Rebuilder, changed_paths, snapshot
from site_builder.state import CACHE_DIR


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def stamps(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*")}


def retitle(page: Path, old: str, new: str) -> None:
    text = page.read_text(encoding="utf-8")
    assert f"title: {old}" in text
    page.write_text(text.replace(f"title: {old}", f"title: {new}"), encoding="utf-8")


def test_a_build_with_nothing_changed_does_nothing(project: Path) -> None:
    config = project_config(project)
    first = build_site(config)
    assert not first.unchanged and first.papers == 38
    before = stamps(project)
    second = build_site(config)
    assert second.unchanged
    assert (second.papers, second.authors, second.pages) == (
        first.papers,
        first.authors,
        first.pages,
    )
    assert stamps(project) == before, "a no-op build wrote or touched a file"


def test_the_cli_says_nothing_changed_and_repeats_the_warnings(project: Path) -> None:
    (project / "seeds" / "zz-cut.txt").write_text("Tony\n")
    first = run_cli("build", cwd=project)
    assert first.returncode == 0 and "Nothing changed" not in first.stdout
    second = run_cli("build", cwd=project)
    assert second.returncode == 0
    assert "Nothing changed" in second.stdout
    assert "Built 38 papers and 2 authors" in second.stdout
    assert "warning: seeds/zz-cut.txt:1: has only a header" in second.stderr


def test_every_input_and_the_output_count(project: Path) -> None:
    config = project_config(project)
    build_site(config)
    page = project / "content" / "papers" / "procgen-benchmark.md"
    retitle(page, "Procgen Benchmark", "Procgen, edited")
    report = build_site(config)
    assert not report.unchanged
    served = project / "_site" / "papers" / "procgen-benchmark.html"
    assert "Procgen, edited" in served.read_text()
    assert build_site(config).unchanged
    (project / "_site" / "papers" / "procgen-benchmark.html").unlink()
    assert not build_site(config).unchanged
    assert (project / "_site" / "papers" / "procgen-benchmark.html").exists()
    (project / "site.yaml").write_text("title: Another title\n", encoding="utf-8")
    config = project_config(project)
    assert not build_site(config).unchanged
    assert "Another title" in (project / "_site" / "index.html").read_text()
    shutil.copy(project / "seeds" / sorted(os.listdir(project / "seeds"))[0],
                project / "seeds" / "zz-copy.txt")  # fmt: skip
    assert not build_site(config).unchanged
    assert build_site(config).unchanged
    served = replace(config, build_id="123")
    assert not build_site(served).unchanged, "a serve build stamps every page"


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(project: Path) -> None:
    config = project_config(project)
    build_site(config)
    page = project / "content" / "papers" / "procgen-benchmark.md"
    stat = page.stat()
    retitle(page, "Procgen Benchmark", "Procgen Benchmarx")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert page.stat().st_size == stat.st_size
    assert not build_site(config).unchanged
    served = project / "_site" / "papers" / "procgen-benchmark.html"
    assert "Procgen Benchmarx" in served.read_text()


def test_cached_pages_build_the_same_site_as_a_cold_build(tmp_path: Path) -> None:
    warm = make_project(tmp_path / "warm")
    build_site(project_config(warm))
    page = warm / "content" / "papers" / "procgen-benchmark.md"
    retitle(page, "Procgen Benchmark", "Procgen $\\alpha$ edited")
    notes = warm / "content" / "papers" / "gpt-4o-system-card.md"
    notes.write_text(notes.read_text().replace("---\n", "---\nnotes: '*mine*'\n", 1))
    build_site(project_config(warm))  # pages from the cache, the edited ones parsed
    assert (warm / CACHE_DIR / "memo.json").exists()
    cold = tmp_path / "cold"
    shutil.copytree(warm / "seeds", cold / "seeds")
    shutil.copytree(warm / "content", cold / "content")
    memo.load(tmp_path / "no-such-cache")  # this process's tables become old...
    memo.load(tmp_path / "none-either")  # ...and then are gone: a cold start
    build_site(project_config(cold))
    assert files(warm / "_site") == files(cold / "_site")


def test_fast_render_writes_only_the_edited_paper_page(project: Path) -> None:
    config = project_config(project)
    rebuilder = Rebuilder(config, lambda: None, fast=True)
    assert rebuilder.rebuild()
    site = project / "_site"
    before = files(site)
    state = snapshot(rebuilder.paths)
    page = project / "content" / "papers" / "procgen-benchmark.md"
    retitle(page, "Procgen Benchmark", "Procgen <fast>")
    assert rebuilder.fast_render(changed_paths(state, snapshot(rebuilder.paths))) == 1
    after = files(site)
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == {"papers/procgen-benchmark.html"}
    html = after["papers/procgen-benchmark.html"].decode()
    assert "Procgen &lt;fast&gt;" in html


def test_fast_render_makes_the_page_the_full_build_makes(project: Path) -> None:
    config = project_config(project)
    rebuilder = Rebuilder(config, lambda: None, fast=True)
    assert rebuilder.rebuild()
    page = project / "content" / "papers" / "procgen-benchmark.md"
    page.write_text(page.read_text().replace("---\n", "---\nrating: 4\nnotes: '*mine*'\n", 1))
    assert rebuilder.fast_render([str(page)]) == 1
    served = project / "_site" / "papers" / "procgen-benchmark.html"
    fast = served.read_text()
    assert "rated 4 out of 5" in fast and "<em>mine</em>" in fast
    assert rebuilder.rebuild()
    full = served.read_text()
    assert fast.replace(rebuilder_stamp(fast), "") == full.replace(rebuilder_stamp(full), "")


def rebuilder_stamp(html: str) -> str:
    start = html.index('name="site-build" content="') + len('name="site-build" content="')
    return html[start : html.index('"', start)]


def test_fast_render_leaves_new_or_broken_pages_to_the_full_build(project: Path) -> None:
    config = project_config(project)
    rebuilder = Rebuilder(config, lambda: None, fast=True)
    assert rebuilder.rebuild()
    before = files(project / "_site")
    broken = project / "content" / "papers" / "procgen-benchmark.md"
    broken.write_text(broken.read_text().replace("title: Procgen", "title: [Procgen"))
    other = project / "content" / "papers" / "gpt-4o-system-card.md"
    other.write_text(other.read_text().replace("\nid: ", "\nid: 1234567", 1))
    new = project / "content" / "papers" / "brand-new.md"
    new.write_text("---\nid: abcdef123456\ntitle: New\n---\nBody.\n")
    assert rebuilder.fast_render([str(broken), str(other), str(new)]) == 0
    assert files(project / "_site") == before


def test_the_cache_file_is_json_and_a_new_process_uses_it(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    cache = project / CACHE_DIR / "memo.json"
    data = json.loads(cache.read_text(encoding="utf-8"))  # JSON, not pickle
    assert set(data) == {"version", "tables"}
    assert {"pages", "html", "text", "bibtex"} <= set(data["tables"])
    # Mark one rendered abstract in the cache: a new process that shows the mark read it.
    page = project / "content" / "papers" / "procgen-benchmark.md"
    html = data["tables"]["html"]
    index = next(i for i, (key, _) in enumerate(html) if "Procgen" in key)
    html[index][1] = "<p>rendered by an earlier build</p>"
    cache.write_text(json.dumps(data), encoding="utf-8")
    retitle(page, "Procgen Benchmark", "Procgen Benchmark (edited)")  # so the build runs
    assert run_cli("build", cwd=project).returncode == 0
    served = (project / "_site" / "papers" / "procgen-benchmark.html").read_text()
    assert "rendered by an earlier build" in served and "(edited)" in served


def test_a_cache_from_other_code_or_garbage_is_ignored(project: Path) -> None:
    assert run_cli("build", cwd=project).returncode == 0
    cold = files(project / "_site")
    cache = project / CACHE_DIR / "memo.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    for entry in data["tables"]["html"]:
        entry[1] = "<p>stale</p>"
    page = project / "content" / "papers" / "procgen-benchmark.md"
    for version, text in (("other code", json.dumps({**data, "version": "x"})), ("junk", "{[")):
        cache.write_text(text, encoding="utf-8")
        os.utime(page)  # touched: the build runs, and the page is unchanged
        done = run_cli("build", cwd=project)
        assert done.returncode == 0 and "Traceback" not in done.stderr, version
        assert files(project / "_site") == cold, version


def test_the_cache_keeps_every_kind_of_value_a_page_holds() -> None:
    paper = Paper(
        id="abc",
        slug="a-paper",
        title="A $\\alpha$ paper",
        title_inferred=False,
        authors=("Ada", "Bo"),
        source=None,
        abstract="Text.",
        seeds=(SeedRef("seeds/a.txt", 3, "Ada"),),
        links=("https://example.org",),
        extra=(("read_on", date(2024, 5, 1)), ("scores", {1: [2.5, None], "k": (True,)})),
        added=date(2024, 1, 2),
        rating=4,
    )
    value = {"pages": paper, "when": datetime(2024, 5, 1, 12, 30), "nan": float("inf")}
    assert memo._decode(json.loads(json.dumps(memo._encode(value)))) == value
