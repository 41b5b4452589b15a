#!/usr/bin/env python3
"""Benchmark harness: site_builder against Hugo, Pelican and Pagefind, in the same run.

Corpora come from the shared corpus script (`<repo>/../shared/bench/make_corpus.py`, or
$SITE_BENCH_SHARED/make_corpus.py); writing them is not timed. Each comparison runs the
peer in the same run, alternating with site_builder, several times; the table quotes
medians and ratios. See bench/README.md for what every row measures.

    python bench/run.py                                # 1,000 and 10,000 papers, 5 repeats
    python bench/run.py --sizes 1000 --repeats 3 --only build
    python bench/run.py --quick                        # smoke run: 50 papers, 1 repeat
    python bench/run.py --rev HEAD                     # the committed code, not the working tree

The table is printed and written to bench/last-run.md (or --output).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import importlib.util
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
for _path in (str(REPO), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

if TYPE_CHECKING:
    import peers

# Environment of every child process: with --rev, PYTHONPATH points at that revision's code.
CHILD_ENV: dict[str, str] = dict(os.environ)

SHARED = Path(os.environ.get("SITE_BENCH_SHARED") or BENCH.parents[1] / "shared" / "bench")
# The browser flags live in one place, the test helpers, for the tests, the screenshots
# and the benchmark alike.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from browser import CHROMIUM_ARGS, free_port  # noqa: E402
from site_check import check_build  # noqa: E402

CHROMIUM = os.environ.get("SITE_BENCH_CHROMIUM", "/usr/bin/chromium")
PARTS = ("build", "noop", "serve", "search")
MIB = 1024 * 1024

# What the harness looks for in our pages (keep in step with templates/ and static/js/search.js).
OURS_INPUT = "input[type=search]"
OURS_RESULT = "#search-results .search-result"
OURS_HEADING = "h1"
PAGEFIND_PAGE = "pagefind-bench.html"
PAGEFIND_RESULT = "#results .pf-result"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ------------------------------------------------------------------ results and the table


@dataclass
class Row:
    measure: str
    papers: int
    unit: str  # "s", "ms", "MiB", "kB"
    ours: list[float] = field(default_factory=list)
    peer: str = ""
    peer_values: list[float] = field(default_factory=list)
    target: str = "—"
    check: Callable[[float, float | None], bool] | None = None
    note: str = ""
    needs_peer: bool = False  # the target is relative to the peer

    @property
    def ours_median(self) -> float | None:
        return statistics.median(self.ours) if self.ours else None

    @property
    def peer_median(self) -> float | None:
        return statistics.median(self.peer_values) if self.peer_values else None

    def ratio(self) -> float | None:
        ours, peer = self.ours_median, self.peer_median
        if ours is None or peer is None or peer == 0:
            return None
        return ours / peer

    def met(self) -> str:
        if self.check is None:
            return "n/a"
        ours = self.ours_median
        if ours is None:
            return "not measured"
        peer = self.peer_median
        if self.needs_peer and peer is None:
            return "n/a (no peer)"
        return "met" if self.check(ours, peer) else "**not met**"


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if value == float("inf"):
        return "timeout"
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "kB":
        return f"{value:,.0f} kB"
    return f"{value:g} {unit}"


def spread(values: list[float], unit: str) -> str:
    if not values:
        return "—"
    if len(values) == 1:
        return fmt(values[0], unit)
    return f"{fmt(min(values), unit)} – {fmt(max(values), unit)} (n={len(values)})"


def render_table(rows: list[Row]) -> str:
    head = (
        "| Measure | Papers | Ours (median) | Peer | Peer (median) "
        "| Ratio ours/peer | Target | Met |"
    )
    lines = [head, "|---|---:|---:|---|---:|---:|---|---|"]
    for row in rows:
        ratio = row.ratio()
        lines.append(
            f"| {row.measure} | {row.papers:,} | {fmt(row.ours_median, row.unit)} | "
            f"{row.peer or '—'} | {fmt(row.peer_median, row.unit)} | "
            f"{'—' if ratio is None else f'{ratio:.2f}×'} | {row.target} | {row.met()} |"
        )
    return "\n".join(lines)


def render_details(rows: list[Row]) -> str:
    lines = [
        "| Measure | Papers | Ours: min – max | Peer: min – max | Note |",
        "|---|---:|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.measure} | {row.papers:,} | {spread(row.ours, row.unit)} | "
            f"{spread(row.peer_values, row.unit) if row.peer else '—'} | {row.note} |"
        )
    return "\n".join(lines)


# ------------------------------------------------------------------------ processes


@dataclass
class Timed:
    seconds: float
    peak_bytes: int
    output: str = ""


def run_timed(
    cmd: list[str],
    cwd: Path,
    log_path: Path,
    timeout: float = 1800,
    env: dict[str, str] | None = None,
) -> Timed:
    """Run cmd to completion: whole-process wall time and the peak RSS of this child alone.

    os.wait4 gives the resource usage of exactly this child (and its own waited-for
    children), unlike RUSAGE_CHILDREN, which accumulates over every child so far.
    """
    with open(log_path, "ab") as out:
        out.write(f"$ {' '.join(cmd)}  (in {cwd})\n".encode())
        out.flush()
        offset = out.tell()
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env or CHILD_ENV
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise BenchError(f"{' '.join(cmd)} exited with {proc.returncode} in {cwd}:\n{tail}")
    with open(log_path, "rb") as written:
        written.seek(offset)
        output = written.read().decode("utf-8", errors="replace")
    return Timed(seconds, usage.ru_maxrss * 1024, output)


# Our build prints where its time went when asked (site_builder/build.py, `_stage`).
TIMINGS_ENV = {**CHILD_ENV, "SITE_BUILDER_TIMINGS": "1"}
STAGE_LINE = re.compile(r"^\[timing\] (?P<stage>[^:]+): (?P<wall>[\d.]+) s wall", re.MULTILINE)


def stage_times(output: str) -> dict[str, float]:
    return {m["stage"]: float(m["wall"]) for m in STAGE_LINE.finditer(output)}


def _files_made(project: Path | None) -> int:
    """Files a full build made: its pages and its output."""
    if project is None:
        return 0
    return sum(
        1 for folder in ("content", "_site") for p in (project / folder).rglob("*") if p.is_file()
    )


def file_creation_ms(folder: Path, count: int = 3000) -> float:
    """Milliseconds to create one empty file here now (the files are left for later)."""
    folder.mkdir(parents=True)
    start = time.perf_counter()
    for number in range(count):
        os.close(os.open(folder / f"f{number}", os.O_CREAT | os.O_WRONLY, 0o644))
    return (time.perf_counter() - start) / count * 1000


def ours_build_cmd() -> list[str]:
    return [
        sys.executable, "-m", "site_builder", "build",
        "--seeds", "seeds", "--content", "content", "--out", "_site",
    ]  # fmt: skip


def pelican_cmd(out: str = "out") -> list[str]:
    script = Path(sys.executable).parent / "pelican"
    head = [str(script)] if script.exists() else [sys.executable, "-m", "pelican"]
    return [*head, "content", "-o", out, "-s", "pelicanconf.py"]


def pagefind_cmd(site: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "papers/*.html"]


def capture(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else ""


@dataclass
class Tools:
    hugo: str = ""
    pelican: str = ""
    pagefind: str = ""
    chromium: str = ""
    playwright: bool = False

    @classmethod
    def detect(cls, wanted: set[str]) -> Tools:
        tools = cls()
        if "hugo" in wanted and shutil.which("hugo"):
            version = capture(["hugo", "version"]).split()
            tools.hugo = f"Hugo {version[1]}" if len(version) > 1 else "Hugo"
        if (
            "pelican" in wanted
            and importlib.util.find_spec("pelican")
            and importlib.util.find_spec("markdown")
        ):
            tools.pelican = capture([*pelican_cmd()[:-5], "--version"])
            tools.pelican = f"Pelican {tools.pelican}" if tools.pelican else ""
        if "pagefind" in wanted and importlib.util.find_spec("pagefind"):
            found = capture([sys.executable, "-m", "pagefind", "--version"])
            tools.pagefind = f"Pagefind {found.split()[-1]}" if found else ""
        if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
            tools.chromium = capture([CHROMIUM, "--version"]) or "chromium"
        tools.playwright = importlib.util.find_spec("playwright") is not None
        return tools

    @property
    def browser(self) -> bool:
        return bool(self.chromium and self.playwright)


@contextlib.contextmanager
def browser_session() -> Iterator[Any]:
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait until `serve` answers `url` with 200; raise BenchError if it exits or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"serve exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"serve did not answer {url} within {timeout:.0f} s")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 (plain files, no compression); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="bench-static", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


# -------------------------------------------------------------------------- corpora


def make_corpus(n: int, work: Path) -> Path:
    """Write (untimed) a seed corpus of n papers; returns its seeds folder."""
    seeds = work / f"corpus-{n}" / "seeds"
    if seeds.is_dir() and any(seeds.glob("*.txt")):
        return seeds
    script = SHARED / "make_corpus.py"
    if not script.is_file():
        raise BenchError(
            f"corpus script not found: {script} (set SITE_BENCH_SHARED or use --seeds)"
        )
    subprocess.run(
        [sys.executable, str(script), str(seeds), "--n", str(n)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return seeds


def new_project(seeds: Path, folder: Path) -> Path:
    """A fresh copy of the seeds with an empty content folder (untimed)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copytree(seeds, folder / "seeds")
    (folder / "content").mkdir()
    return folder


