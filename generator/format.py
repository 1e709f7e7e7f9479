"""Stage 5, format: one ruff pass (import fixes, then formatting) over the rendered tree (the models file may go
first, on its own, as soon as it is made)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import GenerationError

RUFF_SETTINGS = [
    "--config",
    "line-length = 110",
    "--config",
    "target-version = 'py310'",
]


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def format_tree(root: Path, *, skip: tuple[str, ...] = ()) -> None:
    """Sort imports, drop unused ones, and format every .py file under `root` in place (but files named `skip`)."""
    _ruff_steps(root, ["."], [arg for name in skip for arg in ("--extend-exclude", name)])


def format_files(root: Path, files: list[str]) -> None:
    """`format_tree` for these files (paths relative to `root`) alone: the same result, file for file."""
    _ruff_steps(root, files, [])


def _ruff_steps(root: Path, targets: list[str], extra: list[str]) -> None:
    ruff = _ruff()
    common = ["--no-cache", "--isolated", *RUFF_SETTINGS, *extra]
    steps = [
        [ruff, "check", *common, "--select", "I,F401", "--fix", "--exit-zero", "--quiet", *targets],
        [ruff, "format", *common, "--quiet", *targets],
    ]
    for cmd in steps:
        done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = " ".join((done.stderr or done.stdout).split())[:300]
            raise GenerationError(f"formatting the generated code failed: {detail}")


if __name__ == "__main__":  # pragma: no cover - a manual aid
    format_tree(Path(sys.argv[1]))
