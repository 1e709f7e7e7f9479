"""SQLite storage: schema, first-start seed, and the two updates, queued in front of one writer (group commit)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from reference import seed

T = TypeVar("T")

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE apig_instance (
    project_id TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    PRIMARY KEY (project_id, instance_id)
);
CREATE TABLE apig_app (
    project_id TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    remark TEXT,
    creator TEXT,
    update_time TEXT,
    app_key TEXT,
    app_secret TEXT,
    register_time TEXT,
    status INTEGER,
    app_type TEXT,
    roma_app_type TEXT,
    PRIMARY KEY (project_id, instance_id, id),
    FOREIGN KEY (project_id, instance_id) REFERENCES apig_instance (project_id, instance_id)
);
CREATE TABLE rainbond_region (
    region_id TEXT PRIMARY KEY,
    region_name TEXT NOT NULL,
    region_alias TEXT,
    url TEXT,
    token TEXT,
    wsurl TEXT,
    httpdomain TEXT,
    tcpdomain TEXT,
    scope TEXT,
    ssl_ca_cert TEXT,
    cert_file TEXT,
    key_file TEXT,
    status TEXT,
    "desc" TEXT
);
"""

APP_COLUMNS = ("name", "remark", "app_key", "app_secret", "update_time")
REGION_COLUMNS = (
    "region_alias", "url", "token", "wsurl", "httpdomain", "tcpdomain", "scope",
    "ssl_ca_cert", "cert_file", "key_file", "status", "desc",
)  # fmt: skip


class StoreError(Exception):
    """The database failed or holds data that cannot be read: the request gets the documented 500."""