def choose_query(papers: list[peers.BenchPaper], wanted: str, more: str) -> tuple[str, str]:
    """The query to type and the keystrokes after it: `wanted` when the corpus has it,
    else a prefix of a long word common in the corpus (tiny smoke corpora)."""
    if any(wanted.lower() in (p.title + " " + p.abstract).lower() for p in papers):
        return wanted, more
    counts = Counter(
        w.lower() for p in papers for w in re.findall(r"[A-Za-z]{9,}", p.title + " " + p.abstract)
    )
    if not counts:
        return wanted, more
    word = counts.most_common(1)[0][0]
    return word[:5], word[5:9]


# ------------------------------------------------------------------------ the parts


@dataclass
class SizeRun:
    n: int
    seeds: Path
    papers: int
    peer_dirs: dict[str, Path]
    kept: Path | None = None  # a project built by us: seeds, content, _site


class Bench:
    def __init__(self, args: argparse.Namespace, tools: Tools, work: Path):
        self.args = args
        self.tools = tools
        self.work = work
        self.rows: list[Row] = []
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.trash: list[Path] = []  # deleted at the end, never between timed runs
        self.settled: list[float] = []  # seconds waited for a quiet disk, per timed build
        self.log_path = work / "commands.log"

    # -- targets -----------------------------------------------------------------

    @staticmethod
    def target_for(kind: str, n: int) -> tuple[str, Callable[[float, float | None], bool] | None]:
        if kind == "build-hugo" and n == 1000:
            return "≤ 2 × Hugo", lambda ours, peer: peer is not None and ours <= 2 * peer
        if kind == "build-pelican" and n == 1000:
            return "< Pelican", lambda ours, peer: peer is not None and ours < peer
        if kind == "build-hugo" and n == 10000:
            return "≤ 15 s", lambda ours, _: ours <= 15
        if kind == "memory" and n == 10000:
            return "≤ 1,024 MiB", lambda ours, _: ours <= 1024
        if kind == "noop" and n == 10000:
            return "≤ 1 s", lambda ours, _: ours <= 1
        if kind == "serve" and n == 10000:
            return "≤ 1.5 s", lambda ours, _: ours <= 1.5
        if kind == "payload" and n == 10000:
            return "≤ 1,500 kB", lambda ours, _: ours <= 1500
        if kind == "first" and n == 10000:
            return "≤ 1,000 ms", lambda ours, _: ours <= 1000
        if kind == "keystroke" and n == 10000:
            return "≤ 50 ms", lambda ours, _: ours <= 50
        return "—", None

    def row(self, kind: str, measure: str, n: int, unit: str, peer: str = "", **kw: Any) -> Row:
        target, check = self.target_for(kind, n)
        row = Row(measure, n, unit, peer=peer, target=target, check=check, **kw)
        row.needs_peer = kind in ("build-hugo", "build-pelican") and n == 1000
        self.rows.append(row)
        return row

    # -- sizes ---------------------------------------------------------------------

    def prepare(self, n: int | None, seeds_dir: Path | None) -> SizeRun:
        seeds = seeds_dir if seeds_dir is not None else make_corpus(n or 0, self.work)
        papers = peers.read_papers(seeds)
        size = n if seeds_dir is None and n else len(papers)
        peer_root = self.work / f"peers-{size}"
        dirs: dict[str, Path] = {}
        if self.tools.hugo:
            dirs["hugo"] = peers.write_hugo(papers, peer_root / "hugo")
        if self.tools.pelican and size <= self.args.pelican_max:
            dirs["pelican"] = peers.write_pelican(papers, peer_root / "pelican")
        log(
            f"{size:,} papers: corpus {seeds} ({len(papers):,} unique papers), peers {sorted(dirs)}"
        )
        return SizeRun(size, seeds, len(papers), dirs)

    def build_part(self, run: SizeRun, timed_full: bool, timed_noop: bool) -> None:
        n = run.n
        hugo = self.tools.hugo
        full = mem = noop = pel = None
        if timed_full:
            full = self.row("build-hugo", "Full build (import + pages + search index)", n, "s",
                            peer=hugo or "Hugo: not installed")  # fmt: skip
            if n <= self.args.pelican_max:
                pel = self.row("build-pelican", "Full build vs Python peer", n, "s",
                               peer=self.tools.pelican or "Pelican: not installed")  # fmt: skip
            mem = self.row("memory", "Peak memory, full build", n, "MiB",
                           peer=hugo if "hugo" in run.peer_dirs else "")  # fmt: skip
        if timed_noop:
            noop = self.row("noop", "No-op rebuild (nothing changed)", n, "s")
        # Nothing is deleted between timed runs: on a file system that skips inodes
        # freed moments ago (ext4 without a journal, as here), deleting one run's files
        # slows the file creation of the next run, whichever tool it is. Everything is
        # deleted when the whole benchmark is done, and the runs wait for a quiet disk.
        trash = self.trash
        stages: dict[str, list[float]] = {}
        creation: list[float] = []
        for r in range(self.args.repeats):
            project = new_project(run.seeds, self.work / f"ours-{n}-{r}")
            creation.append(self.settle_disk())
            try:
                t = run_timed(ours_build_cmd(), project, self.log_path, env=TIMINGS_ENV)
                for stage, seconds in stage_times(t.output).items():
                    stages.setdefault(stage, []).append(seconds)
                if full is not None and mem is not None:
                    full.ours.append(t.seconds)
                    mem.ours.append(t.peak_bytes / MIB)
                    if pel is not None:
                        pel.ours.append(t.seconds)
                msg = f"{n:,}: ours full {t.seconds:.2f} s {t.peak_bytes / MIB:.0f} MiB"
                if noop is not None:
                    t2 = run_timed(ours_build_cmd(), project, self.log_path)
                    noop.ours.append(t2.seconds)
                    msg += f", no-op {t2.seconds:.2f} s"
            except BenchError as error:
                # Report it and go on: the other repeats (and the peers) still tell something.
                self.errors.append(f"build at {n:,}, repeat {r + 1}: {error}")
                msg = f"{n:,}: ours FAILED"
                trash.append(project)
            else:
                if run.kept is not None and run.kept != project:
                    trash.append(run.kept)
                run.kept = project
            if timed_full and "hugo" in run.peer_dirs:
                site = run.peer_dirs["hugo"]
                self.settle_disk()
                th = run_timed(
                    ["hugo", "--quiet", "--destination", f"public-{r}"], site, self.log_path
                )
                trash.append(site / f"public-{r}")
                assert full is not None and mem is not None
                full.peer_values.append(th.seconds)
                mem.peer_values.append(th.peak_bytes / MIB)
                msg += f"; Hugo {th.seconds:.2f} s {th.peak_bytes / MIB:.0f} MiB"
            if timed_full and pel is not None and "pelican" in run.peer_dirs:
                site = run.peer_dirs["pelican"]
                self.settle_disk()
                tp = run_timed(pelican_cmd(f"out-{r}"), site, self.log_path)
                trash.append(site / f"out-{r}")
                pel.peer_values.append(tp.seconds)
                msg += f"; Pelican {tp.seconds:.2f} s"
            log(f"repeat {r + 1}/{self.args.repeats} {msg}")
        if full is not None:
            full.note = "whole-process wall time; ours from seeds with an empty content folder"
            if "hugo" in run.peer_dirs:
                self.check_peer_output(run, run.peer_dirs["hugo"] / f"public-{r}")
        if stages:
            where = ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in stages.items())
            self.notes.append(
                f"Where our full build's time went at {n:,} (medians, wall): {where}. Creating"
                f" one empty file took {statistics.median(creation):.3f} ms before our runs"
                f" (median; {min(creation):.3f}-{max(creation):.3f}) once the disk was quiet"
                f" (waits before each timed build of every tool: median"
                f" {statistics.median(self.settled):.0f} s, longest {max(self.settled):.0f} s);"
                f" the build creates {_files_made(run.kept):,} files."
            )

    def settle_disk(self, quiet_ms: float = 0.06) -> float:
        """Before a timed build: wait (up to `limit` seconds) until creating a file costs
        what it does on a quiet disk, and return that cost in ms. Here it costs up to 20
        times as much for a while after many files were written or deleted (the last
        build's, whichever tool's): each build would otherwise pay for the one before."""
        os.sync()
        start = time.monotonic()
        while True:
            probe = self.work / f"probe-{len(self.trash)}"
            cost = file_creation_ms(probe, 500)
            self.trash.append(probe)
            if cost <= quiet_ms or time.monotonic() - start >= self.args.settle:
                break
            time.sleep(2)
        self.settled.append(time.monotonic() - start)
        return cost

    def empty_trash(self) -> None:
        for path in self.trash:
            shutil.rmtree(path, ignore_errors=True)
        self.trash.clear()

    def check_part(self, run: SizeRun) -> None:
        """The built site at this size passes the seeds' integration checks."""
        truth = run.seeds.with_name(f"{run.seeds.name}-truth.json")
        if run.kept is None or not truth.exists():
            self.notes.append(f"Correctness at {run.n:,}: not checked (no build or no truth file)")
            return
        found = check_build(run.kept, truth)
        self.notes.append(f"Correctness at {run.n:,}: {'passed' if found.ok else 'FAILED'}: "
                          f"{found.summary()}")  # fmt: skip
        if not found.ok:
            self.errors.append(f"the {run.n:,}-paper build fails its checks: {found.summary()}")

    def check_peer_output(self, run: SizeRun, public_dir: Path) -> None:
        public = public_dir / "papers"
        made = len(list(public.glob("*.html"))) if public.is_dir() else 0
        if made != run.papers:
            self.notes.append(f"Hugo wrote {made} paper pages for {run.papers} papers at {run.n:,}")

    def ensure_built(self, run: SizeRun) -> Path:
        if run.kept is None:
            # A project built earlier in the same --work folder will do.
            built = sorted(self.work.glob(f"ours-{run.n}-*/_site/index.html"))
            run.kept = built[0].parents[1] if built else None
        if run.kept is None or not (run.kept / "_site").is_dir():
            project = new_project(run.seeds, self.work / f"ours-{run.n}-setup")
            log(f"{run.n:,}: untimed build for the next parts")
            run_timed(ours_build_cmd(), project, self.log_path)
            run.kept = project
        return run.kept

    # -- serve ---------------------------------------------------------------------

    def serve_part(self, run: SizeRun) -> None:
        row = self.row("serve", "`serve`: edit a page → browser shows it", run.n, "s")
        if not self.tools.browser:
            row.note = "skipped: Chromium or Playwright missing"
            return
        source = self.ensure_built(run)
        project = self.work / f"serve-{run.n}"
        if project.exists():
            shutil.rmtree(project)
        shutil.copytree(source, project, symlinks=True)
        page_file = sorted((project / "content" / "papers").glob("*.md"))[0]
        slug = page_file.stem
        port = free_port()
        cmd = [
            sys.executable, "-m", "site_builder", "serve", "--port", str(port),
            "--seeds", "seeds", "--content", "content", "--out", "_site",
        ]  # fmt: skip
        serve_log = self.work / f"serve-{run.n}.log"
        with open(serve_log, "wb") as out:
            proc = subprocess.Popen(
                cmd, cwd=project, stdout=out, stderr=subprocess.STDOUT, env=CHILD_ENV
            )
        try:
            base = f"http://127.0.0.1:{port}/"
            started = time.perf_counter()
            wait_http(base + f"papers/{slug}.html", proc, self.args.edit_timeout * 3)
            log(f"{run.n:,}: serve up after {time.perf_counter() - started:.1f} s; editing {slug}")
            with browser_session() as browser:
                page = browser.new_page()
                page.goto(base + f"papers/{slug}.html", wait_until="load")
                time.sleep(1.5)  # let the live-reload socket connect
                for i in range(self.args.edits):
                    token = f"Bench edit {i} {time.time_ns() % 10**9}"
                    text = page_file.read_text(encoding="utf-8")
                    new, count = re.subn(
                        r"^title:.*$", f'title: "{token}"', text, count=1, flags=re.M
                    )
                    if not count:
                        raise BenchError(f"no title line in {page_file}")
                    start = time.perf_counter()
                    page_file.write_text(new, encoding="utf-8")
                    seconds = self.wait_heading(page, token, start)
                    row.ours.append(seconds)
                    log(f"{run.n:,}: edit {i + 1}/{self.args.edits} shown after "
                        f"{fmt(seconds, 's')}")  # fmt: skip
                    if seconds == float("inf"):
                        break
                    time.sleep(1.2)
            row.note = (
                f"write of content/papers/<slug>.md → new title in the open page's {OURS_HEADING}"
            )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def wait_heading(self, page: Any, token: str, start: float) -> float:
        script = (
            f"() => {{ const h = document.querySelector({OURS_HEADING!r}); "
            "return h ? h.textContent : ''; }"
        )
        deadline = start + self.args.edit_timeout
        while time.perf_counter() < deadline:
            try:
                if token in page.evaluate(script):
                    return time.perf_counter() - start
            except Exception:  # the page is navigating (reloading): ask again
                pass
            time.sleep(0.01)
        return float("inf")

    # -- search --------------------------------------------------------------------

    def search_part(self, run: SizeRun) -> None:
        payload = self.row("payload", "Search: bytes before first result (gzip)", run.n, "kB")
        first = self.row("first", "Search: first results after typing, cold page", run.n, "ms")
        keys = self.row("keystroke", "Search: each further keystroke", run.n, "ms")
        if not self.tools.browser:
            for row in (payload, first, keys):
                row.note = "skipped: Chromium or Playwright missing"
            return
        source = self.ensure_built(run)
        ours_site = self.work / f"search-{run.n}" / "ours"
        if ours_site.parent.exists():
            shutil.rmtree(ours_site.parent)
        shutil.copytree(source / "_site", ours_site)
        slug = sorted((ours_site / "papers").glob("*.html"))[0].name
        papers = peers.read_papers(run.seeds)
        query, more = choose_query(papers, self.args.query, self.args.more)
        pf_site: Path | None = None
        if self.tools.pagefind:
            pf_site = self.work / f"search-{run.n}" / "pagefind"
            shutil.copytree(source / "_site", pf_site)
            t = run_timed(pagefind_cmd(pf_site), self.work, self.log_path)
            (pf_site / PAGEFIND_PAGE).write_text(PAGEFIND_HTML, encoding="utf-8")
            bundle = sum(f.stat().st_size for f in (pf_site / "pagefind").rglob("*") if f.is_file())
            self.notes.append(
                f"Pagefind indexed the {run.n:,} paper pages in {t.seconds:.1f} s "
                f"(bundle {bundle / 1e6:.1f} MB on disk); our search/index.js is "
                f"{(ours_site / 'search' / 'index.js').stat().st_size / 1e6:.1f} MB raw."
            )
            for row in (payload, first, keys):
                row.peer = self.tools.pagefind
        else:
            for row in (payload, first, keys):
                row.peer = "Pagefind: not installed"
        ours_detail: dict[str, int] = {}
        pf_detail: dict[str, int] = {}
        with static_server(ours_site.parent) as base, browser_session() as browser:
            for r in range(self.args.repeats):
                m = self.measure_search(
                    browser, base + f"ours/papers/{slug}", OURS_INPUT, OURS_RESULT,
                    query, more, ours_site.parent,
                )  # fmt: skip
                payload.ours.append(m["bytes"] / 1000)
                first.ours.append(m["first_ms"])
                keys.ours.extend(m["keys_ms"])
                ours_detail = m["by_file"]
                msg = f"ours {describe(m)}"
                if pf_site is not None:
                    p = self.measure_search(
                        browser, base + f"pagefind/{PAGEFIND_PAGE}", "input[type=search]",
                        PAGEFIND_RESULT, query, more, pf_site.parent,
                    )  # fmt: skip
                    payload.peer_values.append(p["bytes"] / 1000)
                    first.peer_values.append(p["first_ms"])
                    keys.peer_values.extend(p["keys_ms"])
                    pf_detail = p["by_file"]
                    msg += f"; Pagefind {describe(p)}"
                log(f"{run.n:,}: search repeat {r + 1}/{self.args.repeats}: {msg}")
        payload.note = (
            "every response from page load to first result, each gzip -6 (or as sent if smaller); "
            + (
                "ours: "
                + _top(ours_detail)
                + ("; Pagefind: " + _top(pf_detail) if pf_detail else "")
            )
        )
        first.note = (
            f"query {query!r} typed into a cold paper page (ours) / Pagefind JS API page; "
            "from the first keydown"
        )
        keys.note = f"then {more!r} one key at a time: keydown → results re-rendered (next frame)"

    def measure_search(
        self,
        browser: Any,
        url: str,
        input_selector: str,
        result_selector: str,
        query: str,
        more: str,
        root: Path,
    ) -> dict[str, Any]:
        context = browser.new_context()  # a fresh context: empty cache, a cold page
        try:
            context.add_init_script(INIT_JS.replace("__RESULT__", repr(result_selector)))
            # Requests of the page and of its workers (Pagefind searches in a Web Worker,
            # whose fetches the page's Resource Timing does not list).
            requests: list[Any] = []
            context.on("request", lambda request: requests.append(request))
            page = context.new_page()
            page.goto(url, wait_until="load")
            page.click(input_selector)
            page.keyboard.type(query)
            state = self.poll(page, "() => window.__bench.first", self.args.search_timeout)
            if state is None:
                raise BenchError(f"no search result for {query!r} on {url} within the timeout")
            info = page.evaluate(
                """() => ({first: window.__bench.first, key: window.__bench.keys[0],
                           origin: performance.timeOrigin})"""
            )
            cutoff = info["origin"] + info["first"]  # epoch ms, as Playwright's timing
            # A request still downloading has no start time yet: let them finish first.
            page.wait_for_load_state("networkidle")
            names = [q.url for q in requests if q.timing["startTime"] <= cutoff]
            by_file: dict[str, int] = {}
            for name in names:
                path = urllib.parse.unquote(urllib.parse.urlsplit(name).path).lstrip("/")
                by_file[path] = by_file.get(path, 0) + compressed_size(root, path)
            keys_ms: list[float] = []
            self.settle(page)
            for char in more:
                before = page.evaluate("() => window.__bench.keys.length")
                page.keyboard.type(char)
                done = self.poll(
                    page,
                    f"""() => {{ const k = window.__bench.keys[{before}];
                        if (k === undefined) return null;
                        const c = window.__bench.changes.find(t => t > k);
                        return c === undefined ? null : c - k; }}""",
                    3.0,
                )
                if done is not None:
                    keys_ms.append(float(done))
                self.settle(page)
            return {
                "bytes": sum(by_file.values()),
                "first_ms": float(info["first"] - info["key"]),
                "keys_ms": [round(k, 1) for k in keys_ms],
                "by_file": by_file,
            }
        finally:
            context.close()

    @staticmethod
    def poll(page: Any, script: str, timeout: float) -> Any:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            value = page.evaluate(script)
            if value is not None:
                return value
            time.sleep(0.005)
        return None

    @staticmethod
    def settle(page: Any, quiet_ms: float = 300, timeout: float = 5) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            idle = page.evaluate(
                "() => performance.now() - (window.__bench.changes.slice(-1)[0] || 0)"
            )
            if idle >= quiet_ms:
                return
            time.sleep(0.05)


