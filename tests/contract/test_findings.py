"""Findings a person can act on: one group per root cause, curls that reproduce, honest coverage, JUnit per
(operation, check), sensitive fields checked without being shown, and edge cases sent whatever the seed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.servers import HUAWEI, RAINBOND, contract, serving
from tests.reference.server import HUAWEI_READONLY_TOKEN, HUAWEI_TOKEN, RAINBOND_TOKEN, Server

SECRETS = (HUAWEI_TOKEN, HUAWEI_READONLY_TOKEN, RAINBOND_TOKEN)
VARIABLES = {
    "SPECFIRST_HEADER_X_AUTH_TOKEN": HUAWEI_TOKEN,
    "SPECFIRST_READONLY_HEADER_X_AUTH_TOKEN": HUAWEI_READONLY_TOKEN,
    "SPECFIRST_HEADER_AUTHORIZATION": RAINBOND_TOKEN,
}
STEM = Path(HUAWEI).stem


@pytest.fixture(scope="module")
def three_causes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.CompletedProcess[str], Path]]:
    tmp = tmp_path_factory.mktemp("three-causes")
    with serving("tests.contract.faulty.three_causes", tmp / "ref.sqlite3") as server:  # kept up for the curls
        yield contract(HUAWEI, server.base_url, "--max-examples", "10", report=tmp / "report"), tmp / "report"


def test_three_causes_give_exactly_three_groups(three_causes: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    result, report = three_causes
    assert result.returncode == 1, result.stdout + result.stderr
    groups = json.loads((report / f"{STEM}.failures.json").read_text())
    assert sorted(g["check"] for g in groups) == ["no_internal_leak", "response_schema_conformance", "update_applied"]
    assert sum(g["count"] for g in groups) > 3  # each cause was seen more than once, and counted once
    assert all(1 <= len(g["examples"]) <= 3 for g in groups)
    assert re.search(r"^3\. \[", result.stdout, re.M) and not re.search(r"^4\. \[", result.stdout, re.M)
    assert not any(secret in result.stdout for secret in SECRETS)


def _curl() -> str:
    found = shutil.which("curl")
    if found is None:  # the test needs the real curl a person would paste into
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "curl"], check=True)
        found = shutil.which("curl")
    assert found is not None
    return found


def test_printed_curls_reproduce(three_causes: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _curl()
    result, _ = three_causes
    lines = result.stdout.splitlines()
    pairs = [
        (int(m[1]), lines[i + 1].strip())
        for i, line in enumerate(lines)
        if (m := re.fullmatch(r"\s*reproduce \(got (\d+)\):", line))
    ]
    assert len(pairs) >= 3
    assert any("${SPECFIRST_HEADER_X_AUTH_TOKEN}" in command for _, command in pairs)
    env = {**os.environ, **VARIABLES}
    for status, command in pairs:
        got = subprocess.run(
            ["bash", "-c", command + " -s -o /dev/null -w '%{http_code}'"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert got.stdout == str(status), (command, got.stdout, got.stderr)


Run = tuple[subprocess.CompletedProcess[str], Path]


def test_junit_one_testcase_per_operation_and_check(three_causes: Run) -> None:
    _, report = three_causes
    suite = ET.parse(report / f"{STEM}.junit.xml").getroot().find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    pairs = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(pairs) == len(set(pairs)) == int(suite.get("tests", "0"))
    operation = "PUT /v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}"
    names = {name for classname, name in pairs if classname == operation}
    assert {"not_a_server_error", "update_applied", "no_internal_leak", "auth_probe", "edge_cases"} <= names
    failures = {(c.get("name")): len(c.findall("failure")) for c in cases if c.findall("failure")}
    assert failures == {"no_internal_leak": 1, "response_schema_conformance": 1, "update_applied": 1}
    assert suite.get("failures") == "3"


def test_html_404_is_seen_but_not_conforming(tmp_path: Path) -> None:
    with serving("tests.contract.faulty.html_404", tmp_path / "ref.sqlite3") as server:
        result = contract(HUAWEI, server.base_url, "--max-examples", "5", report=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    rows = json.loads((tmp_path / f"{STEM}.coverage.json").read_text())
    row = next(r for r in rows if r["status"] == "404")
    assert row["seen"] > 0 and row["conforming"] == 0 and row["exercised"] is False
    assert all(r["exercised"] for r in rows if r["status"] != "404")
    assert "1 documented status(es) not exercised" in result.stdout


@pytest.mark.parametrize(
    ("fault", "spec", "field", "how"),
    [
        ("secret_dropped_clear", RAINBOND, "token", "the echo"),
        ("secret_masked_stale", HUAWEI, "app_secret", "the masked echo"),
    ],
)
def test_sensitive_field_not_applied_is_found_without_printing_it(
    fault: str, spec: str, field: str, how: str, tmp_path: Path
) -> None:
    with serving(f"tests.contract.faulty.{fault}", tmp_path / "ref.sqlite3") as server:
        result = contract(spec, server.base_url, "--phases", "examples,edges", report=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{field}: sensitive; {how} does not agree with the value sent (values not shown)" in result.stdout
    groups = json.loads((tmp_path / f"{Path(spec).stem}.failures.json").read_text())
    assert [g["check"] for g in groups] == ["update_applied"]
    for example in groups[0]["examples"]:
        body = json.loads(re.search(r"--data-binary '(.*)'$", example["curl"])[1])  # type: ignore[index]
        assert isinstance(body[field], str | None)  # the curl carries the value as sent ...
        if isinstance(body[field], str) and len(body[field]) >= 3:
            assert body[field] not in example["message"]  # ... the message never does


def test_reference_passes_the_sensitive_checks(tmp_path: Path) -> None:
    with serving("tests.contract.faulty.recording", tmp_path / "ref.sqlite3") as server:
        for spec in (HUAWEI, RAINBOND):
            result = contract(spec, server.base_url, "--phases", "examples,edges")
            assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def crashing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving("tests.contract.faulty.crash_on_non_ascii", tmp_path_factory.mktemp("crash") / "r.sqlite3") as s:
        yield s


@pytest.mark.parametrize("seed", ["1", "2", "3", "4", "5"])
def test_crash_on_non_ascii_is_caught_whatever_the_seed(seed: str, crashing: Server) -> None:
    result = contract(HUAWEI, crashing.base_url, "--phases", "examples,coverage,fuzzing,edges", "--max-examples", "2",
                      "--seed", seed)  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[not_a_server_error]" in result.stdout


def test_the_edge_cases_alone_catch_the_crash(crashing: Server) -> None:
    result = contract(HUAWEI, crashing.base_url, "--phases", "examples,edges")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[not_a_server_error]" in result.stdout and "(name as non-ASCII text)" in result.stdout