class NotFound(Exception):
    """No such record; `kind` says which level of the path was unknown (instance, app, region)."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident} does not exist")
        self.kind = kind
        self.ident = ident


#: At most this many queued writes share one transaction (and its one fsync).
BATCH = 64
Work = Callable[[sqlite3.Connection], Any]
Outcome = tuple[Any, BaseException | None]


class Store:
    """One SQLite file (WAL journal), written by one thread over one connection.

    Writes queue in front of it and run first come, first served. Those queued together run in one
    transaction, each in its own savepoint (a failed write rolls back alone), and are acknowledged together
    after its COMMIT: one fsync serves many writes, and no reply goes out before its write is durable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        self._conn: sqlite3.Connection | None = None  # the writer thread's, opened on its first write
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
        self._drain: asyncio.Task[None] | None = None
        self._last_ns = 0

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 30000")  # another process may hold the file (a backup, a test)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    async def write(self, work: Callable[..., T], *args: Any) -> T:
        """`work(connection, *args)` (one of the update methods), after every write queued before it."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((lambda conn: work(conn, *args), future))
        if self._drain is None or self._drain.done():
            self._drain = loop.create_task(self._run_queue())
        return await future

    async def _run_queue(self) -> None:
        loop = asyncio.get_running_loop()
        while self._queue:
            batch, self._queue = self._queue[:BATCH], self._queue[BATCH:]
            try:
                outcomes = await loop.run_in_executor(self._writer, self._run_batch, [work for work, _ in batch])
            except Exception as exc:  # never leave a request waiting for an answer
                outcomes = [(None, StoreError(f"writer failed: {type(exc).__name__}"))] * len(batch)
            for (_, future), (value, error) in zip(batch, outcomes, strict=True):
                if future.done():  # its request was cancelled; the write itself stands
                    continue
                if error is None:
                    future.set_result(value)
                else:
                    future.set_exception(error)

    def _run_batch(self, works: list[Work]) -> list[Outcome]:
        """On the writer thread: BEGIN IMMEDIATE, a savepoint per write, COMMIT; each write's result or error."""
        outcomes: list[Outcome] = []
        try:
            conn = self._conn = self._conn or self.connect()
            conn.execute("BEGIN IMMEDIATE")
            for work in works:
                conn.execute("SAVEPOINT write")
                try:
                    outcomes.append((work(conn), None))
                except Exception as exc:  # this write alone is undone; its request gets the error
                    conn.execute("ROLLBACK TO write")
                    failed = (
                        StoreError(f"database error: {type(exc).__name__}") if isinstance(exc, sqlite3.Error) else exc
                    )
                    outcomes.append((None, failed))
                conn.execute("RELEASE write")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:  # nothing of the batch is committed; the connection is not trusted again
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            failed = StoreError(f"database error: {type(exc).__name__}")
            return [(None, failed) for _ in works]
        return outcomes

    def stamp_ns(self) -> int:
        """Wall-clock nanoseconds, strictly increasing across writes: taken inside a write, it orders as they commit."""
        self._last_ns = max(time.time_ns(), self._last_ns + 1)
        return self._last_ns

    @contextmanager
    def transaction(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT on `conn` (ROLLBACK on any error), outside the write queue (at start)."""
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"database error: {type(exc).__name__}") from exc

    def initialize(self) -> bool:
        """Create the schema and seed it on first start; True when this call seeded a new database."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            setup = self.connect()
            setup.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database: {type(exc).__name__}") from exc
        with closing(setup), self.transaction(setup) as conn:
            if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
                return False
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            for table, rows in seed.ROWS.items():
                for row in rows:
                    names = ", ".join(f'"{k}"' for k in row)
                    marks = ", ".join("?" for _ in row)
                    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return True

    def update_app(
        self,
        conn: sqlite3.Connection,
        project_id: str,
        instance_id: str,
        app_id: str,
        changes: Mapping[str, Any],
        build: Callable[[dict[str, Any]], T],
        stamp: Callable[[int], str] | None = None,
    ) -> T:
        """Apply `changes` to one app; `build` turns the new row into the response inside the transaction.

        `stamp` makes update_time from `stamp_ns()`, inside the transaction: stored, replied and time order agree."""
        found = conn.execute(
            "SELECT 1 FROM apig_instance WHERE project_id = ? AND instance_id = ?", (project_id, instance_id)
        ).fetchone()
        if found is None:
            raise NotFound("instance", instance_id)
        key = (project_id, instance_id, app_id)
        row = conn.execute("SELECT * FROM apig_app WHERE project_id = ? AND instance_id = ? AND id = ?", key).fetchone()
        if row is None:
            raise NotFound("app", app_id)
        if stamp is not None:
            changes = {**changes, "update_time": stamp(self.stamp_ns())}
        return _apply(conn, "apig_app", dict(row), APP_COLUMNS, changes, build, ("project_id", "instance_id", "id"))

    def update_region(
        self, conn: sqlite3.Connection, region_id: str, changes: Mapping[str, Any], build: Callable[[dict[str, Any]], T]
    ) -> T:
        """Apply `changes` to one region (region_name is not among the writable columns)."""
        row = conn.execute("SELECT * FROM rainbond_region WHERE region_id = ?", (region_id,)).fetchone()
        if row is None:
            raise NotFound("region", region_id)
        return _apply(conn, "rainbond_region", dict(row), REGION_COLUMNS, changes, build, ("region_id",))


def _apply(
    conn: sqlite3.Connection,
    table: str,
    row: dict[str, Any],
    writable: tuple[str, ...],
    changes: Mapping[str, Any],
    build: Callable[[dict[str, Any]], T],
    keys: tuple[str, ...],
) -> T:
    updates = {k: v for k, v in changes.items() if k in writable}
    new = {**row, **updates}
    try:
        result = build(new)
    except Exception as exc:
        raise StoreError(f"stored {table} row cannot be read: {type(exc).__name__}") from exc
    if updates:
        assignments = ", ".join(f'"{k}" = ?' for k in updates)
        where = " AND ".join(f'"{k}" = ?' for k in keys)
        params = (*updates.values(), *(row[k] for k in keys))
        conn.execute(f"UPDATE {table} SET {assignments} WHERE {where}", params)
    return result
