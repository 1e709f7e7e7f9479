"""Pointing `specfirst contract` at a real server: a fixture id (--path-param), data safety (notices, --readonly,
snapshot and restore, a destroyed resource stops the run) and the diagnostic of a run refused with 401."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_specfirst
from tests.contract.servers import HUAWEI, RAINBOND, contract, serving, with_get
from tests.reference.server import REGION_ID

FIXTURE_ID = "disposable-fixture-0001"
MUTATING = {"DELETE", "PATCH", "POST", "PUT"}


def _row(db: Path, region_id: str) -> tuple[object, ...]:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT * FROM rainbond_region WHERE region_id = ?", (region_id,)).fetchone()
    assert row is not None
    return tuple(row)


def _log(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_path_param_targets_a_fixture_that_is_not_the_example(tmp_path: Path) -> None:
    db, log = tmp_path / "ref.sqlite3", tmp_path / "requests.log"
    with serving("tests.contract.faulty.recording", db, {"FAULTY_REQUEST_LOG": str(log)}) as server:
        with sqlite3.connect(db) as conn:
            conn.execute(
                "INSERT INTO rainbond_region SELECT ?, region_name, region_alias, url, token, wsurl, httpdomain, "
                "tcpdomain, scope, ssl_ca_cert, cert_file, key_file, status, desc FROM rainbond_region "
                "WHERE region_id = ?",
                (FIXTURE_ID, REGION_ID),
            )
        example_before, fixture_before = _row(db, REGION_ID), _row(db, FIXTURE_ID)
        result = contract(RAINBOND, server.base_url, "--path-param", f"region_id={FIXTURE_ID}", "--max-examples", "5")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"will change data on the target (region_id={FIXTURE_ID})" in result.stdout
    assert _row(db, REGION_ID) == example_before  # the spec's example resource was never touched
    assert _row(db, FIXTURE_ID) != fixture_before  # the fixture was
    puts = [line for line in _log(log) if line.startswith("PUT ")]
    assert any(FIXTURE_ID in line for line in puts)
    assert not any(REGION_ID in line for line in puts)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--path-param", "region=1", "no operation has a path parameter 'region'"),
        ("--path-param", "update_region:app_id=1", "has no path parameter 'app_id'"),
        ("--path-param", "nosuch:region_id=1", "no operationId 'nosuch'"),
        ("--probe", "404:regionid=x", "no operation has a parameter 'regionid'"),
    ],
)
def test_unknown_names_exit_2(option: str, value: str, message: str) -> None:
    result = run_specfirst("contract", RAINBOND, "--base-url", "http://127.0.0.1:9", option, value)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_readonly_sends_no_mutating_method(tmp_path: Path) -> None:
    spec, log = with_get(tmp_path), tmp_path / "requests.log"
    with serving("tests.contract.faulty.with_get", tmp_path / "ref.sqlite3", {"FAULTY_REQUEST_LOG": str(log)}) as s:
        result = contract(str(spec), s.base_url, "--readonly", "--max-examples", "5", auth=RAINBOND)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "data safety: PUT /openapi/v2/manage/regions/{region_id} skipped (--readonly)" in result.stdout
    methods = {line.split()[0] for line in _log(log)}
    assert "GET" in methods and not methods & MUTATING, methods


def test_snapshot_before_and_restore_after(tmp_path: Path) -> None:
    spec, db, log = with_get(tmp_path), tmp_path / "ref.sqlite3", tmp_path / "requests.log"
    with serving("tests.contract.faulty.with_get", db, {"FAULTY_REQUEST_LOG": str(log)}) as server:
        before = _row(db, REGION_ID)
        result = contract(str(spec), server.base_url, "--max-examples", "5", auth=RAINBOND)
        after = _row(db, REGION_ID)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sum(line.startswith("PUT ") for line in _log(log)) > 20  # the run did rewrite the region
    assert "restore: PUT /openapi/v2/manage/regions/{region_id}: the 12 field(s) read before the run are back" in (
        result.stdout
    )
    assert after == before


def test_undeclared_delete_answered_2xx_is_reported_as_data_destroyed_and_stops(tmp_path: Path) -> None:
    log = tmp_path / "requests.log"
    env = {"FAULTY_REQUEST_LOG": str(log)}
    with serving("tests.contract.faulty.delete_destroys", tmp_path / "r.sqlite3", env) as s:
        result = contract(RAINBOND, s.base_url, "--allow-unsafe-probes", "--phases", "coverage,probes")
    assert result.returncode == 1, result.stdout + result.stderr
    destroyed = [line for line in result.stdout.splitlines() if line.startswith("DATA DESTROYED")]
    assert len(destroyed) == 1 and "DELETE /openapi/v2/manage/regions/" in destroyed[0], result.stdout
    assert "DATA DESTROYED" in result.stderr
    requests = _log(log)
    assert requests[-1].startswith("DELETE "), requests[-5:]  # nothing was sent after it


def test_every_request_refused_with_401_exits_2_with_the_diagnostic(tmp_path: Path) -> None:
    with serving("tests.contract.faulty.refuses_everything", tmp_path / "r.sqlite3") as server:
        result = contract(HUAWEI, server.base_url)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip() == (
        "every request was refused with 401: check --token (the spec's scheme sends it in header X-Auth-Token)"
    )
