"""Forked workers (`site_builder.parallel`) and builds on several cores.

A build spread over workers must write exactly what a build on one core writes; a
job's failure must reach the parent as the same exception; what a worker adds to the
memo tables must reach the parent's cache.
"""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_project

from site_builder import memo, parallel
from site_builder.errors import Problem, SiteBuilderError

REPO = Path(__file__).resolve().parents[1]


class CustomError(Exception):
    def __init__(self, path: str, line: int):
        super().__init__(f"{path}:{line}")
        self.path, self.line = path, line


class Unpicklable(Exception):
    def __reduce__(self) -> object:
        raise TypeError("no pickling")


# Two workers asked for outright: under pytest other threads may run (the browser
# session's), and then `worker_count()` is 1 to keep forks away from them.
TWO = 2


def test_results_come_back_in_job_order_from_other_processes() -> None:
    def job(i: int) -> tuple[int, int]:
        time.sleep(0.02)  # long enough for the worker to start and take some
        return i, os.getpid()

    jobs = [lambda i=i: job(i) for i in range(40)]
    results = parallel.run_jobs(jobs, TWO)
    assert [i for i, _ in results] == list(range(40))
    # Both processes took jobs (the parent and one forked worker).
    assert len({pid for _, pid in results}) == 2


def test_map_chunks_keeps_order_and_every_item() -> None:
    items = list(range(1000))
    assert parallel.map_chunks(
        lambda run: [x * x for x in run], items, smallest=10, workers=TWO
    ) == [x * x for x in items]
    assert parallel.map_chunks(lambda run: list(run), [], smallest=10, workers=TWO) == []


def test_a_workers_exception_is_raised_in_the_parent() -> None:
    def fail() -> int:
        time.sleep(0.2)  # so that the parent is busy with other jobs when this fails
        raise CustomError("content/papers/x.md", 7)

    jobs = [fail, *([lambda: os.getpid()] * 10)]
    with pytest.raises(CustomError) as caught:
        parallel.run_jobs(jobs, TWO)
    assert (caught.value.path, caught.value.line) == ("content/papers/x.md", 7)


def test_a_users_mistake_found_in_a_worker_keeps_its_file_and_line() -> None:
    problem = Problem("content/papers/x.md", "field 'title': missing or empty", 3, "add one")
    parent = os.getpid()

    def fail_in_child() -> None:
        if os.getpid() != parent:
            raise SiteBuilderError([problem])
        time.sleep(0.5)

    with pytest.raises(SiteBuilderError) as caught:
        parallel.run_jobs([fail_in_child, fail_in_child], TWO)
    assert caught.value.problems == [problem]


def test_an_exception_that_cannot_be_pickled_still_says_what_it_was() -> None:
    parent = os.getpid()

    def fail_in_child() -> None:
        if os.getpid() != parent:
            raise Unpicklable("bad template")
        time.sleep(0.5)

    with pytest.raises(RuntimeError, match="Unpicklable: bad template"):
        parallel.run_jobs([fail_in_child, fail_in_child], TWO)


def test_memo_entries_made_in_a_worker_reach_the_parent() -> None:
    parent = os.getpid()
    table = f"test-{parent}"

    def make(i: int) -> int:
        time.sleep(0.02)
        return int(memo.cached(table, i, lambda: os.getpid()))

    made_by = parallel.run_jobs([lambda i=i: make(i) for i in range(20)], TWO)
    assert parent in made_by and any(pid != parent for pid in made_by)
    # The parent now has every entry, including those the worker computed.
    for i, pid in enumerate(made_by):
        assert memo.get(table, i) == pid


def test_started_job_runs_beside_the_parent_and_gives_its_result() -> None:
    started = parallel.start(lambda: os.getpid(), TWO)
    assert started.result() not in (os.getpid(), None)
    failing = parallel.start(lambda: 1 / 0, TWO)
    with pytest.raises(ZeroDivisionError):
        failing.result()


def test_a_stopped_job_leaves_no_process(tmp_path: Path) -> None:
    flag = tmp_path / "ran-to-the-end"
    started = parallel.start(lambda: (time.sleep(3), flag.write_text("x")), TWO)
    started.stop()
    time.sleep(3.5)
    assert not flag.exists()


def test_one_core_runs_jobs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_BUILDER_JOBS", "1")
    assert {pid for pid in parallel.run_jobs([os.getpid] * 5)} == {os.getpid()}
    assert parallel.start(os.getpid).result() == os.getpid()


def _build(project: Path, jobs: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SITE_BUILDER_JOBS": jobs, "SOURCE_DATE_EPOCH": "1700000000"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "site_builder", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _same_tree(left: Path, right: Path) -> list[str]:
    """Paths that differ between two folders (missing on one side, or other bytes)."""
    different: list[str] = []
    cmp = filecmp.dircmp(left, right)
    stack = [(cmp, "")]
    while stack:
        node, prefix = stack.pop()
        different += [prefix + n for n in node.left_only + node.right_only]
        _, mismatch, errors = filecmp.cmpfiles(
            Path(node.left), Path(node.right), node.common_files, shallow=False
        )
        different += [prefix + n for n in mismatch + errors]
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return different


def test_a_build_on_two_cores_writes_what_a_build_on_one_writes(tmp_path: Path) -> None:
    projects = {}
    for jobs in ("1", "2"):
        project = make_project(tmp_path / f"jobs-{jobs}")
        done = _build(project, jobs)
        assert done.returncode == 0, done.stderr
        projects[jobs] = project
    one, two = projects["1"], projects["2"]
    assert _same_tree(one / "content", two / "content") == []
    assert _same_tree(one / "_site", two / "_site") == []
    assert len(list((two / "_site" / "papers").glob("*.html"))) >= 38


def test_workers_of_a_killed_build_die_with_it(tmp_path: Path) -> None:
    # A parent running two slow jobs (each writes a file when done) is killed: the
    # worker must not live on to write into a folder the build abandoned.
    script = f"""
import os, sys, time
sys.path.insert(0, {str(REPO)!r})
from site_builder import parallel
def slow(name):
    time.sleep(3)
    open(os.path.join({str(tmp_path)!r}, name), "w").close()
print(os.getpid(), flush=True)
parallel.run_jobs([lambda: slow("a"), lambda: slow("b")])
"""
    env = {**os.environ, "SITE_BUILDER_JOBS": "2"}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    children: list[int] = []
    deadline = time.monotonic() + 30
    while not children and time.monotonic() < deadline:
        children = _children(proc.pid)
        time.sleep(0.01)
    assert children, "no worker started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(4)
    assert not [pid for pid in children if _alive(pid)]
    assert list(tmp_path.iterdir()) == []


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        found += [int(c) for c in children]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
