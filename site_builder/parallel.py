"""Independent jobs spread over the machine's cores with forked worker processes.

The build's costly stages are many small, independent pieces of work (escaping an
abstract, parsing a page, rendering a chunk of pages, the search index). Forked workers
inherit everything the parent holds (the site model, the Jinja environment, the memo
tables), so nothing is sent to them; only each job's result comes back, pickled, with
the memo entries the job made (so the next build finds them in the cache).

Jobs are handed out one at a time through a pipe, so a worker that finishes early takes
the next one; the parent works too. A failing job's exception is raised in the parent.
Where fork is missing, or other threads are running (`serve`: forking a threaded
process can deadlock the child), or SITE_BUILDER_JOBS=1, the jobs run in order here.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from . import memo

T = TypeVar("T")
R = TypeVar("R")
_TICKET = struct.Struct("<I")
# Tickets are written to the pipe before any worker starts, so they must fit its buffer.
_MAX_JOBS = 4096


def can_fork() -> bool:
    """Whether work may go to forked processes at all: fork exists and SITE_BUILDER_JOBS
    is not 1. (`worker_count` also says 1 while other threads run; a caller that knows
    the child will touch nothing those threads hold may still fork.)"""
    return hasattr(os, "fork") and os.environ.get("SITE_BUILDER_JOBS", "").strip() != "1"


def worker_count() -> int:
    """How many processes may work at once: SITE_BUILDER_JOBS, else the usable cores."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    setting = os.environ.get("SITE_BUILDER_JOBS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def chunks(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """`items` cut into about `parts` runs of neighbouring items, in order."""
    size = max(1, -(-len(items) // max(1, parts)))
    return [items[start : start + size] for start in range(0, len(items), size)]


def map_chunks(
    function: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    smallest: int = 32,
    workers: int | None = None,
) -> list[R]:
    """`function` applied to runs of `items` on every core; its results joined, in order.

    Runs hold at least `smallest` items (a job has a cost of its own), and there are a
    few per worker, so that one slow run does not leave the other workers idle."""
    workers = worker_count() if workers is None else workers
    parts = min(workers * 4, len(items) // smallest) if workers > 1 else 1
    runs = chunks(items, max(1, parts))
    done = run_jobs([functools.partial(function, run) for run in runs], workers)
    return [result for results in done for result in results]


class _Failure:
    """A job's exception, as a worker sends it back."""

    def __init__(self, error: BaseException):
        try:
            pickle.loads(pickle.dumps(error))
            self.error: BaseException = error
        except Exception:  # an exception that does not travel: keep what it said
            self.error = RuntimeError(f"{type(error).__name__}: {error}")


def run_jobs(jobs: Sequence[Callable[[], T]], workers: int | None = None) -> list[T]:
    """Run every job, on up to `workers` processes; return their results in job order."""
    count = min(worker_count() if workers is None else workers, len(jobs))
    if count <= 1 or len(jobs) > _MAX_JOBS:
        return [job() for job in jobs]
    tickets = _tickets(len(jobs))
    children: list[_Worker] = []
    try:
        children = [_Worker(jobs, tickets) for _ in range(count - 1)]
        results = dict(_work(jobs, tickets))
        while children:
            results.update(children[0].collect())
            children.pop(0)
    finally:
        os.close(tickets)
        for child in children:  # only when something failed: stop the others
            child.stop()
    return [results[i] for i in range(len(jobs))]


class Started(Generic[T]):
    """A job `start` started: `result()` waits for it; `stop()` ends it if it still runs."""

    def __init__(self, job: Callable[[], T], workers: int | None = None, memo_back: bool = True):
        self._job = job
        self._worker: _Worker | None = None
        if (worker_count() if workers is None else workers) > 1:
            tickets = _tickets(1)
            try:
                self._worker = _Worker([job], tickets, memo_back)
            finally:
                os.close(tickets)

    def result(self) -> T:
        """The job's result (its exception raised here); without workers, it runs now."""
        if self._worker is None:
            return self._job()
        try:
            done: list[tuple[int, T]] = self._worker.collect()
        finally:
            self._worker.stop()
        return done[0][1]

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()


def start(job: Callable[[], T], workers: int | None = None, memo_back: bool = True) -> Started[T]:
    """Start `job` in a forked worker while this process goes on (see `Started`);
    `workers` (default `worker_count()`) of 1 runs it here when its result is asked for.
    Without `memo_back` the memo entries the job made stay in the worker (a whole build,
    which saves them to disk itself)."""
    return Started(job, workers, memo_back)


def _tickets(count: int) -> int:
    """A pipe holding the job numbers 0..count-1, each taken by one worker."""
    tickets, tickets_in = os.pipe()
    os.write(tickets_in, b"".join(_TICKET.pack(i) for i in range(count)))
    os.close(tickets_in)
    return tickets


class _Worker:
    """A forked process taking job tickets until none are left."""

    def __init__(self, jobs: Sequence[Callable[[], Any]], tickets: int, memo_back: bool = True):
        parent = os.getpid()
        results_out, results_in = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(results_out)
            _child(jobs, tickets, results_in, parent, memo_back)
        os.close(results_in)
        self.pid: int | None = pid
        self.results = results_out

    def collect(self) -> list[tuple[int, Any]]:
        """Wait for the worker; return its (job number, result) pairs, keep the memo
        entries it made, or raise the exception of its failed job."""
        with os.fdopen(self.results, "rb") as stream:
            self.results = -1
            data = stream.read()
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None
        got = pickle.loads(data) if data else _Failure(RuntimeError("a worker process died"))
        if isinstance(got, _Failure):
            raise got.error
        done, made = got
        for table, key, value in made:
            memo.put(table, key, value)
        return list(done)

    def stop(self) -> None:
        """End the worker if it still runs, and let go of its pipe."""
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = None
        if self.results >= 0:
            with contextlib.suppress(OSError):
                os.close(self.results)
            self.results = -1


def _work(jobs: Sequence[Callable[[], T]], tickets: int) -> list[tuple[int, T]]:
    done: list[tuple[int, T]] = []
    while ticket := os.read(tickets, _TICKET.size):
        (index,) = _TICKET.unpack(ticket)
        done.append((index, jobs[index]()))
    return done


def _child(
    jobs: Sequence[Callable[[], Any]], tickets: int, results_in: int, parent: int, memo_back: bool
) -> None:
    """A worker: take tickets until none are left, send the results, exit."""
    status = 0
    # What the worker inherited lives until it exits: the collector need not look at it,
    # and looking would write to (and so copy) every page of memory it shares.
    gc.freeze()
    try:
        _die_with(parent)
        mark = memo.mark()
        done = _work(jobs, tickets)
        made = memo.made_since(mark) if memo_back else []
        payload = pickle.dumps((done, made), protocol=5)
    except BaseException as error:
        payload = pickle.dumps(_Failure(error), protocol=5)
        status = 1
    try:
        with os.fdopen(results_in, "wb") as stream:
            stream.write(payload)
    finally:
        os._exit(status)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker if the build is killed (Linux); a killed build
    must not leave workers writing into its abandoned folder."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
