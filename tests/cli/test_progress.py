"""Long generations show progress per stage and per document on a terminal, and stay quiet piped or in CI."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SPEC_DIR, run_on_terminal, run_specfirst

SPECS = sorted(str(p) for p in SPEC_DIR.glob("*.yaml"))


def _generate(out: Path, *, tty: bool, ci: bool) -> tuple[int, str, str]:
    """Run `specfirst generate` with stderr on a pseudo-terminal (or a pipe); return (code, stdout, stderr)."""
    args = ["generate", *SPECS, "--out", str(out)]
    env = {"CI": "true"} if ci else {}
    if tty:
        return run_on_terminal(*args, env=env)
    done = run_specfirst(*args, env=env)
    return done.returncode, done.stdout, done.stderr


def test_a_terminal_sees_each_stage_of_each_document(tmp_path: Path) -> None:
    code, stdout, stderr = _generate(tmp_path / "out", tty=True, ci=False)
    assert code == 0, stderr
    for spec in ("huawei-apig.yaml", "rainbond-console.yaml"):
        for stage in ("load", "validate", "models", "clients"):
            assert f"{spec}: {stage}…" in stderr, (spec, stage, stderr)
    for stage in ("format", "verify", "docs", "write"):
        assert f"all: {stage}…" in stderr, stage
    assert stderr.rstrip().endswith("\x1b[K")  # the progress line is cleared at the end
    assert "written" in stdout


def test_piped_output_has_no_progress(tmp_path: Path) -> None:
    code, stdout, stderr = _generate(tmp_path / "out", tty=False, ci=False)
    assert code == 0 and stderr == ""
    assert sorted(stdout.split()) == sorted(
        [f"{tmp_path / 'out' / n}:" for n in ("docs", "huawei_apig", "rainbond_console")] + ["written"] * 3
    )


def test_ci_stays_quiet_even_on_a_terminal(tmp_path: Path) -> None:
    code, _, stderr = _generate(tmp_path / "out", tty=True, ci=True)
    assert code == 0 and stderr == ""


def test_no_docs_stage_is_shown_when_the_docs_are_current(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(out, tty=False, ci=False)[0] == 0
    manifest = out / "huawei_apig" / ".manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"spec": "', '"spec": "0'), encoding="utf-8")
    code, stdout, stderr = _generate(out, tty=True, ci=False)
    assert code == 0, stderr
    assert "huawei-apig.yaml: clients…" in stderr and "all: write…" in stderr
    assert "all: docs" not in stderr
    assert f"{out / 'docs'}: up to date" in stdout and f"{out / 'huawei_apig'}: written" in stdout
