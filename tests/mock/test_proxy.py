"""`specfirst proxy` between a generated client and the reference server: faults caught from real traffic,
--enforce refuses invalid requests without forwarding them, and the reports are written on SIGTERM."""

from __future__ import annotations

import json
import signal
from xml.etree import ElementTree as ET

import httpx
import pytest

from tests.conftest import import_generated
from tests.contract.servers import serving as serving_module
from tests.mock.servers import HUAWEI, HUAWEI_APP, HUAWEI_APPS, HUAWEI_TOKEN, start

PROJECT = "0b6fb3f5a1a34c2e9f3f0c3e5d8f2a1b"
INSTANCE = "eddc4d25480b4cd6b512f270a1b8b341"


def _client():
    return import_generated(HUAWEI.parents[1] / "generated", "huawei_apig.client", "huawei_apig.models")


def test_the_proxy_catches_a_faulty_server_from_client_traffic_and_reports_on_sigterm(tmp_path):
    client_mod, models = _client()
    report = tmp_path / "report"
    with serving_module("tests.contract.faulty.update_not_applied", tmp_path / "ref.sqlite3") as upstream:
        proxy = start("proxy", str(HUAWEI), "--upstream", upstream.base_url, "--report", str(report))
        try:
            with client_mod.Client(proxy.url, token=HUAWEI_TOKEN) as client:
                sent = models.AppCreate(name="app_proxy", remark="a new remark")
                answer = client.update_app(PROJECT, INSTANCE, HUAWEI_APP, body=sent)
                assert answer.name == "app_proxy"  # the client got the server's answer through the proxy
        finally:
            code = proxy.stop(signal.SIGTERM)
    assert code == 1, proxy.log()
    lines = [line for line in proxy.log().splitlines() if "update_applied" in line]
    assert len(lines) == 1, proxy.log()
    assert "remark" in lines[0] and "curl -X PUT" in lines[0] and "[masked]" in lines[0]
    assert HUAWEI_TOKEN not in proxy.log()
    data = json.loads((report / "report.json").read_text())
    assert [v["check"] for v in data["violations"]] == ["update_applied"]
    assert HUAWEI_TOKEN not in (report / "report.json").read_text()
    suite = ET.parse(report / "junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    assert [f.get("type") for f in suite.iter("failure")] == ["update_applied"]
    assert any(r["status"] == "201" and r["exercised"] for r in data["coverage"])
    assert "201" in (report / "coverage.txt").read_text()


def test_a_healthy_server_through_the_proxy_gives_no_violation(tmp_path):
    client_mod, models = _client()
    with serving_module("tests.contract.faulty.recording", tmp_path / "ref.sqlite3") as upstream:
        proxy = start("proxy", str(HUAWEI), "--upstream", upstream.base_url)
        try:
            with client_mod.Client(proxy.url, token=HUAWEI_TOKEN) as client:
                body = models.AppCreate(name="app_healthy", remark="kept")
                assert client.update_app(PROJECT, INSTANCE, HUAWEI_APP, body=body).remark == "kept"
        finally:
            code = proxy.stop(signal.SIGINT)
    assert code == 0, proxy.log()
    assert "0 distinct violation(s)" in "".join(proxy.stdout)


@pytest.mark.parametrize("enforce", [True, False], ids=["enforce", "report-only"])
def test_enforce_refuses_an_invalid_request_without_forwarding_it(tmp_path, enforce):
    seen = tmp_path / "requests.log"
    env = {"FAULTY_REQUEST_LOG": str(seen)}
    with serving_module("tests.contract.faulty.recording", tmp_path / "ref.sqlite3", env) as upstream:
        options = ["--max-body", "4096", *(["--enforce"] if enforce else [])]
        proxy = start("proxy", str(HUAWEI), "--upstream", upstream.base_url, *options)
        try:
            url = f"{proxy.url}{HUAWEI_APPS}/{HUAWEI_APP}"
            auth = {"X-Auth-Token": HUAWEI_TOKEN}
            big = httpx.put(
                url, content=b"x" * 100_000, headers={**auth, "content-type": "application/json"}, timeout=30
            )
            assert big.status_code == 400 and big.json()["error_code"] == "APIG.2012"  # bounded, never forwarded
            invalid = httpx.put(url, json={"name": "ab"}, headers=auth, timeout=30)
            forwarded = seen.read_text() if seen.exists() else ""
        finally:
            proxy.stop()
    assert invalid.status_code == 400 and invalid.json()["error_code"] == "APIG.2012"
    assert invalid.headers["x-specfirst-violation"].startswith("negative_data_rejection:")
    assert ("PUT" in forwarded) is not enforce  # refused by the proxy, or answered by the server
