"""`serve`: build, serve the output on 127.0.0.1, rebuild on every change, reload the browser.

livereload serves the files and tells open pages to reload. The watching and the
debounce are ours: livereload ignores a change made within 3 s of the last reload
(python-livereload#161), which readers see as a lost save. Here a burst of saves
gives one rebuild once the files are quiet, and a save made during a rebuild
triggers another, so the browser always ends on the last saved state.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado import ioloop

from . import parallel
from .build import build_site, templates_dir
from .config import CONFIG_NAME, Config
from .content import parse_page, url_slug
from .errors import SiteBuilderError
from .load import PAPERS_DIR, write_atomically
from .model import Site
from .render import PageRenderer

BUILD_ERRORS = "build-errors.json"
"""Written into the served site when a rebuild fails; dev-reload.js shows it."""
POLL_SECONDS = 0.2
QUIET_SECONDS = 0.15
Snapshot = dict[str, tuple[int, int]]


def watched_paths(config: Config) -> list[Path]:
    """Every input of the build: seeds, content, templates, static and the config file."""
    paths = [
        config.seeds_dir,
        config.content_dir,
        config.root / "templates",
        config.root / "static",
        config.root / CONFIG_NAME,
    ]
    out = config.output_dir.resolve()
    # Never watch the output folder: writing it would trigger endless rebuilds.
    return [p for p in paths if p.resolve() != out and out not in p.resolve().parents]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Return (mtime, size) of every file under paths, skipping editors' hidden temp files."""
    state: Snapshot = {}
    for root in paths:
        if root.is_file():
            stat = root.stat()
            state[str(root)] = (stat.st_mtime_ns, stat.st_size)
            continue
        _scan(str(root), state)
    return state


