"""`serve`: build, serve the output on 127.0.0.1, rebuild on every change, reload the browser.

livereload serves the files and tells open pages to reload. The watching and the
debounce are ours: livereload ignores a change made within 3 s of the last reload
(python-livereload#161), which readers see as a lost save. Here a burst of saves
gives one rebuild once the files are quiet, and a save made during a rebuild
triggers another, so the browser always ends on the last saved state.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado import ioloop

from .build import build_site
from .config import CONFIG_NAME, Config
from .errors import SiteBuilderError

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
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue
                state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


class Rebuilder:
    """Polls the inputs from a thread; after each quiet burst of changes, rebuilds once."""

    def __init__(
        self,
        config: Config,
        on_built: Callable[[], None],
        reload_config: Callable[[], Config] | None = None,
    ):
        self.config = config
        self.on_built = on_built
        self.reload_config = reload_config
        self.paths = watched_paths(config)
        self.state = snapshot(self.paths)
        self.stop = threading.Event()
        self.builds = 0

    def rebuild(self) -> bool:
        """Build once; print what went wrong and keep the last good site on failure."""
        started = time.perf_counter()
        try:
            if self.reload_config is not None:
                # site.yaml is watched too: read it again so an edit to it takes effect.
                self.config = self.reload_config()
            report = build_site(replace(self.config, build_id=str(time.time_ns())))
        except SiteBuilderError as error:
            for problem in error.problems:
                print(f"error: {problem}", file=sys.stderr, flush=True)
            print("Build failed; still serving the last good site.", file=sys.stderr, flush=True)
            return False
        for problem in report.warnings:
            print(f"warning: {problem}", file=sys.stderr, flush=True)
        self.builds += 1
        print(
            f"Rebuilt {report.papers} papers in {time.perf_counter() - started:.2f} s", flush=True
        )
        return True

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
            self.state = current
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

    rebuilder = Rebuilder(config, reload_browsers, reload_config)
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
