"""Stage 5, format: one ruff pass (import fixes, then formatting) over the rendered tree (the models file may go
first, on its own, as soon as it is made); with a cache, a file ruff has formatted before (the same bytes, path,
neighbours and ruff) is given its formatted bytes without running ruff. A large file is formatted by pieces
(`pieces`), which the cache keeps one by one: an edit formats again only the pieces it touched."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Mapping
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


LARGE = 256 * 1024  # characters: a file this large is formatted by pieces
PIECE = 48 * 1024  # characters: each piece at least this long (but the last)
# a top-level class statement after a blank line, the last line before the blank ones neither a comment nor a
# decorator: the formatter puts exactly two blank lines before it, whatever precedes it, and formats it alone
_CUT = re.compile(r"\n\n+(?=class (\w+))")  # (from the newline that ends the line before the blank ones)
_ATTACHED = re.compile(r"[ \t]*[#@]")


def pieces(text: str) -> list[str] | None:
    """`text` (Python source, import fixes made) cut before some of its top-level classes (each cut at least PIECE
    characters after the last, at a class whose name picks it: an edit moves no cut but those near it), without
    the blank lines before each cut. Formatted one by one and joined by two blank lines, they are the text
    formatted whole: nothing the formatter does reaches across a cut. None when `text` holds a `fmt:` directive
    (a `fmt: off` may span a cut), or has no cut."""
    if "fmt:" in text:
        return None
    out, start = [], 0
    for found in _CUT.finditer(text):
        end = found.start() + 1  # the line before the blank ones ends here
        if end - start < PIECE or zlib.crc32(found.group(1).encode()) % 4:
            continue
        if _ATTACHED.match(text, text.rfind("\n", 0, found.start()) + 1):
            continue
        out.append(text[start:end])
        start = found.end()
    return [*out, text[start:]] if out else None


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def format_tree(root: Path, *, skip: tuple[str, ...] = (), cache: Cache | None = None) -> None:
    """Sort imports, drop unused ones, and format every .py file under `root` in place (but files named `skip`)."""
    excluded = [arg for name in skip for arg in ("--extend-exclude", name)]
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py") if p.name not in skip)
    if not files:
        return
    if cache is None:
        _ruff_steps(root, files, [*excluded, "--force-exclude"])  # excluded as "." would be
    else:
        _cached_steps(root, files, [*excluded, "--force-exclude"], cache)


def format_files(
    root: Path, files: list[str], cache: Cache | None = None, imports: Mapping[str, str] | None = None
) -> None:
    """`format_tree` for these files (paths relative to `root`) alone: the same result, file for file.
    `imports`: with `cache`, a file's key for its import fixes (`_fixed_imports`)."""
    if cache is None:
        _ruff_steps(root, files, [])
    else:
        _cached_steps(root, files, [], cache, imports or {})


def _cached_steps(
    root: Path, files: list[str], extra: list[str], cache: Cache, imports: Mapping[str, str] | None = None
) -> None:
    """The ruff steps for the files the cache does not know; the others written as ruff formatted them before.
    A file's result depends on its bytes, its path and the names beside the packages (which imports are
    first-party), the settings and ruff's version: the key holds them all."""
    version = _version()
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
        named = imports or {}
        fixes = {r: cache_key("ruff-imports", version, RUFF_SETTINGS, extra, listing, r, named[r]) for r in named}
        _ruff_steps(root, todo, extra, cache, version, fixes)
        for rel in todo:
            cache.put(keys[rel], (root / rel).read_bytes())


def _version() -> str:
    import importlib.metadata

    return importlib.metadata.version("ruff")


def _ruff_steps(
    root: Path,
    targets: list[str],
    extra: list[str],
    cache: Cache | None = None,
    version: str = "",
    imports: Mapping[str, str] | None = None,
) -> None:
    """The import fixes, then the formatting: a large file's by `pieces` (with `cache`, those formatted before
    taken from it, and the import fixes of the files `imports` gives a key: `_fixed_imports`)."""
    common = ["--no-cache", "--isolated", *RUFF_SETTINGS, *extra]
    todo, finish = _fixed_imports(root, targets, cache, imports or {})
    if todo:
        _run(root, ["check", *common, "--select", "I,F401", "--fix", "--exit-zero", "--quiet", *todo])
    finish()
    whole = []
    for rel in targets:
        path = root / rel
        text = path.read_text(encoding="utf-8") if path.is_file() and path.stat().st_size >= LARGE else ""
        cut = pieces(text) if text else None
        formatted = _by_pieces(cut, cache, version) if cut else None
        if formatted is None:
            whole.append(rel)
        else:
            path.write_text(formatted, encoding="utf-8")
    if whole:
        _run(root, ["format", *common, "--quiet", *whole])


