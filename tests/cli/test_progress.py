"""Long generations show progress per stage and per document on a terminal, and stay quiet piped or in CI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.conftest import GENERATED, ROOT, SPEC_DIR

SPECS = sorted(str(p) for p in SPEC_DIR.glob("*.yaml"))


def _generate(out: Path, *, tty: bool, ci: bool) -> tuple[int, str, str]:
    """Run `specfirst generate` with stderr on a pseudo-terminal (or a pipe); return (code, stdout, stderr)."""
    env = {**os.environ, "PYTHONPATH": f"{GENERATED}{os.pathsep}{ROOT}"}
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "generator", "generate", *SPECS, "--out", str(out)]
    if not tty:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=follower, text=True) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        stdout = proc.stdout.read() if proc.stdout else ""
    os.close(leader)
    return proc.returncode, stdout, b"".join(chunks).decode()


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
