"""The findings as text, JSON, SARIF 2.1.0 (GitHub code scanning), GitHub workflow commands or JUnit XML."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

from .. import __version__
from .model import Finding, Rule, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(
    fmt: str, findings: Sequence[Finding], rules: Sequence[Rule], uris: dict[str, str], active: frozenset[str]
) -> str:
    """The whole report in `fmt`; `uris` maps each finding's file to its path from the repository root."""
    if fmt == "json":
        return json.dumps({"findings": [_json(f) for f in findings], "summary": summary(findings)}, indent=2)
    if fmt == "sarif":
        return json.dumps(sarif(findings, rules, uris), indent=2)
    if fmt == "github":
        return "\n".join(_github(f) for f in findings)
    if fmt == "junit":
        return junit(findings, rules, active)
    return "\n".join(str(f) for f in findings)


def summary(findings: Sequence[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    return {s.label: sum(1 for f in findings if f.severity is s) for s in sorted(Severity, reverse=True)}


def _json(f: Finding) -> dict[str, object]:
    return {
        "file": f.file,
        "line": f.line,
        "col": f.col,
        "severity": f.severity.label,
        "rule": f.rule,
        "message": f.message,
        "pointer": f.pointer,
    }


def sarif(findings: Sequence[Finding], rules: Sequence[Rule], uris: dict[str, str]) -> dict[str, object]:
    """One SARIF 2.1.0 log with one run; every rule described, every finding located in its file."""
    index = {rule.id: i for i, rule in enumerate(rules)}
    descriptors = [
        {
            "id": rule.id,
            "name": rule.id,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": f"{rule.summary} ({_origin(rule)})"},
            "help": {"text": f"{rule.id}: {rule.summary}. Origin: {_origin(rule)}.", "markdown": _help_md(rule)},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity], "enabled": rule.enabled},
            "properties": {"tags": ["openapi", rule.origin]},
        }
        for rule in rules
    ]
    results = [
        {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(uris.get(f.file, f.file), safe="/")},
                        "region": {"startLine": f.line, "startColumn": f.col},
                    }
                }
            ],
            "partialFingerprints": {"specfirstPointer/v1": f"{f.rule}:{f.pointer}"},
        }
        for f in findings
        if f.rule in index
    ]
    driver = {
        "name": "specfirst",
        "semanticVersion": __version__,
        "rules": descriptors,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def _origin(rule: Rule) -> str:
    return {
        "spectral": "also in Spectral's spectral:oas",
        "redocly": "also in Redocly's recommended ruleset",
        "both": "also in Spectral's spectral:oas and Redocly's recommended ruleset",
    }.get(rule.origin, "specfirst's own rule")


def _help_md(rule: Rule) -> str:
    default = rule.severity.label if rule.enabled else f"off (when enabled: {rule.severity.label})"
    return (
        f"**{rule.id}**: {rule.summary}.\n\nDefault severity: {default}; {_origin(rule)}. Silence it at a node "
        f"with `x-specfirst-lint-ignore: [{rule.id}]`, or configure it in `[tool.specfirst.lint]`."
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(f: Finding) -> str:
    props = f"file={_escape_property(f.file)},line={f.line},col={f.col},title={_escape_property(f.rule)}"
    return f"::{_GITHUB[f.severity]} {props}::{_escape_data(f.message)}"


def junit(findings: Sequence[Finding], rules: Sequence[Rule], active: frozenset[str]) -> str:
    """JUnit XML: one test case per rule (skipped when it is off), one failure element per finding of it."""
    suites = ET.Element("testsuites", name="specfirst lint")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="specfirst lint",
        tests=str(len(rules)),
        failures=str(len({f.rule for f in findings})),
        errors="0",
        skipped=str(sum(1 for rule in rules if rule.id not in active)),
    )
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    for rule in rules:
        case = ET.SubElement(suite, "testcase", name=rule.id, classname="specfirst.lint")
        if rule.id not in active:
            ET.SubElement(case, "skipped", message="rule is off")
        for f in by_rule.get(rule.id, []):
            failure = ET.SubElement(case, "failure", message=f"{f.file}:{f.line}:{f.col}: {f.message}")
            failure.set("type", f.severity.label)
            failure.text = str(f)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def repo_uris(files: dict[str, Path]) -> dict[str, str]:
    """Each shown file name -> its path from the root of the git repository holding it (posix)."""
    out = {}
    for shown, path in files.items():
        resolved = path.resolve()
        root = next((p for p in resolved.parents if (p / ".git").exists()), None)
        out[shown] = resolved.relative_to(root).as_posix() if root else shown.replace("\\", "/")
    return out
