"""The state store behind the mock: resources by (collection, id), in memory or in a SQLite file (WAL, one writer)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from ..errors import UsageError

Update = Callable[[dict[str, Any] | None], dict[str, Any] | None]


class Store(Protocol):
    """What the resource layer needs; every method is atomic (a read-modify-write loses no concurrent update)."""

    def get(self, collection: str, key: str) -> dict[str, Any] | None: ...
    def items(self, collection: str) -> list[dict[str, Any]]: ...
    def change(self, collection: str, key: str, update: Update) -> dict[str, Any] | None: ...
    def delete(self, collection: str, key: str) -> bool: ...
    def seeded(self) -> bool: ...
    def mark_seeded(self) -> None: ...
    def close(self) -> None: ...


class MemoryStore:
    """State for one run of the server."""

    def __init__(self) -> None:
        self._data: dict[str, dict[str, dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._seeded = False

    def get(self, collection: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._data.get(collection, {}).get(key)
            return json.loads(json.dumps(found)) if found is not None else None

    def items(self, collection: str) -> list[dict[str, Any]]:
        with self._lock:
            return [json.loads(json.dumps(v)) for v in self._data.get(collection, {}).values()]

    def change(self, collection: str, key: str, update: Update) -> dict[str, Any] | None:
        with self._lock:
            bucket = self._data.setdefault(collection, {})
            new = update(bucket.get(key))
            if new is not None:
                bucket[key] = json.loads(json.dumps(new))
            return new

    def delete(self, collection: str, key: str) -> bool:
        with self._lock:
            return self._data.get(collection, {}).pop(key, None) is not None

    def seeded(self) -> bool:
        return self._seeded

    def mark_seeded(self) -> None:
        self._seeded = True

    def close(self) -> None:
        return None


class SqliteStore:
    """State in a SQLite file that survives restarts: one connection, WAL, writes serialised by one lock."""

    def __init__(self, path: Path) -> None:
        try:
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS resources (collection TEXT, key TEXT, body TEXT, seq INTEGER, "
                "PRIMARY KEY (collection, key))"
            )
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
        except sqlite3.Error as exc:
            raise UsageError(f"specfirst mock: --state {path}: {exc}") from None
        self._lock = threading.Lock()

    def get(self, collection: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM resources WHERE collection = ? AND key = ?", (collection, key)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def items(self, collection: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM resources WHERE collection = ? ORDER BY seq", (collection,)
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def change(self, collection: str, key: str, update: Update) -> dict[str, Any] | None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT body FROM resources WHERE collection = ? AND key = ?", (collection, key)
                ).fetchone()
                new = update(json.loads(row[0]) if row else None)
                if new is not None:
                    self._db.execute(
                        "INSERT INTO resources VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM resources)) "
                        "ON CONFLICT (collection, key) DO UPDATE SET body = excluded.body",
                        (collection, key, json.dumps(new, ensure_ascii=False)),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return new

    def delete(self, collection: str, key: str) -> bool:
        with self._lock:
            done = self._db.execute("DELETE FROM resources WHERE collection = ? AND key = ?", (collection, key))
        return done.rowcount > 0

    def seeded(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM meta WHERE name = 'seeded'").fetchone() is not None

    def mark_seeded(self) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('seeded', '1')")

    def close(self) -> None:
        with self._lock:
            self._db.close()


def open_store(state: str) -> Store:
    """`memory`, or a path ending in .sqlite3/.sqlite/.db."""
    if state == "memory":
        return MemoryStore()
    path = Path(state)
    if path.suffix not in (".sqlite3", ".sqlite", ".db"):
        raise UsageError(f"specfirst mock: --state takes 'memory' or a PATH.sqlite3 file, got {state!r}")
    if not path.parent.is_dir():
        raise UsageError(f"specfirst mock: --state {state}: folder {path.parent} does not exist")
    return SqliteStore(path)