def _fixed_imports(
    root: Path, targets: list[str], cache: Cache | None, keys: Mapping[str, str]
) -> tuple[list[str], Callable[[], None]]:
    """The targets the import fixes must run on, and what to do once they have: a file `keys` names whose fix the
    cache holds is fixed from it here; the fix of each other file named is stored.

    A key stands for a file's text but for the content of some string literals that are neither annotations nor
    `__all__` (the models module's descriptions, masked: `ModelRuns.text_key`). Ruff's I and F401 read statements,
    names and annotations, never such a literal, and change only the imports at the head of the file; so a fix is
    kept as the head it replaced and the head it made, and applied to a file of that key that begins with the same
    head.
    """
    todo, before = [], {}
    for rel in targets:
        key = keys.get(rel) if cache is not None else None
        if key is None or cache is None:
            todo.append(rel)
            continue
        path = root / rel
        text = path.read_text(encoding="utf-8")
        stored = _load_fix(cache.get(key))
        if stored is not None and text.startswith(stored[0]):
            path.write_text(stored[1] + text[len(stored[0]) :], encoding="utf-8")
        else:
            todo.append(rel)
            before[rel] = (key, text)

    def finish() -> None:
        for rel, (key, text) in before.items():
            after = (root / rel).read_text(encoding="utf-8")
            tail = _common_tail(text, after)
            if cache is not None and len(text) - tail <= LARGE:
                cache.put(key, json.dumps([text[: len(text) - tail], after[: len(after) - tail]]).encode())

    return todo, finish


def _load_fix(payload: bytes | None) -> tuple[str, str] | None:
    try:
        head, fixed = json.loads(payload) if payload is not None else (None, None)
    except (ValueError, TypeError):
        return None  # an entry from something else: ruff runs again
    return (head, fixed) if isinstance(head, str) and isinstance(fixed, str) else None


def _common_tail(one: str, two: str) -> int:
    """The length of the longest common suffix of `one` and `two` (compared by blocks from the end: an import fix
    changes the head of a file, and a block's slices are small, where halving the whole would copy it each time)."""
    tail, most = 0, min(len(one), len(two))
    while tail < most:
        size = min(4096, most - tail)
        if one[len(one) - tail - size : len(one) - tail] != two[len(two) - tail - size : len(two) - tail]:
            break
        tail += size
    while tail < most and one[len(one) - tail - 1] == two[len(two) - tail - 1]:
        tail += 1
    return tail


def _by_pieces(cut: list[str], cache: Cache | None, version: str = "") -> str | None:
    """The pieces formatted (in one ruff run, side by side) and joined; None when one does not parse alone."""
    version = (version or _version()) if cache else ""
    keys = [cache_key("ruff-piece", version, RUFF_SETTINGS, piece) for piece in cut] if cache else []
    found = {n: text.decode() for n, key in enumerate(keys) if (text := cache.get(key)) is not None} if cache else {}
    todo = [n for n in range(len(cut)) if n not in found]
    if todo:
        with tempfile.TemporaryDirectory(prefix="specfirst-pieces-") as tmp:
            for n in todo:
                Path(tmp, f"p{n}.py").write_text(cut[n], encoding="utf-8")
            try:
                names = [f"p{n}.py" for n in todo]  # named: a folder could be skipped (a .gitignore above it)
                _run(Path(tmp), ["format", "--no-cache", "--isolated", *RUFF_SETTINGS, "--quiet", *names])
            except GenerationError:
                return None  # a cut inside a string (or a piece that does not parse): formatted whole
            for n in todo:
                found[n] = Path(tmp, f"p{n}.py").read_text(encoding="utf-8")
                if cache is not None:
                    cache.put(keys[n], found[n].encode())
    return "\n\n".join(found[n] for n in range(len(cut)))


def _run(root: Path, args: list[str]) -> None:
    done = subprocess.run([_ruff(), *args], cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())[:300]
        raise GenerationError(f"formatting the generated code failed: {detail}")


if __name__ == "__main__":  # pragma: no cover - a manual aid
    format_tree(Path(sys.argv[1]))
