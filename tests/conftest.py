"""Shared helpers: the repository root and a way to run the `specfirst` command as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = ROOT / "spec"
GENERATED = ROOT / "generated"


def run_specfirst(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` in a subprocess, as the installed `specfirst` command would run."""
    env = {**os.environ, "PYTHONPATH": f"{GENERATED}{os.pathsep}{ROOT}"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def generate_into(spec: Path, out: Path) -> Path:
    """`specfirst generate SPEC --out OUT`, which must succeed; returns OUT."""
    done = run_specfirst("generate", str(spec), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def mypy_strict(folder: Path, *packages: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` (no cache) on generated packages that live in `folder`."""
    targets = [arg for name in packages for arg in ("-p", name)]
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, *targets],
        cwd=folder,
        env={**os.environ, "MYPYPATH": str(folder)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
