"""`serve` edit latency of the working tree (or of any code put first on PYTHONPATH).

`bench/run.py --only serve` measures committed code only (`--rev`); this runs the same
measurement against whatever `python -m site_builder` imports, in a copy of a built
project: Chromium opens a paper page, the script rewrites the page's `title:` line and
times from the write until the open page's h1 shows the new title.

    .venv/bin/python bench/serve_edit.py PROJECT_DIR --edits 3
    PYTHONPATH=OLD_CHECKOUT .venv/bin/python bench/serve_edit.py PROJECT_DIR --edits 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BenchError, browser_session, free_port, wait_http  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", type=Path, help="a built project (seeds/, content/, _site/)")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-edit-") as scratch:
        project = Path(scratch) / "p"
        shutil.copytree(args.project, project, symlinks=True)
        page_file = sorted((project / "content" / "papers").glob("*.md"))[0]
        port = free_port()
        cmd = [sys.executable, "-m", "site_builder", "serve", "--port", str(port)]
        log = open(Path(scratch) / "serve.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(cmd, cwd=project, stdout=log, stderr=subprocess.STDOUT,
                                env=dict(os.environ))  # fmt: skip
        times: list[float] = []
        try:
            base = f"http://127.0.0.1:{port}/papers/{page_file.stem}.html"
            wait_http(base, proc, args.timeout * 2)
            with browser_session() as browser:
                page = browser.new_page()
                page.goto(base, wait_until="load")
                time.sleep(1.5)
                script = (
                    "() => { const h = document.querySelector('h1'); "
                    "return h ? h.textContent : ''; }"
                )
                for i in range(args.edits):
                    token = f"Bench edit {i} {time.time_ns() % 10**9}"
                    text = page_file.read_text(encoding="utf-8")
                    new = re.sub(r"^title:.*$", f'title: "{token}"', text, count=1, flags=re.M)
                    start = time.perf_counter()
                    page_file.write_text(new, encoding="utf-8")
                    seconds = float("inf")
                    while time.perf_counter() < start + args.timeout:
                        try:
                            if token in page.evaluate(script):
                                seconds = time.perf_counter() - start
                                break
                        except Exception:  # reloading: ask again
                            pass
                        time.sleep(0.01)
                    times.append(seconds)
                    print(f"edit {i + 1}: {seconds:.2f} s", flush=True)
                    time.sleep(1.2)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
        print(f"median {statistics.median(times):.2f} s over {len(times)} edits")


if __name__ == "__main__":
    try:
        main()
    except BenchError as error:
        raise SystemExit(f"error: {error}") from None
