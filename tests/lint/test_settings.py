"""Configuration ([tool.specfirst.lint], x-specfirst-lint-ignore), --fail-on, exit codes and bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.lint.conftest import SPECS, lint, project

BARE = SPECS / "bare.yaml"  # findings: oas3-api-servers and info-contact/license/description, all warnings


def _rules(stdout: str) -> dict[str, str]:
    return {f["rule"]: f["severity"] for f in json.loads(stdout)["findings"]}


def test_defaults_warnings_do_not_fail_but_fail_on_warning_does(tmp_path: Path) -> None:
    folder = project(tmp_path, "[tool.specfirst]\n")
    done = lint(str(BARE), "--format", "json", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert _rules(done.stdout) == dict.fromkeys(
        ["oas3-api-servers", "info-contact", "info-license", "info-description"], "warning"
    )
    assert lint(str(BARE), "--fail-on", "warning", cwd=folder).returncode == 1


def test_fail_on_from_the_settings(tmp_path: Path) -> None:
    folder = project(tmp_path, '[tool.specfirst]\n[tool.specfirst.lint]\nfail_on = "warning"\n')
    assert lint(str(BARE), cwd=folder).returncode == 1
    assert lint(str(BARE), "--fail-on", "error", cwd=folder).returncode == 0


def test_disable_a_rule_and_set_a_severity(tmp_path: Path) -> None:
    toml = '[tool.specfirst]\n[tool.specfirst.lint]\nrules = { info-contact = "off", info-license = "error" }\n'
    done = lint(str(BARE), "--format", "json", cwd=project(tmp_path, toml))
    assert done.returncode == 1, done.stderr
    found = _rules(done.stdout)
    assert "info-contact" not in found
    assert found["info-license"] == "error"
    assert found["info-description"] == "warning"


def test_a_peer_rule_id_names_the_same_rule(tmp_path: Path) -> None:
    rules = 'rules = { no-empty-servers = "off", no-path-trailing-slash = "error" }\n'  # Redocly's ids
    toml = "[tool.specfirst]\n[tool.specfirst.lint]\n" + rules
    done = lint(str(BARE), "--format", "json", cwd=project(tmp_path, toml))
    assert set(_rules(done.stdout)) == {"info-contact", "info-license", "info-description"}


def test_ignore_per_spec_and_pointer_glob(tmp_path: Path) -> None:
    toml = """[tool.specfirst]
[[tool.specfirst.lint.ignore]]
rules = ["info-contact", "info-license"]
spec = "*/bare.yaml"
pointer = "/info*"
reason = "a fixture"
[[tool.specfirst.lint.ignore]]
rules = ["oas3-api-servers"]
spec = "*/other.yaml"
"""
    done = lint(str(BARE), "--format", "json", cwd=project(tmp_path, toml))
    assert set(_rules(done.stdout)) == {"oas3-api-servers", "info-description"}


def test_x_specfirst_lint_ignore_silences_at_and_below_its_node_only(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        """openapi: 3.1.0
info: {title: T, version: "1", description: D, contact: {name: c}, license: {name: MIT}}
servers: [{url: "https://api.lint.test"}]
paths: {}
components:
  x-specfirst-lint-ignore: [spec-components-invalid-map-name]
  schemas:
    Kept:
      type: integer
    Silenced:
      x-specfirst-lint-ignore: [no-unused-components]
      type: integer
    "Bad Name":
      type: integer
""",
        encoding="utf-8",
    )
    done = lint(str(spec), cwd=project(tmp_path / "p", "[tool.specfirst]\n"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [re.sub(r"^\S+:\d+:\d+: ", "", line) for line in lines] == [
        "warning no-unused-components: components.schemas.Kept is never used",
        "warning no-unused-components: components.schemas.Bad Name is never used",
    ]


@pytest.mark.parametrize(
    ("toml", "where"),
    [
        ('[tool.specfirst.lint]\nrules = { no-such-rule = "off" }\n', "rules.no-such-rule: unknown rule"),
        ('[tool.specfirst.lint]\nrules = { info-contact = "loud" }\n', "rules.info-contact: Input should be"),
        ("[tool.specfirst.lint]\ncolour = 1\n", "colour: Extra inputs are not permitted"),
        ('[[tool.specfirst.lint.ignore]]\nrules = ["nope"]\n', "ignore.0.rules.0: unknown rule 'nope'"),
    ],
)
def test_bad_settings_are_one_located_line(tmp_path: Path, toml: str, where: str) -> None:
    done = lint(str(BARE), cwd=project(tmp_path, "[tool.specfirst]\n" + toml))
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert re.match(r"^.*pyproject\.toml:[2-4]:\d+: \[tool\.specfirst\.lint\] ", line), line
    assert where in line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "cannot read"),
        ("openapi: 3.1.0\ninfo: [unclosed\n", "api.yaml:3:1: invalid YAML"),
        ("swagger: '2.0'\ninfo: {title: T, version: '1'}\n", "api.yaml:1:1: not an OpenAPI 3 document"),
    ],
)
def test_bad_input_is_exit_2_and_one_located_line(tmp_path: Path, text: str | None, expected: str) -> None:
    spec = tmp_path / "api.yaml"
    if text is not None:
        spec.write_text(text, encoding="utf-8")
    done = lint(str(spec), cwd=project(tmp_path / "p", "[tool.specfirst]\n"))
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert expected in line
    assert "Traceback" not in done.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    done = lint(str(BARE), "--format", "xml", cwd=project(tmp_path, "[tool.specfirst]\n"))
    assert done.returncode == 2
    assert "invalid choice: 'xml'" in done.stderr


def test_junit_marks_the_rules_that_are_off_as_skipped(tmp_path: Path) -> None:
    from xml.etree import ElementTree as ET

    from specfirst.lint.rules import RULES

    done = lint(str(BARE), "--format", "junit", cwd=project(tmp_path, "[tool.specfirst]\n"))
    suite = ET.fromstring(done.stdout).find("testsuite")
    assert suite is not None
    skipped = [c.get("name") for c in suite.findall("testcase") if c.find("skipped") is not None]
    assert skipped == [r.id for r in RULES if not r.enabled] == ["openapi-tags", "oas3-schema"]
    assert suite.get("skipped") == "2"
