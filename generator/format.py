"""Stage 5, format: one ruff pass (import fixes, then formatting) over the rendered tree (the models file may go
first, on its own, as soon as it is made); with a cache, a file ruff has formatted before (the same bytes, path,
neighbours and ruff) is given its formatted bytes without running ruff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .cache import Cache
from .cache import key as cache_key
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


def format_tree(root: Path, *, skip: tuple[str, ...] = (), cache: Cache | None = None) -> None:
    """Sort imports, drop unused ones, and format every .py file under `root` in place (but files named `skip`)."""
    excluded = [arg for name in skip for arg in ("--extend-exclude", name)]
    if cache is None:
        _ruff_steps(root, ["."], excluded)
        return
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py") if p.name not in skip)
    _cached_steps(root, files, [*excluded, "--force-exclude"], cache)  # excluded as "." would be


def format_files(root: Path, files: list[str], cache: Cache | None = None) -> None:
    """`format_tree` for these files (paths relative to `root`) alone: the same result, file for file."""
    if cache is None:
        _ruff_steps(root, files, [])
    else:
        _cached_steps(root, files, [], cache)


def _cached_steps(root: Path, files: list[str], extra: list[str], cache: Cache) -> None:
    """The ruff steps for the files the cache does not know; the others written as ruff formatted them before.
    A file's result depends on its bytes, its path and the names beside the packages (which imports are
    first-party), the settings and ruff's version: the key holds them all."""
    import importlib.metadata

    version = importlib.metadata.version("ruff")
    listing = sorted(p.name for p in root.iterdir())
    keys, todo = {}, []
    for rel in files:
        path = root / rel
        keys[rel] = cache_key("ruff", version, RUFF_SETTINGS, extra, listing, rel, path.read_bytes())
        formatted = cache.get(keys[rel])
        if formatted is None:
            todo.append(rel)
        else:
            path.write_bytes(formatted)
    if todo:
        _ruff_steps(root, todo, extra)
        for rel in todo:
            cache.put(keys[rel], (root / rel).read_bytes())


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
