"""`make publish` / `make deploy`: ghp-import puts the built site on gh-pages and pushes it.

Every run here commits in a throwaway repository under tmp_path (DEPLOY_REPO) and pushes to a
bare repository under tmp_path (REMOTE), never into or from this project's own checkout.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The venv running these tests; the Makefile finds ghp-import under $(VENV)/bin.
VENV = Path(sys.prefix)

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("make") is None, reason="needs git and make"
)


def clean_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # Do not inherit flags or variables from an outer `make test`.
        if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
        and not k.startswith("GIT_")
    }
    env.update(
        {
            "GIT_AUTHOR_NAME": "Deploy Test",
            "GIT_AUTHOR_EMAIL": "deploy-test@example.invalid",
            "GIT_COMMITTER_NAME": "Deploy Test",
            "GIT_COMMITTER_EMAIL": "deploy-test@example.invalid",
            # Ignore the machine's git configuration (signing, hooks, default branch...).
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    return env


def run(*args: str | Path, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"{shlex.join(str(a) for a in args)} failed ({result.returncode}):\n"
        f"{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def publish(site: Path, remote: Path, work: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "make",
            "-C",
            str(ROOT),
            "publish",
            f"OUT={site}",
            f"REMOTE={remote}",
            f"DEPLOY_REPO={work}",
            f"VENV={VENV}",
        ],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def git_in(repo: Path, *args: str) -> str:
    return run("git", "--git-dir", repo, *args)


def files_on_branch(bare: Path, branch: str = "gh-pages") -> set[str]:
    return set(git_in(bare, "ls-tree", "-r", "--name-only", branch).split())


def show(bare: Path, path: str, branch: str = "gh-pages") -> str:
    return git_in(bare, "show", f"{branch}:{path}")


def project_refs() -> str | None:
    """All refs of the project checkout, to prove the tests leave them alone."""
    result = subprocess.run(
        ["git", "-C", str(ROOT), "for-each-ref", "--format=%(refname) %(objectname)"],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout if result.returncode == 0 else None


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    """A bare 'remote' and an empty throwaway working repository to commit in."""
    bare = tmp_path / "remote.git"
    work = tmp_path / "work"
    run("git", "init", "--quiet", "--bare", bare)
    run("git", "init", "--quiet", work)
    return bare, work


def write_site(site: Path, files: dict[str, str]) -> Path:
    if site.exists():
        shutil.rmtree(site)
    for rel, text in files.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return site


def test_ghp_import_is_installed_in_the_venv() -> None:
    assert (VENV / "bin" / "ghp-import").exists()


def test_publish_pushes_site_to_gh_pages_and_updates_it(
    tmp_path: Path, repos: tuple[Path, Path]
) -> None:
    bare, work = repos
    refs_before = project_refs()
    site = write_site(
        tmp_path / "site",
        {
            "index.html": "<h1>Reading list v1</h1>\n",
            "papers/x.html": "<h1>Paper X</h1>\n",
            ".nojekyll": "",
        },
    )

    first_run = publish(site, bare, work)
    assert first_run.returncode == 0, first_run.stdout + first_run.stderr

    assert files_on_branch(bare) == {".nojekyll", "index.html", "papers/x.html"}
    assert show(bare, "index.html") == "<h1>Reading list v1</h1>\n"
    assert show(bare, "papers/x.html") == "<h1>Paper X</h1>\n"
    first = git_in(bare, "rev-parse", "gh-pages").strip()
    assert git_in(bare, "log", "-1", "--format=%s", "gh-pages").startswith("Deploy site")
    assert git_in(bare, "log", "-1", "--format=%an <%ae>", "gh-pages").strip() == (
        "Deploy Test <deploy-test@example.invalid>"
    )

    # Rebuild: one page changed, one removed, one added; the site has no .nojekyll this time.
    write_site(
        site,
        {"index.html": "<h1>Reading list v2</h1>\n", "papers/y.html": "<h1>Paper Y</h1>\n"},
    )
    second_run = publish(site, bare, work)
    assert second_run.returncode == 0, second_run.stdout + second_run.stderr

    second = git_in(bare, "rev-parse", "gh-pages").strip()
    assert second != first, "gh-pages did not move"
    assert git_in(bare, "rev-parse", "gh-pages^").strip() == first
    # --no-jekyll adds .nojekyll even when the build did not; stale pages are gone.
    assert files_on_branch(bare) == {".nojekyll", "index.html", "papers/y.html"}
    assert show(bare, "index.html") == "<h1>Reading list v2</h1>\n"

    # Only gh-pages was pushed, and nothing was committed to the project's own checkout.
    assert git_in(bare, "for-each-ref", "--format=%(refname)").split() == ["refs/heads/gh-pages"]
    assert project_refs() == refs_before


def test_publish_from_another_clone_force_replaces_diverged_branch(
    tmp_path: Path, repos: tuple[Path, Path]
) -> None:
    bare, work = repos
    site = write_site(tmp_path / "site", {"index.html": "old\n", ".nojekyll": ""})
    assert publish(site, bare, work).returncode == 0
    old = git_in(bare, "rev-parse", "gh-pages").strip()

    # A second checkout with no local gh-pages makes a commit unrelated to the remote's:
    # only a forced push can replace it.
    other = tmp_path / "other"
    run("git", "init", "--quiet", other)
    write_site(site, {"index.html": "new\n", ".nojekyll": ""})
    result = publish(site, bare, other)
    assert result.returncode == 0, result.stdout + result.stderr

    new = git_in(bare, "rev-parse", "gh-pages").strip()
    assert new != old
    assert show(bare, "index.html") == "new\n"
    merge_base = subprocess.run(
        ["git", "--git-dir", str(bare), "merge-base", old, new],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert merge_base.returncode != 0, "histories were expected to be unrelated"


def test_publish_fails_without_a_built_site(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    bare, work = repos
    result = publish(tmp_path / "never-built", bare, work)
    assert result.returncode != 0
    assert git_in(bare, "for-each-ref").strip() == ""


def test_publish_fails_when_remote_is_unreachable(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    _, work = repos
    site = write_site(tmp_path / "site", {"index.html": "hi\n"})
    result = publish(site, tmp_path / "no-such-remote.git", work)
    assert result.returncode != 0


def test_deploy_defaults_build_first_then_push_this_checkout_to_origin() -> None:
    """Dry run (-n) of the user-facing target: nothing is executed."""
    result = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "deploy"],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    build = [i for i, ln in enumerate(lines) if "site_builder build" in ln]
    ghp = [i for i, ln in enumerate(lines) if "ghp-import" in ln]
    assert len(build) == 1 and len(ghp) == 1, result.stdout
    assert build[0] < ghp[0]

    words = shlex.split(lines[ghp[0]])
    assert words[:3] == ["cd", str(ROOT), "&&"]
    assert words[3] == str(ROOT / ".venv" / "bin" / "ghp-import")
    for flag in ("--no-jekyll", "--push", "--force"):
        assert flag in words
    assert words[words.index("--remote") + 1] == "origin"
    assert words[words.index("--branch") + 1] == "gh-pages"
    assert words[words.index("--message") + 1]
    assert words[-1] == str(ROOT / "_site")
