"""The incremental-generation cache: results of pure stages by the hash of everything they depend on.

One file per entry under `.specfirst-cache/` at the project root. An entry is written to a temporary file and
renamed into place, so a concurrent or killed run never sees half of one; each carries the hash of its payload,
so a damaged entry reads as a miss. The folder is kept under a size cap by dropping the least recently used
entries (checked when a process first writes, and again each time it has written a sixteenth of the cap: the
folder may go over by that much between checks). A hit returns exactly the bytes a run stored, and keys include
the generator's fingerprint: a cache can make a run faster, never make its output different.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FOLDER = ".specfirst-cache"
ENV_DIR = "SPECFIRST_CACHE_DIR"  # another cache folder
ENV_OFF = "SPECFIRST_NO_CACHE"  # any value: no cache at all
MAX_BYTES = 512 * 1024 * 1024
EVICT_EVERY = 16  # the folder is trimmed to its cap each time a process has written this fraction of it
_WRITTEN: dict[Path, int] = {}  # bytes this process has written to each folder since it last trimmed it
_MAGIC = b"specfirst-cache-1\n"
_DIGEST = 32


def key(kind: str, *parts: Any) -> str:
    """A key for `parts` (plain data): equal keys only for equal data (pickle is lossless; the order counts),
    named `KIND-HASH`, so an entry says what it holds."""
    digest = hashlib.sha256()
    for part in (kind, *parts):
        data = pickle.dumps(part, protocol=5)
        digest.update(len(data).to_bytes(8, "big") + data)
    return f"{kind}-{digest.hexdigest()}"


@dataclass(frozen=True)
class Cache:
    """A cache folder; `get` and `put` never raise for the folder's sake (a broken cache is only a slow one)."""

    root: Path
    max_bytes: int = MAX_BYTES

    def _path(self, name: str) -> Path:
        return self.root / name[-2:] / name

    @property
    def empty(self) -> bool:
        """Whether the folder holds nothing yet (a first run: every lookup would miss)."""
        try:
            return not any(self.root.iterdir())
        except OSError:
            return True

    def get(self, name: str) -> bytes | None:
        """The payload stored under `name`, or None (missing, damaged or unreadable)."""
        path = self._path(name)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head, payload = raw[: len(_MAGIC) + _DIGEST], raw[len(_MAGIC) + _DIGEST :]
        if head != _MAGIC + hashlib.sha256(payload).digest():
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        return payload

    def get_parts(self, name: str) -> dict[bytes, bytes]:
        """The parts by digest stored under `name` with `keep_parts` (empty: missing, damaged or not parts)."""
        payload = self.get(name)
        try:
            found = pickle.loads(payload) if payload is not None else {}
        except Exception:  # a damaged entry is a miss
            return {}
        return found if isinstance(found, dict) else {}

    def keep_parts(self, name: str, known: dict[bytes, bytes], parts: dict[bytes, bytes]) -> None:
        """Store this run's `parts` under `name` for the next run, unless they are the ones `known` (read) holds."""
        if parts != known:
            self.put(name, pickle.dumps(parts, protocol=5))

    def put(self, name: str, payload: bytes) -> None:
        """Store `payload` under `name` (atomically), then keep the folder under its size cap."""
        path = self._path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            written = _WRITTEN.get(self.root, -1)  # -1: the first entry this process writes here
            if written < 0 or written + len(payload) >= self.max_bytes // EVICT_EVERY:
                self._evict()  # a scan of the folder: once per process, then as the writes add up
                written = 0
            _WRITTEN[self.root] = written + len(payload)
        except OSError:
            return

    def _evict(self) -> None:
        entries = []
        for path in self.root.glob("*/*"):
            try:
                info = path.stat()
            except OSError:
                continue
            entries.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: (e[0], e[2].name)):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
            total -= size


def open_cache(project_root: Path, *, enabled: bool = True) -> Cache | None:
    """The cache for a project (`SPECFIRST_CACHE_DIR` elsewhere), or None when it is turned off."""
    if not enabled or os.environ.get(ENV_OFF):
        return None
    where = os.environ.get(ENV_DIR)
    return Cache(Path(where) if where else project_root / FOLDER)
