"""Every output format: SARIF valid against the official 2.1.0 schema, JSON, GitHub commands, JUnit XML."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from jsonschema import Draft4Validator, FormatChecker

from specfirst.lint.rules import RULES
from tests.lint.conftest import SEEDED, lint

SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"
GITHUB = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"title=(?P<rule>[A-Za-z0-9$.-]+)::(?P<message>.+)$"
)


@pytest.fixture(scope="module")
def outputs(every_rule: Path) -> dict[str, str]:
    """The seeded specs' report in each format (every rule on)."""
    out = {}
    for fmt in ("text", "sarif", "github", "junit"):
        done = lint(*map(str, SEEDED), "--format", fmt, cwd=every_rule)
        assert done.returncode == 1, done.stderr
        out[fmt] = done.stdout
    return out


def test_json_shape(seeded_json: dict[str, Any]) -> None:
    assert set(seeded_json) == {"findings", "summary"}
    keys = {"file", "line", "col", "severity", "rule", "message", "pointer"}
    assert all(set(f) == keys for f in seeded_json["findings"])
    counts = seeded_json["summary"]
    assert counts["error"] == sum(f["severity"] == "error" for f in seeded_json["findings"]) > 0
    assert counts["warning"] == sum(f["severity"] == "warning" for f in seeded_json["findings"]) > 0


def test_text_is_one_finding_per_line(outputs: dict[str, str], seeded_json: dict[str, Any]) -> None:
    expected = [
        f"{f['file']}:{f['line']}:{f['col']}: {f['severity']} {f['rule']}: {f['message']}"
        for f in seeded_json["findings"]
    ]
    assert outputs["text"].splitlines() == expected


def test_sarif_is_valid_against_the_official_schema(outputs: dict[str, str]) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    log = json.loads(outputs["sarif"])
    errors = sorted(Draft4Validator(schema, format_checker=FormatChecker()).iter_errors(log), key=str)
    assert not errors, errors[0].message


def test_sarif_has_what_github_code_scanning_reads(outputs: dict[str, str], seeded_json: dict[str, Any]) -> None:
    log = json.loads(outputs["sarif"])
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "specfirst"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [r.id for r in RULES]
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in driver["rules"])
    assert len(run["results"]) == len(seeded_json["findings"])
    by_place = {(f["line"], f["col"], f["rule"]) for f in seeded_json["findings"]}
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        (location,) = result["locations"]
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        assert uri in ("tests/lint/specs/violations.yaml", "tests/lint/specs/bare.yaml")  # from the repo root
        region = location["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"], result["ruleId"]) in by_place


def test_github_workflow_commands(outputs: dict[str, str], seeded_json: dict[str, Any]) -> None:
    lines = outputs["github"].splitlines()
    assert len(lines) == len(seeded_json["findings"])
    for line, finding in zip(lines, seeded_json["findings"], strict=True):
        match = GITHUB.match(line)
        assert match, line
        assert match["level"] == {"error": "error", "warning": "warning"}[finding["severity"]]
        assert (int(match["line"]), int(match["col"]), match["rule"]) == (
            finding["line"],
            finding["col"],
            finding["rule"],
        )
        assert match["file"] == finding["file"].replace(":", "%3A").replace(",", "%2C")


def test_junit_one_case_per_rule_one_failure_per_finding(outputs: dict[str, str], seeded_json: dict[str, Any]) -> None:
    root = ET.fromstring(outputs["junit"])
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [r.id for r in RULES]
    assert int(suite.get("tests", "")) == len(cases)
    assert int(suite.get("skipped", "")) == 0  # every rule is on in this run
    failing = [c for c in cases if c.findall("failure")]
    assert int(suite.get("failures", "")) == len(failing)
    failures = [f for c in cases for f in c.findall("failure")]
    assert len(failures) == len(seeded_json["findings"])
    for case in cases:
        for failure in case.findall("failure"):
            assert failure.get("type") in ("error", "warning")
            assert f" {case.get('name')}: " in (failure.text or "")