def describe(m: dict[str, Any]) -> str:
    return f"{m['bytes'] / 1000:,.0f} kB, first {m['first_ms']:.0f} ms, keys {m['keys_ms']}"


def _top(by_file: dict[str, int]) -> str:
    items = sorted(by_file.items(), key=lambda kv: -kv[1])
    head = ", ".join(f"{Path(k).name or k} {v / 1000:,.0f} kB" for k, v in items[:3])
    rest = len(items) - 3
    return head + (f" + {rest} more" if rest > 0 else "")


@functools.cache
def compressed_size(root: Path, path: str) -> int:
    """Bytes a gzip-serving host sends for a file: gzip -6, or the file as is if smaller."""
    file = root / path
    if file.is_dir() or not path:
        file = file / "index.html"
    try:
        data = file.read_bytes()
    except OSError:
        return 0
    return min(len(data), len(gzip.compress(data, compresslevel=6)))


# Installed in every page of the search measurement, before the page's own scripts:
# records keydown times, and the frame time of each change to the DOM; `first` is the
# first frame, after a keydown, where a result element is visible.
INIT_JS = """
(() => {
  const b = window.__bench = {keys: [], changes: [], first: null};
  window.addEventListener('keydown', () => b.keys.push(performance.now()), true);
  let pending = false;
  const onFrame = () => {
    pending = false;
    const now = performance.now();
    b.changes.push(now);
    if (b.first === null && b.keys.length) {
      const hit = document.querySelector(__RESULT__);
      if (hit && hit.getClientRects().length) b.first = now;
    }
  };
  const observe = () => new MutationObserver(() => {
    if (!pending) { pending = true; requestAnimationFrame(onFrame); }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true,
                                        attributes: true, attributeFilter: ['hidden', 'class']});
  if (document.documentElement) observe();
  else document.addEventListener('readystatechange', observe, {once: true});
})();
"""

