"""Our own code stays clean: ruff (lint and format) on everything, mypy --strict on generator/ and reference/."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import GENERATED, ROOT

PATHS = ["generator", "reference", "tests", "bench"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(GENERATED)},  # the reference server imports the generated packages
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ruff_finds_nothing() -> None:
    done = _run("ruff", "check", "--no-cache", *PATHS)
    assert done.returncode == 0, done.stdout[-3000:]


def test_ruff_format_changes_nothing() -> None:
    done = _run("ruff", "format", "--check", "--no-cache", *PATHS)
    assert done.returncode == 0, done.stdout[-3000:]


def test_mypy_strict_on_the_generator_and_the_reference_server() -> None:
    done = _run("mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, "generator", "reference")
    assert done.returncode == 0, done.stdout[-3000:]
