"""Shared fixtures: real seed files copied into tmp_path, real builds, parsed HTML."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_builder.build import build_site
from site_builder.config import Config, load_config

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_project(root: Path, seeds: Path | None = SEEDS, config_text: str | None = None) -> Path:
    """Lay out a project folder: seeds copied from `seeds`, an optional site.yaml."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    if seeds is not None:
        for path in sorted(seeds.glob("*.txt")):
            shutil.copy(path, root / "seeds" / path.name)
    if config_text is not None:
        (root / "site.yaml").write_text(config_text, encoding="utf-8")
    return root


def project_config(root: Path, **overrides: object) -> Config:
    return load_config(root / "site.yaml", root, **overrides)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m site_builder` as a user would, in cwd."""
    return subprocess.run(
        [sys.executable, "-m", "site_builder", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding a copy of the real seeds."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real seeds built once per session; returns the project folder."""
    root = make_project(tmp_path_factory.mktemp("seeds-site") / "project")
    build_site(project_config(root))
    return root


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the whole session (Playwright allows one sync driver)."""
    from browser import chromium

    with chromium() as launched:
        yield launched
