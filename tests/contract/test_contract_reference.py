"""`specfirst contract` against the live reference server: it conforms, every documented status is exercised,
the reports parse, the same seed sends the same requests, and undeclared mutating methods are never sent."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import run_specfirst
from tests.contract.servers import AUTH, HUAWEI, RAINBOND, contract, serving
from tests.reference.server import HUAWEI_READONLY_TOKEN, HUAWEI_TOKEN, RAINBOND_TOKEN, Server, free_port, running

DOCUMENTED = {
    HUAWEI: {"201", "400", "401", "403", "404", "500"},
    RAINBOND: {"200", "400", "401", "404"},
}
SECRETS = (HUAWEI_TOKEN, HUAWEI_READONLY_TOKEN, RAINBOND_TOKEN)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    db: Path = tmp_path_factory.mktemp("contract") / "reference.sqlite3"
    with running(db) as running_server:
        yield running_server  # type: ignore[misc]


@pytest.mark.parametrize("spec", [HUAWEI, RAINBOND])
def test_reference_conforms_and_every_documented_status_is_exercised(spec: str, server: Server, tmp_path: Path) -> None:
    result = contract(spec, server.base_url, report=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms: no failures; 0 documented status(es) not exercised" in result.stdout
    stem = Path(spec).stem
    rows = json.loads((tmp_path / f"{stem}.coverage.json").read_text())
    documented = {r["status"]: r["exercised"] for r in rows if not r.get("undocumented")}
    assert documented == dict.fromkeys(DOCUMENTED[spec], True)
    assert not [r for r in rows if r.get("undocumented")]
    suite = ET.parse(tmp_path / f"{stem}.junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    assert int(suite.get("tests", "0")) == len(suite.findall("testcase")) > 1
    assert "yes" in (tmp_path / f"{stem}.coverage.txt").read_text()
    assert not any(secret in result.stdout for secret in SECRETS)


def _requests(log: Path) -> list[str]:
    return log.read_text().splitlines()


def test_same_seed_sends_the_same_requests(tmp_path: Path) -> None:
    logs = []
    for run in ("a", "b"):
        log = tmp_path / f"{run}.log"
        env = {"FAULTY_REQUEST_LOG": str(log)}
        with serving("tests.contract.faulty.recording", tmp_path / f"{run}.sqlite3", env) as s:
            assert contract(RAINBOND, s.base_url).returncode == 0
        logs.append(_requests(log))
    assert len(logs[0]) > 50
    assert logs[0] == logs[1]


def test_undeclared_mutating_methods_only_with_explicit_opt_in(tmp_path: Path) -> None:
    declared = re.compile(r"^PUT /v2/[^/]+/apigw/instances/[^/]+/apps/[^/]+ ")
    seen = {}
    for optin in (False, True):
        log = tmp_path / f"{optin}.log"
        env = {"FAULTY_REQUEST_LOG": str(log)}
        with serving("tests.contract.faulty.recording", tmp_path / f"{optin}.sqlite3", env) as s:
            extra = ("--allow-unsafe-probes",) if optin else ()
            result = contract(HUAWEI, s.base_url, "--phases", "examples,coverage,fuzzing,probes", *extra)
        seen[optin] = {line.split()[0] for line in _requests(log) if not declared.match(line)}
        assert result.returncode == 0, result.stdout
    assert not seen[False] & {"DELETE", "PATCH", "POST", "PUT"}
    assert {"DELETE", "PATCH", "POST"} <= seen[True]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["contract", "spec/missing.yaml", "--base-url", "http://127.0.0.1:1"], "cannot read"),
        (["contract", HUAWEI, "--base-url", "ftp://x"], "--base-url must be an http(s) URL"),
        (["contract", HUAWEI, "--base-url", "http://127.0.0.1:9", "--header", "novalue"], "'Name: value'"),
        (["contract", HUAWEI, "--base-url", "http://127.0.0.1:9", "--probe", "5000:x=y"], "--probe expects"),
        (["contract", HUAWEI, "--base-url", "http://127.0.0.1:9", "--phases", "nope"], "--phases"),
        (["contract", HUAWEI, "--base-url", "http://127.0.0.1:9", "--max-examples", "0"], "--max-examples"),
        (["contract", HUAWEI], "--base-url"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = run_specfirst(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_unreachable_server_and_invalid_spec_exit_2(tmp_path: Path) -> None:
    port = free_port()
    result = run_specfirst("contract", HUAWEI, "--base-url", f"http://127.0.0.1:{port}", *AUTH[HUAWEI])
    assert result.returncode == 2 and "server not reachable" in result.stderr, result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: {title: x}\npaths: {}\n")
    result = run_specfirst("contract", str(broken), "--base-url", f"http://127.0.0.1:{port}")
    assert result.returncode == 2 and "broken.yaml" in result.stderr and "Traceback" not in result.stderr
