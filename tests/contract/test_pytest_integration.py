"""Schemathesis' own pytest integration over spec/: `@schema.parametrize()` and `case.call_and_validate()` live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

import specfirst.contract.checks  # noqa: F401  (registers specfirst's own checks: they run here too)
from tests.conftest import SPEC_DIR
from tests.reference.server import HUAWEI_TOKEN, RAINBOND_TOKEN, Server, running

CONFIG = schemathesis.Config.from_dict({"seed": 7, "generation": {"max-examples": 10, "database": "none"}})
huawei = schemathesis.openapi.from_path(SPEC_DIR / "huawei-apig.yaml", config=CONFIG)
rainbond = schemathesis.openapi.from_path(SPEC_DIR / "rainbond-console.yaml", config=CONFIG)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db: Path = tmp_path_factory.mktemp("st-pytest") / "reference.sqlite3"
    with running(db) as running_server:
        yield running_server


@huawei.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_huawei_conforms(case: schemathesis.Case, server: Server) -> None:
    case.call_and_validate(base_url=server.base_url, headers={"X-Auth-Token": HUAWEI_TOKEN})


@rainbond.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_rainbond_conforms(case: schemathesis.Case, server: Server) -> None:
    case.call_and_validate(base_url=server.base_url, headers={"Authorization": RAINBOND_TOKEN})
