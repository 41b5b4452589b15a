"""Smoke test of the benchmark harness (bench/run.py --quick) on a tiny corpus.

It checks that the harness runs and prints its table with every row, not the numbers.
Peers (Hugo, Pelican, Pagefind) and the browser are used when installed and skipped
when not: a missing peer never fails this test, a broken harness does.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RUN = PROJECT / "bench" / "run.py"
CORPUS_SCRIPT = PROJECT.parent / "shared" / "bench" / "make_corpus.py"

ROWS = [
    "Full build (import + pages + search index)",
    "Full build vs Python peer",
    "Peak memory, full build",
    "No-op rebuild (nothing changed)",
    "`serve`: edit a page → browser shows it",
    "Search: bytes before first result (gzip)",
    "Search: first results after typing, cold page",
    "Search: each further keystroke",
]


def test_quick_bench_prints_every_row(tmp_path: Path) -> None:
    output = tmp_path / "last-run.md"
    args = [sys.executable, str(RUN), "--quick", "--work", str(tmp_path / "work")]
    args += ["--output", str(output), "--edit-timeout", "20", "--search-timeout", "20"]
    args += ["--settle", "0"]  # a smoke test: no waiting for a quiet disk
    # The shared corpus script lives beside the repository; without it, the project's seeds.
    args += ["--sizes", "30"] if CORPUS_SCRIPT.is_file() else ["--seeds", str(PROJECT / "seeds")]
    done = subprocess.run(args, cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    table = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert table[0].startswith("| Measure | Papers | Ours (median) | Peer |")
    measures = [line.split("|")[1].strip() for line in table[2:]]
    assert measures == ROWS
    # Our own build is always measured: a number, not a dash.
    for line in table[2:6]:
        ours = line.split("|")[3].strip()
        assert ours != "—" and ours[0].isdigit(), line
    assert output.read_text(encoding="utf-8").count("| Full build (import") == 2  # table, spread
