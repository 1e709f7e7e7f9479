"""SQLite storage: schema, first-start seed, and the two updates, each in one IMMEDIATE transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
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


class Store:
    """One SQLite file. Every call opens its own connection, so worker threads never share one."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on any error): writers are serialized, nothing is lost."""
        try:
            conn = self.connect()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database: {type(exc).__name__}") from exc
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
        finally:
            conn.close()

    def initialize(self) -> bool:
        """Create the schema and seed it on first start; True when this call seeded a new database."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = self.connect()
            conn.execute("PRAGMA journal_mode = WAL")
            conn.close()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database: {type(exc).__name__}") from exc
        with self.transaction() as conn:
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
        project_id: str,
        instance_id: str,
        app_id: str,
        changes: Mapping[str, Any],
        build: Callable[[dict[str, Any]], T],
    ) -> T:
        """Apply `changes` to one app; `build` turns the new row into the response inside the transaction."""
        with self.transaction() as conn:
            found = conn.execute(
                "SELECT 1 FROM apig_instance WHERE project_id = ? AND instance_id = ?", (project_id, instance_id)
            ).fetchone()
            if found is None:
                raise NotFound("instance", instance_id)
            key = (project_id, instance_id, app_id)
            row = conn.execute(
                "SELECT * FROM apig_app WHERE project_id = ? AND instance_id = ? AND id = ?", key
            ).fetchone()
            if row is None:
                raise NotFound("app", app_id)
            return _apply(conn, "apig_app", dict(row), APP_COLUMNS, changes, build, ("project_id", "instance_id", "id"))

    def update_region(self, region_id: str, changes: Mapping[str, Any], build: Callable[[dict[str, Any]], T]) -> T:
        """Apply `changes` to one region (region_name is not among the writable columns)."""
        with self.transaction() as conn:
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
