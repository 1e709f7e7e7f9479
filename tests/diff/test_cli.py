"""The `specfirst diff` front door: formats, --fail-on and exit codes, bad input, git objects and --base-ref."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from tests.conftest import SPEC_DIR, run_specfirst
from tests.diff.pairs import APP_CREATE, APP_INFO, original, set_in

HUAWEI = SPEC_DIR / "huawei-apig.yaml"


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Huawei spec with one breaking change (maxLength lowered) and one warning (a response enum value added)."""
    data = original("huawei")
    set_in([*APP_CREATE, "properties", "name", "maxLength"], 32)(data)
    set_in([*APP_INFO, "properties", "creator", "enum"], ["USER", "MARKET", "SYSTEM"])(data)
    path = tmp_path_factory.mktemp("diff") / "huawei-apig.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_text_names_each_change_at_its_line(changed: Path) -> None:
    done = run_specfirst("diff", str(HUAWEI), str(changed))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    tightened = next(line for line in lines if "request-property-max-length-decreased" in line)
    location, rest = tightened.split(": breaking ", 1)
    line_no = int(location.rsplit(":", 2)[1])
    assert "maxLength" in changed.read_text(encoding="utf-8").splitlines()[line_no - 1] or line_no > 1
    assert "PUT /v2/" in rest and "from 64 to 32" in rest
    assert lines[-1] == "2 change(s): 1 breaking, 1 warning, 0 info"


def test_json_has_exactly_the_documented_shape(changed: Path) -> None:
    done = run_specfirst("diff", str(HUAWEI), str(changed), "--format", "json")
    report = json.loads(done.stdout)
    assert list(report) == ["changes"]
    assert [set(c) for c in report["changes"]] == [{"id", "level", "operation", "location", "message"}] * 2
    assert {(c["id"], c["level"]) for c in report["changes"]} == {
        ("request-property-max-length-decreased", "breaking"),
        ("response-property-enum-value-added", "warning"),
    }


def test_markdown_is_a_pull_request_comment(changed: Path) -> None:
    done = run_specfirst("diff", str(HUAWEI), str(changed), "--format", "markdown")
    text = done.stdout
    assert text.startswith("## specfirst diff\n")
    assert "| changes | 1 | 1 | 0 |" in text
    assert "| level | rule | operation | change | location |" in text
    assert "`request-property-max-length-decreased`" in text


def test_github_prints_workflow_commands(changed: Path) -> None:
    done = run_specfirst("diff", str(HUAWEI), str(changed), "--format", "github")
    commands = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len(commands) == 2
    assert commands[0].startswith(f"::error file={changed},line=")
    assert ",title=breaking request-property-max-length-decreased::PUT /v2/" in commands[0]
    assert commands[1].startswith("::warning file=")


def test_junit_fails_the_changes_at_the_fail_on_level(changed: Path) -> None:
    done = run_specfirst("diff", str(HUAWEI), str(changed), "--format", "junit", "--fail-on", "warning")
    suite = ElementTree.fromstring(done.stdout).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "2")
    assert done.returncode == 1


@pytest.mark.parametrize(("fail_on", "code"), [("warning", 1), ("never", 0)])
def test_fail_on_sets_the_exit_code(changed: Path, fail_on: str, code: int) -> None:
    assert run_specfirst("diff", str(HUAWEI), str(changed), "--fail-on", fail_on).returncode == code


def test_a_warning_alone_fails_only_at_warning(tmp_path: Path) -> None:
    data = original("huawei")
    set_in([*APP_INFO, "properties", "creator", "enum"], ["USER", "MARKET", "SYSTEM"])(data)
    head = tmp_path / "head.json"
    head.write_text(json.dumps(data), encoding="utf-8")
    assert run_specfirst("diff", str(HUAWEI), str(head)).returncode == 0
    assert run_specfirst("diff", str(HUAWEI), str(head), "--fail-on", "warning").returncode == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read"),
        ("swagger: '2.0'\n", "not an OpenAPI 3 document"),
        (
            "openapi: 3.1.0\ninfo: {title: t}\npaths: {}\n",
            'head.yaml:2:7: "version" is a required property (invalid spec)',
        ),
        ("openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/nope'\n", "$ref"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: str | None, expected: str) -> None:
    head = tmp_path / "head.yaml"
    if content is not None:
        head.write_text(content, encoding="utf-8")
    done = run_specfirst("diff", str(HUAWEI), str(head))
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_missing_arguments_are_a_usage_error() -> None:
    done = run_specfirst("diff", str(HUAWEI))
    assert done.returncode == 2 and "give BASE and HEAD" in done.stderr


# --- git objects and --base-ref, in a real repository ----------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory, changed: Path) -> Path:
    """A git repository with spec/huawei-apig.yaml committed twice: as it is, then with the two changes."""
    root = tmp_path_factory.mktemp("repo")
    (root / "spec").mkdir()
    shutil.copy(HUAWEI, root / "spec" / "huawei-apig.yaml")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "first")
    shutil.copy(changed, root / "spec" / "huawei-apig.yaml")
    _git(root, "commit", "-qam", "second")
    return root


def test_git_objects_are_read_with_git_show(repo: Path) -> None:
    done = run_specfirst(
        "diff", "HEAD~1:spec/huawei-apig.yaml", "HEAD:spec/huawei-apig.yaml", "--format", "json", cwd=repo
    )
    changes = json.loads(done.stdout)["changes"]
    assert done.returncode == 1, done.stderr
    assert {c["id"] for c in changes} == {"request-property-max-length-decreased", "response-property-enum-value-added"}
    assert all(c["location"].startswith("HEAD:spec/huawei-apig.yaml:") for c in changes)


def test_base_ref_diffs_every_spec_against_the_ref(repo: Path) -> None:
    done = run_specfirst("diff", "--base-ref", "HEAD~1", "--format", "markdown", cwd=repo)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("## specfirst diff against HEAD~1")
    assert "`request-property-max-length-decreased`" in done.stdout
    same = run_specfirst("diff", "--base-ref", "HEAD", cwd=repo)
    assert (same.returncode, same.stdout.splitlines()[-1]) == (0, "0 change(s): 0 breaking, 0 warning, 0 info")


def test_a_spec_new_since_the_ref_is_all_additions(repo: Path) -> None:
    (repo / "spec" / "rainbond-console.yaml").write_bytes((SPEC_DIR / "rainbond-console.yaml").read_bytes())
    try:
        done = run_specfirst("diff", "--base-ref", "HEAD", "--format", "json", cwd=repo)
    finally:
        (repo / "spec" / "rainbond-console.yaml").unlink()
    assert done.returncode == 0, done.stderr
    assert [c["id"] for c in json.loads(done.stdout)["changes"]] == ["endpoint-added"]


@pytest.mark.parametrize(
    "args",
    [
        ("--base-ref", "no-such-branch"),
        ("no-such-branch:spec/huawei-apig.yaml", "spec/huawei-apig.yaml"),
        ("HEAD:spec/absent.yaml", "spec/huawei-apig.yaml"),
    ],
)
def test_unknown_revisions_and_paths_are_exit_2(repo: Path, args: tuple[str, ...]) -> None:
    done = run_specfirst("diff", *args, cwd=repo)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr
