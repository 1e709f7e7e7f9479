"""`specfirst validate`: the committed specs are valid, and each broken spec is reported at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_specfirst

INVALID = sorted((ROOT / "tests" / "specs-invalid").glob("*.yaml"))
EXPECT = re.compile(r"# expect: exit=(\d) at=(\d+):(\d+) message=(.+)")


def test_committed_specs_are_valid() -> None:
    done = run_specfirst("validate")
    assert done.returncode == 0, done.stderr
    assert "2 spec(s) valid" in done.stdout


@pytest.mark.parametrize("spec", INVALID, ids=[p.name for p in INVALID])
def test_broken_spec_reported_at_its_line(spec: Path) -> None:
    match = EXPECT.match(spec.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{spec.name} must start with an '# expect:' line"
    code, line, col, message = match.groups()
    done = run_specfirst("validate", f"tests/specs-invalid/{spec.name}")
    assert done.returncode == int(code), done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    expected_prefix = f"tests/specs-invalid/{spec.name}:{line}:{col}: "
    lines = done.stderr.splitlines()
    assert any(ln.startswith(expected_prefix) and message.strip() in ln for ln in lines), done.stderr


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    spec = tmp_path / "two.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /a:\n    get:\n      responses: {'200': {description: ok}}\n"
        "  /b:\n    get:\n      responses: {'200': {description: ok}}\n",
        encoding="utf-8",
    )
    done = run_specfirst("validate", str(spec))
    assert done.returncode == 1
    assert [ln.split(": ", 1)[1] for ln in done.stderr.splitlines()] == [
        "GET /a: operation has no operationId",
        "GET /b: operation has no operationId",
    ]


def test_unreadable_file_is_a_one_line_input_error(tmp_path: Path) -> None:
    done = run_specfirst("validate", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "nope.yaml: cannot read" in done.stderr


def test_usage_error_exits_2_without_traceback() -> None:
    done = run_specfirst("frobnicate")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "invalid choice" in done.stderr


@pytest.mark.parametrize("spec", INVALID, ids=[p.name for p in INVALID])
def test_generate_refuses_a_broken_spec_as_validate_does_and_writes_nothing(spec: Path, tmp_path: Path) -> None:
    """Generation validates in a worker when a CPU is free (the models of one small spec leave one): the same
    report and exit code as `validate`, and no output."""
    validated = run_specfirst("validate", f"tests/specs-invalid/{spec.name}")
    out = tmp_path / "out"
    done = run_specfirst("generate", "--strict", f"tests/specs-invalid/{spec.name}", "--out", str(out))
    assert (done.returncode, done.stderr) == (validated.returncode, validated.stderr)
    assert not out.exists() or not any(out.iterdir())
