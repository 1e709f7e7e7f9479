"""Fixtures: `reference_server`, one server process per test module on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reference.server import Server, running


@pytest.fixture(scope="module")
def reference_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A running reference server (dev tokens, seeded database) shared by the tests of one module."""
    db: Path = tmp_path_factory.mktemp("reference") / "reference.sqlite3"
    with running(db) as server:
        yield server