def changed_paths(before: Snapshot, after: Snapshot) -> set[str]:
    """Files added, removed or changed between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _scan(folder: str, state: Snapshot) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _scan(entry.path, state)
                continue
            if name.endswith(("~", ".swp", ".tmp")):
                continue
            stat = entry.stat()
        except OSError:  # removed while we looked
            continue
        state[entry.path] = (stat.st_mtime_ns, stat.st_size)


class Rebuilder:
    """Polls the inputs from a thread; after each quiet burst of changes, rebuilds once.

    With `fast`, edited paper pages are first rendered on their own, straight into the
    served folder, and the browser reloads at once; the full rebuild then runs in the
    background (Hugo's "fast render") and the browser reloads again when it is done.
    """

    def __init__(
        self,
        config: Config,
        on_built: Callable[[], None],
        reload_config: Callable[[], Config] | None = None,
        fast: bool = False,
    ):
        self.config = config
        self.on_built = on_built
        self.reload_config = reload_config
        self.fast = fast
        self.paths = watched_paths(config)
        self.state = snapshot(self.paths)
        self.stop = threading.Event()
        self.builds = 0
        self.site: Site | None = None
        self.built_config: Config | None = None
        self._renderer: PageRenderer | None = None
        self._lock = threading.Lock()
        self._wanted = False
        self._building = False
        self._changed_while_building: set[str] = set()

    def adopt(self, other: Rebuilder) -> None:
        """Take the site another rebuilder built (the first build of `serve`)."""
        self.site, self.built_config = other.site, other.built_config

    def rebuild(self, in_worker: bool = False) -> bool:
        """Build once; print what went wrong and keep the last good site on failure.

        `in_worker`: build in a forked process, so that the fast render of the next edit
        does not wait for the build to let go of the interpreter (the GIL)."""
        started = time.perf_counter()
        try:
            if self.reload_config is not None:
                # site.yaml is watched too: read it again so an edit to it takes effect.
                self.config = self.reload_config()
            config = replace(self.config, build_id=str(time.time_ns()))
            if in_worker:
                # The worker is the only thread of its process, so its build uses every
                # core in turn; only its report (with the site, for fast render) returns.
                job = functools.partial(build_site, config)
                report = parallel.start(job, workers=2, memo_back=False).result()
            else:
                report = build_site(config)
        except SiteBuilderError as error:
            for problem in error.problems:
                print(f"error: {problem}", file=sys.stderr, flush=True)
            print("Build failed; still serving the last good site.", file=sys.stderr, flush=True)
            self._show_errors_in_browser([str(problem) for problem in error.problems])
            return False
        for problem in report.warnings:
            print(f"warning: {problem}", file=sys.stderr, flush=True)
        self.builds += 1
        if report.site is not None:
            self.site, self.built_config, self._renderer = report.site, config, None
        print(
            f"Rebuilt {report.papers} papers in {time.perf_counter() - started:.2f} s", flush=True
        )
        return True

    def _show_errors_in_browser(self, messages: list[str]) -> None:
        """Put the errors beside the last good site, where dev-reload.js shows them on every
        page, and reload the open pages. The next good build replaces the folder, and
        with it the file."""
        out = self.config.output_dir
        if not out.is_dir():
            return
        fd, tmp = tempfile.mkstemp(prefix=".build-errors.", dir=out)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(messages, handle, ensure_ascii=False)
        os.replace(tmp, out / BUILD_ERRORS)
        self.on_built()

    def fast_render(self, changed: Iterable[str]) -> int:
        """Render the edited paper pages into the served site; return how many.

        Only pages of papers the last build knows, whose id, slug and authors are as
        before, are rendered here; everything else waits for the full rebuild.
        """
        site, config = self.site, self.built_config
        if site is None or config is None:
            return 0
        papers_dir = (config.content_dir / PAPERS_DIR).resolve()
        by_slug = {p.slug: p for p in site.papers}
        rendered = 0
        for name in sorted(changed):
            path = Path(name)
            if path.suffix != ".md" or path.resolve().parent != papers_dir:
                continue
            old = by_slug.get(url_slug(path.stem))
            label = str(config.content_dir / PAPERS_DIR / path.name)
            try:
                paper = parse_page(path.read_text(encoding="utf-8"), path.stem, label)
            except (OSError, ValueError, SiteBuilderError):
                continue  # the full rebuild reports it
            if (
                old is None
                or old.merged_slugs
                or paper.id != old.id
                or paper.hidden
                or paper.same_as is not None
                or not all(a in site.author_slugs for a in paper.authors)
            ):
                continue
            renderer = self._renderer
            if renderer is None or renderer.site is not site:
                renderer = self._renderer = PageRenderer(site, config, templates_dir(config))
            renderer.bibtex.pop(paper.id, None)  # made from the page before this edit
            url, html = renderer.paper_page(paper)
            try:
                write_atomically(config.output_dir / url, html)
            except OSError:
                continue  # the full rebuild is swapping the folder in: it writes the page
            rendered += 1
        return rendered

    def request_build(self) -> None:
        """Run a full rebuild in the background; one more if asked while it runs."""
        with self._lock:
            self._wanted = True
            if self._building:
                return
            self._building = True
        threading.Thread(target=self._build_loop, name="full-rebuild", daemon=True).start()

    def _build_loop(self) -> None:
        while True:
            with self._lock:
                if not self._wanted or self.stop.is_set():
                    self._building = False
                    return
                self._wanted = False
                self._changed_while_building = set()
            try:
                built = self.rebuild(in_worker=parallel.can_fork())
                with self._lock:
                    redo = set(self._changed_while_building) if self._wanted else set()
                if built and redo:
                    # Edits the build may have missed: show them until the next build.
                    self.fast_render(redo)
                if built:
                    self.on_built()
            except Exception as error:  # keep serving whatever a rebuild hits
                print(f"error: rebuild failed: {error!r}", file=sys.stderr, flush=True)

    def run(self) -> None:
        while not self.stop.wait(POLL_SECONDS):
            current = snapshot(self.paths)
            if current == self.state:
                continue
            # Wait for the burst of saves to end, so one rebuild covers it.
            while not self.stop.wait(QUIET_SECONDS):
                later = snapshot(self.paths)
                if later == current:
                    break
                current = later
            changed = changed_paths(self.state, current)
            self.state = current
            if self.fast:
                try:
                    with self._lock:
                        self._changed_while_building |= changed
                    if self.fast_render(changed):
                        self.on_built()
                except Exception as error:  # the full rebuild still runs
                    print(f"error: fast render failed: {error!r}", file=sys.stderr, flush=True)
                self.request_build()
                continue
            try:
                if self.rebuild():
                    self.on_built()
            except Exception as error:  # keep serving whatever a rebuild hits
                print(f"error: rebuild failed: {error!r}", file=sys.stderr, flush=True)


def serve(
    config: Config,
    host: str = "127.0.0.1",
    port: int = 8000,
    reload_config: Callable[[], Config] | None = None,
) -> None:
    """Build, then serve the site with live reload until interrupted."""
    first = Rebuilder(config, lambda: None)
    if not first.rebuild() and not config.output_dir.exists():
        raise SiteBuilderError("the first build failed and there is no earlier site to serve")
    server = Server()
    # livereload watches the whole working folder (output included) when given nothing
    # to watch; give it one path it will never act on: our thread does the watching.
    server.watch(str(config.root / CONFIG_NAME), None, delay="forever")
    loop_holder: dict[str, ioloop.IOLoop] = {}

    def reload_browsers() -> None:
        loop = loop_holder.get("loop")
        if loop is not None:
            loop.add_callback(LiveReloadHandler.reload_waiters, "*")

    rebuilder = Rebuilder(config, reload_browsers, reload_config, fast=True)
    rebuilder.adopt(first)
    thread = threading.Thread(target=rebuilder.run, name="rebuilder", daemon=True)

    def started() -> None:
        loop_holder["loop"] = ioloop.IOLoop.current()
        thread.start()
        print(f"Serving {config.output_dir} at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)

    ioloop.IOLoop.current().add_callback(started)
    try:
        server.serve(
            host=host, port=port, root=str(config.output_dir), restart_delay=0, open_url_delay=None
        )
    finally:
        rebuilder.stop.set()
