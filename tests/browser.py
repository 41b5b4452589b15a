"""Helpers for the browser tests: the system Chromium and a tiny static HTTP server.

The browser is Debian's Chromium driven by Playwright; Playwright never downloads a
browser of its own. Without /usr/bin/chromium (or Playwright) the browser tests are
skipped, except under CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(reason: str) -> NoReturn:
    """Skip the test, or fail it under CI, where the browser must be present."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)")
    pytest.skip(reason)


def require_chromium() -> str:
    """Return the Chromium executable, or skip (fail under CI) when there is none."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing(f"{CHROMIUM} not found")
    return CHROMIUM


@contextmanager
def chromium() -> Iterator[Any]:
    """Start Playwright and launch the system Chromium headless; close both afterwards."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    executable = require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves `server.folder` under `server.prefix`; 404 (or `server.not_found`) elsewhere."""

    server: StaticServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep test output quiet

    def translate_path(self, path: str) -> str:
        url_path = urllib.parse.urlsplit(path).path
        prefix = self.server.prefix
        if url_path + "/" == prefix:
            url_path = prefix
        if not url_path.startswith(prefix):
            return str(self.server.folder / ".no-such-file")
        return super().translate_path("/" + url_path[len(prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.server.not_found
        if code != 404 or page is None or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class StaticServer(http.server.ThreadingHTTPServer):
    """Serve `folder` on 127.0.0.1 at a free port, under the URL path `prefix` ("/x/").

    Like GitHub Pages, a missing file is answered with `not_found` (a 404.html) when given.
    """

    daemon_threads = True

    def __init__(self, folder: Path, prefix: str = "/", not_found: Path | None = None):
        if not (prefix.startswith("/") and prefix.endswith("/")):
            raise ValueError(f"prefix must start and end with '/': {prefix!r}")
        self.folder = Path(folder).resolve()
        self.prefix = prefix
        self.not_found = not_found
        super().__init__(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.serve_forever, name="static-server")

    def finish_request(self, request: Any, client_address: Any) -> None:
        _Handler(request, client_address, self, directory=str(self.folder))

    @property
    def base(self) -> str:
        """The URL of the served folder, ending in '/'."""
        return f"http://127.0.0.1:{self.server_address[1]}{self.prefix}"

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.thread.join(timeout=5)
        self.server_close()


def copy_under(site: Path, www: Path, sub_path: str) -> Path:
    """Copy a built site into www/<sub_path>, as a host serving it at /<sub_path>/ would."""
    target = www / sub_path.strip("/")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(site, target)
    return target
