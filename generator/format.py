"""Stage 5, format: one ruff pass (import fixes, then formatting) over the whole rendered tree."""

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


def format_tree(root: Path) -> None:
    """Sort imports, drop unused ones, and format every .py file under `root` in place."""
    ruff = _ruff()
    steps = [
        [
            ruff,
            "check",
            "--no-cache",
            "--isolated",
            *RUFF_SETTINGS,
            "--select",
            "I,F401",
            "--fix",
            "--exit-zero",
            "--quiet",
            ".",
        ],
        [ruff, "format", "--no-cache", "--isolated", *RUFF_SETTINGS, "--quiet", "."],
    ]
    for cmd in steps:
        done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            detail = " ".join((done.stderr or done.stdout).split())[:300]
            raise GenerationError(f"formatting the generated code failed: {detail}")


if __name__ == "__main__":  # pragma: no cover - a manual aid
    format_tree(Path(sys.argv[1]))
