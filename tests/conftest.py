"""Shared helpers: the repository root and a way to run the `specfirst` command as a user would."""

from __future__ import annotations

import importlib
import os
import pty
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
# every `specfirst` a test starts runs cold unless the test turns the cache on (tests/cli/test_incremental.py):
# the worker and CPU-count tests must see the model generator run, not a cache hit from an earlier test
os.environ["SPECFIRST_NO_CACHE"] = "1"
SPEC_DIR = ROOT / "spec"
GENERATED = ROOT / "generated"


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": f"{GENERATED}{os.pathsep}{ROOT}"}
    for name in ("FORCE_COLOR", "CI"):
        env.pop(name, None)
    return {**env, **(extra or {})}


def run_specfirst(
    *args: str, cwd: Path = ROOT, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m specfirst ARGS` in a subprocess, as the installed `specfirst` command would run."""
    env = _env(env)
    return subprocess.run(
        [sys.executable, "-m", "specfirst", *args],
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


def run_on_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `python -m specfirst ARGS` with stderr on a pseudo-terminal, as a person sees it: (code, stdout, stderr)."""
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "specfirst", *args]
    with subprocess.Popen(command, cwd=ROOT, env=_env(env), stdout=subprocess.PIPE, stderr=follower, text=True) as proc:
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


def import_generated(folder: Path, *modules: str) -> list[ModuleType]:
    """Import modules of packages generated into `folder` (which is on sys.path only while importing)."""
    sys.path.insert(0, str(folder))
    try:
        return [importlib.import_module(name) for name in modules]
    finally:
        sys.path.remove(str(folder))
