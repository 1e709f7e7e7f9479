"""Every rule in the table finds its seeded violation at the marked line, and nothing else is found."""

from __future__ import annotations

import re
from typing import Any

import pytest

from specfirst.lint.rules import RULES
from tests.conftest import ROOT, SPEC_DIR
from tests.lint.conftest import lint, markers

LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info) (?P<rule>[A-Za-z0-9$.-]+): .+$"
)


def _found(report: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {(f["file"].rsplit("/", 1)[-1], f["line"], f["rule"]) for f in report["findings"]}


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_rule_finds_its_seeded_violation_at_its_line(rule: str, seeded_json: dict[str, Any]) -> None:
    expected = {m for m in markers() if m[2] == rule}
    assert expected, f"no seeded violation for {rule}: add one to tests/lint/specs/ with `# expect: {rule}`"
    missing = expected - _found(seeded_json)
    assert not missing, f"{rule} not reported at {sorted(missing)}"


def test_nothing_is_found_but_the_seeded_violations(seeded_json: dict[str, Any]) -> None:
    found, expected = _found(seeded_json), markers()
    assert found - expected == set(), "unexpected findings"
    assert expected - found == set(), "seeded violations not found"


def test_findings_carry_the_rule_severity_and_a_pointer(seeded_json: dict[str, Any]) -> None:
    defaults = {r.id: r.severity.label for r in RULES}
    for finding in seeded_json["findings"]:
        assert finding["severity"] == defaults[finding["rule"]]
        assert finding["col"] >= 1
        assert finding["pointer"] == "" or finding["pointer"].startswith("/")


def test_both_seed_specs_lint_clean() -> None:
    assert sorted(p.name for p in SPEC_DIR.glob("*.yaml")) == ["huawei-apig.yaml", "rainbond-console.yaml"]
    done = lint(cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "2 spec(s), no findings" in done.stderr


@pytest.mark.parametrize("name", ["petstore3.yaml", "train-travel-3.1.yaml"])
def test_corpus_documents_lint_without_a_crash(name: str) -> None:
    spec = ROOT.parent / "shared" / "specs" / name
    done = lint(str(spec), cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines, "a real document has something to say"
    for line in lines:
        assert LINE.match(line), line
