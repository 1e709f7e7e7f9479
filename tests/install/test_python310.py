"""Generated packages work on Python 3.10 and later: ruff and mypy --strict, both targeting 3.10, find nothing."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import GENERATED

PACKAGES = sorted(p.name for p in GENERATED.iterdir() if (p / "__init__.py").is_file())


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=GENERATED,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_there_are_generated_packages() -> None:
    assert PACKAGES == ["huawei_apig", "rainbond_console"]


def test_ruff_targeting_python_310_finds_nothing() -> None:
    # --isolated: the repository's own settings (py311, generated/ excluded) must not apply; ruff reports syntax
    # newer than the target version whatever the selected rules, and UP/F catch the rest
    done = _run(
        "ruff", "check", "--isolated", "--no-cache", "--target-version", "py310", "--select", "F,UP,E9", *PACKAGES
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_mypy_strict_for_python_310_finds_nothing() -> None:
    targets = [arg for name in PACKAGES for arg in ("-p", name)]
    done = _run("mypy", "--strict", "--python-version", "3.10", "--no-incremental", "--cache-dir", os.devnull, *targets)
    assert done.returncode == 0, done.stdout[-3000:]
