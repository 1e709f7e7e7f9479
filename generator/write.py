"""Stage 6, write: a manifest of hashes, atomic replacement of each output folder, and tree comparison."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .libc import libc

MANIFEST = ".manifest.json"
TMP_PREFIX = ".specfirst-tmp-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def sha256(data: bytes) -> str:
    """Hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file under `root` by POSIX relative path (caches excluded)."""
    if not root.is_dir():
        return {}
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and "__pycache__" not in path.parts and not rel.startswith(TMP_PREFIX):
            out[rel] = path.read_bytes()
    return out


def manifest(inputs: dict[str, str], files: dict[str, bytes], **extra: object) -> bytes:
    """The manifest bytes: input hashes and the hash of every output file, sorted (plus `extra` sections)."""
    body: dict[str, object] = {"inputs": dict(sorted(inputs.items()))}
    body["files"] = {k: sha256(v) for k, v in sorted(files.items())}
    body.update(extra)
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()


def is_current(folder: Path, inputs: dict[str, str]) -> bool:
    """True when `folder` holds exactly what its manifest says, made from these inputs."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if recorded.get("inputs") != dict(sorted(inputs.items())):
        return False
    on_disk = {k: v for k, v in tree_files(folder).items() if k != MANIFEST}
    expected = recorded.get("files", {})
    return set(on_disk) == set(expected) and all(sha256(on_disk[k]) == expected[k] for k in expected)


def ensure_folder(path: Path) -> None:
    """Create the folder `path` (and its parents) unless it exists; a file in its place is an ENOTDIR error."""
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    path.mkdir(parents=True, exist_ok=True)


def read_manifest(folder: Path) -> tuple[dict[str, str], dict[str, str]] | None:
    """The (inputs, output file hashes) a folder's manifest records; None when it is missing or unreadable."""
    try:
        recorded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        inputs, files = recorded["inputs"], recorded["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(inputs, dict) or not isinstance(files, dict):
        return None
    return inputs, files


REF = "ref:"  # manifest input key prefix of a file a spec's `$ref`s pulled in: ref:<path from the spec's folder>


def file_hash(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, or "missing" when it cannot be read."""
    try:
        return sha256(path.read_bytes())
    except OSError:
        return "missing"


def ref_inputs(spec: Path, sources: Iterable[Path], suffix: str = "") -> dict[str, str]:
    """Manifest inputs for the files `spec` pulled in by `$ref` (`suffix` tells the specs of one manifest apart)."""
    base = spec.resolve().parent
    return {f"{REF}{Path(os.path.relpath(p, base)).as_posix()}{suffix}": file_hash(p) for p in sources}


def recorded_refs(folder: Path, spec: Path, suffix: str = "") -> dict[str, str]:
    """The `$ref`'d files a folder's manifest says `spec` was made with, hashed as they are now: a change to one
    of them (or its removal) makes the folder stale, though the spec file itself is unchanged."""
    recorded = read_manifest(folder)
    if recorded is None:
        return {}
    keys = [k for k in recorded[0] if k.startswith(REF) and k.endswith(suffix)]
    return {k: file_hash(ref_path(spec, k, suffix)) for k in keys}


def ref_path(spec: Path, key: str, suffix: str = "") -> Path:
    """The file a `ref:` input key of `spec` names (ref_inputs made the key)."""
    return spec.resolve().parent / key[len(REF) : len(key) - len(suffix)]


def output_hashes(folder: Path) -> dict[str, str]:
    """The hash of every file in `folder` but its manifest, by POSIX relative path."""
    return {k: sha256(v) for k, v in tree_files(folder).items() if k != MANIFEST}


def write_tree(root: Path, files: dict[str, bytes], same_as: Path | None = None) -> None:
    """Write `files` under a new folder `root`; a file `same_as` (a folder) already holds byte for byte is
    hard-linked from there instead of written again."""
    for rel, data in files.items():
        target = root / rel
        if root.resolve() not in target.resolve().parents:
            raise ValueError(f"refusing to write outside the output folder: {rel!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if same_as is not None and _holds(same_as / rel, data):
            link_or_copy(same_as / rel, target)
        else:
            write_file(target, data)


def _holds(path: Path, data: bytes) -> bool:
    """`path` is a regular file whose bytes are `data`."""
    try:
        return (
            path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data
        )
    except OSError:
        return False


def write_file(path: Path, data: bytes) -> None:
    """`path.write_bytes(data)`; an OSError names the path even when the write, not the open, failed."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        exc.filename = exc.filename or str(path)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the platform cannot."""
    found = libc()
    renameat2 = getattr(found, "renameat2", None) if found is not None else None
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def replace_folder(staged: Path, target: Path) -> None:
    """Put `staged` where `target` is, in one atomic step where the OS allows; then drop the old one."""
    if not target.exists():
        os.replace(staged, target)
        return
    if _exchange(staged, target):
        shutil.rmtree(staged, ignore_errors=True)  # the previous contents; a next run removes what stays
        return
    old = target.with_name(TMP_PREFIX + "old-" + target.name)
    shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old)


def clean_leftovers(out_dir: Path, name: str = "") -> None:
    """Remove staging folders (for output `name`, or all) a killed run may have left in `out_dir`."""
    if out_dir.is_dir():
        for leftover in out_dir.glob(TMP_PREFIX + (f"{name}-" if name else "") + "*"):
            shutil.rmtree(leftover, ignore_errors=True)


def staging_copy(out_dir: Path) -> tempfile.TemporaryDirectory[str]:
    """A staging folder beside `out_dir`; its `<name>` child starts as a copy of `out_dir`'s current tree.

    The copy is made of hard links where the file system allows (a large docs tree is 100+ MB): nothing ever
    writes into a staged file in place; stages replace whole folders (`replace_folder`) or write new files."""
    clean_leftovers(out_dir.parent, out_dir.name)
    tmp = tempfile.TemporaryDirectory(prefix=f"{TMP_PREFIX}{out_dir.name}-", dir=out_dir.parent)
    try:
        _copy_tree(out_dir, Path(tmp.name) / out_dir.name)
    except BaseException:
        tmp.cleanup()
        raise
    return tmp


def _copy_tree(source: Path, target: Path) -> None:
    """Copy `source` to a new folder `target` (caches and staging folders left out); the first OSError is
    raised as it is, with its path (shutil.copytree would go on and gather every failure into one string)."""
    target.mkdir()
    for entry in sorted(source.iterdir()):
        if entry.name == "__pycache__" or entry.name.startswith(TMP_PREFIX):
            continue
        if entry.is_dir():
            _copy_tree(entry, target / entry.name)
        else:
            link_or_copy(entry, target / entry.name)


def link_or_copy(source: Path, target: Path) -> None:
    """`target` as a hard link to `source`, or a copy where links cannot be made (another file system)."""
    if not source.is_symlink():
        try:
            os.link(source, target)
            return
        except OSError as exc:
            if exc.errno not in {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EACCES}:
                raise
    shutil.copy2(source, target)


def diff_trees(expected: Mapping[str, object], actual: Mapping[str, object], shown: str) -> list[str]:
    """`<shown>/<file>: missing|extra|changed`, one line per file of `actual` that is not as `expected`."""
    lines = [f"{shown}/{k}: missing" for k in sorted(set(expected) - set(actual))]
    lines += [f"{shown}/{k}: extra" for k in sorted(set(actual) - set(expected))]
    lines += [f"{shown}/{k}: changed" for k in sorted(set(expected) & set(actual)) if expected[k] != actual[k]]
    return lines
