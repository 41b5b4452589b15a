"""Builds and imports killed at any moment (SIGKILL, SIGINT) lose nothing: the previous
site stays whole and every page a reader edited keeps the edit."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import SEEDS, make_project, project_config

from site_builder.build import build_site
from site_builder.content import read_pages


def site_is_whole(site: Path) -> list[str]:
    """What is missing from a built site: the pages its home page links, its assets."""
    missing = [
        name
        for name in ("index.html", ".nojekyll", "search.html", "stats.html")
        if not (site / name).exists()
    ]
    if not missing:
        home = (site / "index.html").read_text(encoding="utf-8")
        for slug in __import__("re").findall(r'href="papers/([^"]+)"', home):
            if not (site / "papers" / slug).exists():
                missing.append(f"papers/{slug}")
    return missing


def start(root: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "site_builder", *args],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_interrupt_killed_builds_leave_a_whole_site(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build_site(project_config(root))
    started = time.monotonic()
    build_site(project_config(root, output="_timing"))
    duration = time.monotonic() - started
    rng = random.Random(7)
    page = root / "content" / "papers" / "procgen-benchmark.md"
    for attempt in range(8):
        # Change something so each build really rewrites the site.
        page.write_text(
            page.read_text().replace(
                "title: Procgen Benchmark", f"title: Procgen Benchmark {attempt}"
            )
        )
        process = start(root, "build")
        time.sleep(rng.uniform(0.05, duration * 1.5))
        process.send_signal(signal.SIGKILL if attempt % 2 == 0 else signal.SIGINT)
        process.wait(timeout=60)
        assert site_is_whole(root / "_site") == [], f"attempt {attempt}"
        assert read_pages(root / "content")[1] == []
        page.write_text(
            page.read_text().replace(
                f"title: Procgen Benchmark {attempt}", "title: Procgen Benchmark"
            )
        )
    assert build_site(project_config(root)).papers == 38
    assert site_is_whole(root / "_site") == []
    leftovers = [p.name for p in root.iterdir() if p.name.startswith("._site")]
    assert len(leftovers) <= 8  # staging folders of killed builds; never in the way


def test_interrupt_killed_imports_keep_every_reader_edit(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", seeds=None)
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds[:3]:
        (root / "seeds" / seed.name).write_bytes(seed.read_bytes())
    assert (
        subprocess.run(
            [sys.executable, "-m", "site_builder", "import"], cwd=root, capture_output=True
        ).returncode
        == 0
    )
    edited = {}
    for page in sorted((root / "content" / "papers").glob("*.md")):
        text = page.read_text().replace("\n---\n", f"\nnotes: mine {page.stem}\n---\n", 1)
        page.write_text(text)
        edited[page] = f"notes: mine {page.stem}"
    for seed in seeds[3:]:
        (root / "seeds" / seed.name).write_bytes(seed.read_bytes())
    rng = random.Random(11)
    for _ in range(6):
        process = start(root, "import")
        time.sleep(rng.uniform(0.02, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        for page, note in edited.items():
            assert note in page.read_text(), page
        assert read_pages(root / "content")[1] == []
        assert not [p for p in (root / "content" / "papers").iterdir() if p.suffix != ".md"]
    result = subprocess.run(
        [sys.executable, "-m", "site_builder", "import"], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0
    for page, note in edited.items():
        assert note in page.read_text()
    o1 = next(p for p in edited if "The o1 model series" in p.read_text())
    assert "Saachi Jain" in o1.read_text()  # the finished import added the new seed's author
    os.sync()
