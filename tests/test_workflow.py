"""The GitHub Pages workflow: schema-valid, and it builds, uploads and deploys the site."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
# The venv's own console script, installed next to the interpreter running the tests.
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def offline_env() -> dict[str, str]:
    """Environment in which any HTTP(S) fetch fails: proves the schema is the vendored one."""
    env = dict(os.environ)
    for name in ("NO_PROXY", "no_proxy"):
        env.pop(name, None)
    dead_proxy = "http://127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env[name] = dead_proxy
    return env


def check_workflow(path: Path) -> subprocess.CompletedProcess[str]:
    assert CHECK_JSONSCHEMA.exists(), f"check-jsonschema not installed at {CHECK_JSONSCHEMA}"
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        env=offline_env(),
        timeout=120,
    )


def load_workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def workflow_triggers(data: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads a bare `on` key as the boolean True.
    triggers = data.get("on", data.get(True))
    assert isinstance(triggers, dict), "workflow has no `on:` mapping"
    return triggers


def dump_workflow(data: dict[Any, Any], path: Path) -> None:
    """Write a (modified) workflow back out, restoring the `on` key PyYAML read as True."""
    data = dict(data)
    if True in data:
        data = {("on" if key is True else key): value for key, value in data.items()}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def steps(data: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    found = data["jobs"][job]["steps"]
    assert isinstance(found, list)
    return found


def step_using(data: dict[Any, Any], job: str, action: str) -> dict[str, Any]:
    matches = [s for s in steps(data, job) if str(s.get("uses", "")).split("@")[0] == action]
    assert len(matches) == 1, f"expected one {action} step in job {job!r}, found {len(matches)}"
    return matches[0]


def test_workflow_is_valid_against_vendored_github_schema() -> None:
    result = check_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok" in result.stdout


@pytest.mark.parametrize(
    ("breakage", "blamed"),
    [
        ("no-runs-on", "$.jobs.build"),
        ("bad-permission-level", "$.permissions"),
        ("step-without-action-or-run", "$.jobs.deploy"),
    ],
)
def test_broken_workflow_is_rejected(tmp_path: Path, breakage: str, blamed: str) -> None:
    data = load_workflow()
    if breakage == "no-runs-on":
        del data["jobs"]["build"]["runs-on"]
    elif breakage == "bad-permission-level":
        data["permissions"]["pages"] = "admin"
    else:
        data["jobs"]["deploy"]["steps"].append({"name": "does nothing"})
    broken = tmp_path / "pages.yml"
    dump_workflow(data, broken)

    result = check_workflow(broken)

    assert result.returncode != 0, f"broken workflow ({breakage}) passed:\n{result.stdout}"
    assert "validation done" not in result.stdout
    assert f"::{blamed}" in result.stdout, result.stdout


def test_unbroken_round_trip_still_validates(tmp_path: Path) -> None:
    # Guards the test above: the rejection must come from the breakage, not from re-dumping.
    copy = tmp_path / "pages.yml"
    dump_workflow(load_workflow(), copy)
    result = check_workflow(copy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_triggers_permissions_and_concurrency() -> None:
    data = load_workflow()
    triggers = workflow_triggers(data)
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert data["concurrency"]["group"] == "pages"


def test_build_job_builds_with_make_and_uploads_site() -> None:
    data = load_workflow()
    build_steps = steps(data, "build")
    uses = [str(s.get("uses", "")) for s in build_steps]
    assert "actions/checkout@v4" in uses
    assert "actions/setup-python@v5" in uses
    assert str(step_using(data, "build", "actions/setup-python")["with"]["python-version"]) == (
        "3.11"
    )
    configure = step_using(data, "build", "actions/configure-pages")
    assert configure["uses"] == "actions/configure-pages@v5"
    assert configure["id"] == "pages"

    runs = [s for s in build_steps if "make build" in str(s.get("run", ""))]
    assert len(runs) == 1, "build job must run `make build` exactly once"
    upload = step_using(data, "build", "actions/upload-pages-artifact")
    assert upload["uses"] == "actions/upload-pages-artifact@v3"
    assert upload["with"]["path"] == "_site"
    order = build_steps.index
    assert order(configure) < order(runs[0]) < order(upload)


def test_deploy_job_deploys_built_artifact() -> None:
    data = load_workflow()
    job = data["jobs"]["deploy"]
    needs = job["needs"]
    assert needs == "build" or needs == ["build"]
    deploy = step_using(data, "deploy", "actions/deploy-pages")
    assert deploy["uses"] == "actions/deploy-pages@v4"
    assert job["environment"]["name"] == "github-pages"
    step_output = "steps." + deploy["id"] + ".outputs.page_url"
    assert job["environment"]["url"] == "${{ " + step_output + " }}"


@pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("make") is None, reason="needs bash and make"
)
@pytest.mark.parametrize(
    ("base_path", "expected"),
    [
        ("/reading-list", "/reading-list/"),  # project site
        ("/reading-list/", "/reading-list/"),  # tolerate a trailing slash
        ("", "/"),  # user or organisation site, served at the root
    ],
)
def test_build_step_passes_correct_base_url(base_path: str, expected: str) -> None:
    """Run the workflow's own build command through real make in dry-run mode."""
    data = load_workflow()
    (build,) = [s for s in steps(data, "build") if "make build" in str(s.get("run", ""))]
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    env.update({str(k): str(v) for k, v in build.get("env", {}).items()})
    # Stand in for the Actions expression with what configure-pages would output.
    for key, value in list(env.items()):
        if "steps.pages.outputs.base_path" in value:
            env[key] = base_path
    assert "${{" not in build["run"], "use the base path through env, not inline in the script"
    env["MAKEFLAGS"] = "n"  # print the recipe, execute nothing

    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", build["run"]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [ln for ln in result.stdout.splitlines() if "site_builder build" in ln]
    words = shlex.split(line)
    assert "--base-url" in words, line
    assert words[words.index("--base-url") + 1] == expected, line