# A page on the Pagefind copy of the site: a search box using Pagefind's JS API, showing the
# first five results with title and excerpt (as Pagefind's default UI does).
PAGEFIND_HTML = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pagefind search</title></head>
<body>
<input type="search" id="search" autocomplete="off">
<ol id="results"></ol>
<script>
(function () {
  var input = document.getElementById('search');
  var list = document.getElementById('results');
  var loaded = null;
  var seq = 0;
  function load() {
    if (!loaded) {
      loaded = import('./pagefind/pagefind.js').then(function (pf) {
        return Promise.resolve(pf.init ? pf.init() : null).then(function () { return pf; });
      });
    }
    return loaded;
  }
  input.addEventListener('focus', load);
  input.addEventListener('input', function () {
    var mine = ++seq;
    var query = input.value.trim();
    load().then(function (pf) { return pf.search(query); }).then(function (found) {
      if (mine !== seq || !found) { return null; }
      return Promise.all(found.results.slice(0, 5).map(function (r) { return r.data(); }))
        .then(function (data) {
          if (mine !== seq) { return; }
          list.textContent = '';
          data.forEach(function (d) {
            var li = document.createElement('li');
            li.className = 'pf-result';
            var a = document.createElement('a');
            a.href = d.url;
            a.textContent = (d.meta && d.meta.title) || d.url;
            var p = document.createElement('p');
            p.innerHTML = d.excerpt;
            li.appendChild(a);
            li.appendChild(p);
            list.appendChild(li);
          });
          if (!data.length) { list.textContent = 'No results'; }
        });
    });
  });
}());
</script>
</body>
</html>
"""


# ------------------------------------------------------------------------------ main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", help="corpus sizes (default 1000 10000)")
    ap.add_argument("--repeats", type=int, help="repeats per measurement (default 5)")
    ap.add_argument("--edits", type=int, help="serve edits to time (default: --repeats)")
    ap.add_argument("--only", default=",".join(PARTS), help=f"parts to run, of {','.join(PARTS)}")
    ap.add_argument("--peers", default="hugo,pelican,pagefind",
                    help="peers to compare with (default: all three; 'none' for none)")  # fmt: skip
    ap.add_argument("--quick", action="store_true", help="smoke run: 50 papers, 1 repeat")
    ap.add_argument("--rev", help="benchmark this git revision's code (default: working tree)")
    ap.add_argument("--seeds", type=Path, help="use this seed folder instead of generating corpora")
    ap.add_argument("--pelican-max", type=int, default=2000, help="largest size Pelican runs at")
    ap.add_argument("--query", default="reinforc", help="search query typed (default reinforc)")
    ap.add_argument("--more", default="ement", help="keystrokes typed after the first results")
    ap.add_argument(
        "--edit-timeout", type=float, default=180, help="seconds to wait per serve edit"
    )
    ap.add_argument("--search-timeout", type=float, default=60)
    ap.add_argument(
        "--settle",
        type=float,
        default=180,
        help="longest wait for a quiet disk before each timed build (default 180 s; 0: none)",
    )
    ap.add_argument("--work", type=Path, help="scratch folder (default: a new temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument(
        "--output", type=Path, default=BENCH / "last-run.md", help="where to write the table"
    )
    args = ap.parse_args(argv)
    args.sizes = args.sizes or ([50] if args.quick else [1000, 10000])
    args.repeats = args.repeats or (1 if args.quick else 5)
    args.edits = args.edits or args.repeats
    args.parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s) in --only: {', '.join(sorted(unknown))}")
    args.peer_set = {p.strip() for p in args.peers.split(",") if p.strip() and p.strip() != "none"}
    return args


def environment(tools: Tools, rev_label: str | None) -> list[str]:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, timeout=10).stdout.strip()  # fmt: skip
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True,
                               text=True, timeout=10).stdout.strip()  # fmt: skip
    except OSError:
        rev, dirty = "", ""
    return [
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; machine: {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"- Code: revision {rev_label} (--rev)"
        if rev_label
        else f"- Code: working tree of {rev or '?'}{' + uncommitted changes' if dirty else ''}",
        f"- Peers: {tools.hugo or 'Hugo not run'}; {tools.pelican or 'Pelican not run'}; "
        f"{tools.pagefind or 'Pagefind not run'}; "
        f"browser: {tools.chromium or 'none'}",
    ]


def use_revision(rev: str, work: Path) -> str:
    """Unpack rev's code into work/code (so edits in progress do not disturb the run)
    and run every child, and the seed parsing of peers.py, from it."""
    code = work / "code"
    if code.exists():
        shutil.rmtree(code)
    code.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "site_builder", "templates", "static"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(code, filter="data")
    sys.path.insert(0, str(code))
    CHILD_ENV["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(code), CHILD_ENV.get("PYTHONPATH", "")) if p
    )
    full = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return full or rev


def main(argv: list[str] | None = None) -> int:
    global peers
    args = parse_args(argv)
    tools = Tools.detect(args.peer_set)
    work = args.work or Path(tempfile.mkdtemp(prefix="site-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.rev:
        args.rev_label = use_revision(args.rev, work)
    import peers  # after use_revision: site_builder comes from the code measured

    bench = Bench(args, tools, work)
    log(f"scratch folder {work}; parts {args.parts}; sizes {args.sizes}; repeats {args.repeats}")
    runs: list[SizeRun] = []
    try:
        if args.seeds is not None:
            targets: list[int | None] = [None]
        else:
            targets = list(args.sizes)
        for n in targets:
            try:
                run = bench.prepare(n, args.seeds)
            except (BenchError, subprocess.CalledProcessError) as error:
                bench.errors.append(f"corpus of {n}: {error}")
                continue
            runs.append(run)
            if "build" in args.parts or "noop" in args.parts:
                try:
                    bench.build_part(run, "build" in args.parts, "noop" in args.parts)
                except BenchError as error:
                    bench.errors.append(f"build at {run.n:,}: {error}")
                bench.check_part(run)
        if runs:
            largest = max(runs, key=lambda r: r.n)
            for part, method in (("serve", bench.serve_part), ("search", bench.search_part)):
                if part not in args.parts:
                    continue
                try:
                    method(largest)
                except Exception as error:  # report it in the table; carry on with the rest
                    log(traceback.format_exc())
                    bench.errors.append(f"{part} at {largest.n:,}: {error}")
        table = render_table(bench.rows)
        text = "\n".join(
            [
                "# Benchmark: last run",
                "",
                f"`bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}`".replace(
                    "`bench/run.py `", "`bench/run.py`"
                ),
                "",
                *environment(tools, getattr(args, "rev_label", None)),
                "",
                table,
                "",
                "Medians of the repeats; ratio = ours / peer (below 1: we are faster or smaller).",
                "Corpus writing and copying are not timed; bench/README.md says what rows measure.",
                "",
                "## Spread and notes",
                "",
                render_details(bench.rows),
                "",
                *[f"- {note}" for note in bench.notes],
                *[f"- ERROR: {error}" for error in bench.errors],
                "",
            ]
        )
        print(table)
        for note in bench.notes:
            print(f"- {note}")
        for problem in bench.errors:
            print(f"ERROR: {problem}", file=sys.stderr)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        log(f"table written to {args.output}")
    finally:
        bench.empty_trash()
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
