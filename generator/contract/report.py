"""The outputs of a run: a readable summary, JUnit XML, and the operation x documented-status coverage table."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from ..contract.results import Finding, Results
from ..contract.target import SpecFacts


def coverage(facts: SpecFacts, results: Results) -> list[dict[str, object]]:
    """One row per operation and documented status: exercised or not."""
    rows: list[dict[str, object]] = []
    for label, op in sorted(facts.operations.items()):
        seen = results.statuses.get(label, set())
        for status in op.statuses:
            hit = any(_matches(status, s) for s in seen)
            rows.append({"operation": label, "status": status, "exercised": hit})
        for code in sorted(seen):
            if not any(_matches(s, code) for s in op.statuses):
                rows.append({"operation": label, "status": str(code), "exercised": True, "undocumented": True})
    return rows


def _matches(documented: str, status: int) -> bool:
    documented = documented.upper()
    if documented == "DEFAULT":
        return True
    return len(documented) == 3 and all(d in ("X", s) for d, s in zip(documented, str(status), strict=True))


def coverage_text(rows: list[dict[str, object]]) -> str:
    """The coverage table as aligned text."""
    width = max([len(str(r["operation"])) for r in rows] + [9])
    lines = [f"{'operation':<{width}}  status  exercised"]
    for r in rows:
        mark = "yes" if r["exercised"] else "NO"
        extra = "  (undocumented)" if r.get("undocumented") else ""
        lines.append(f"{r['operation']!s:<{width}}  {r['status']!s:<6}  {mark}{extra}")
    return "\n".join(lines)


def summary(facts: SpecFacts, results: Results, seed: int, rows: list[dict[str, object]]) -> str:
    """What a person reads on stdout."""
    findings = results.sorted_findings()
    phases = ", ".join(f"{k} {v}" for k, v in sorted(results.per_phase.items()))
    out = [f"specfirst contract {facts.doc.display}: {results.cases} requests ({phases}), seed {seed}", ""]
    for i, f in enumerate(findings, 1):
        seen = results.occurrences.get(f.key, 1)
        out += [f"{i}. [{f.check}] {f.operation}: {f.title}" + (f" (seen {seen} times)" if seen > 1 else "")]
        out += [f"   {line}" for line in f.message.strip().splitlines() if line.strip()]
        if f.curl:
            out += ["   reproduce:"] + [f"     {line}" for line in f.curl.splitlines()]
        out.append("")
    out += [coverage_text(rows), ""]
    out += [f"note: {n}" for n in results.notes]
    missed = sum(1 for r in rows if not r["exercised"])
    checks = sorted({f.check for f in findings})
    verdict = f"{len(findings)} distinct failure(s) ({', '.join(checks)})" if findings else "conforms: no failures"
    out.append(f"{verdict}; {missed} documented status(es) not exercised")
    return "\n".join(out)


def junit(facts: SpecFacts, results: Results, rows: list[dict[str, object]]) -> bytes:
    """JUnit XML: one test case per operation; each distinct failure a <failure> in it."""
    findings = results.sorted_findings()
    suite = ET.Element(
        "testsuite",
        name=f"specfirst contract {facts.doc.display}",
        tests=str(len(facts.operations)),
        failures=str(len(findings)),
        errors="0",
    )
    for label in sorted(facts.operations):
        case = ET.SubElement(suite, "testcase", classname=facts.doc.display, name=label)
        for f in (f for f in findings if f.operation == label):
            failure = ET.SubElement(case, "failure", type=f.check, message=f"{f.check}: {f.title}")
            failure.text = f"{f.message}\n\nReproduce:\n{f.curl}"
        covered = [f"{r['status']}={'yes' if r['exercised'] else 'no'}" for r in rows if r["operation"] == label]
        ET.SubElement(case, "system-out").text = "documented statuses exercised: " + ", ".join(covered)
    other = [f for f in findings if f.operation not in facts.operations]
    if other:
        case = ET.SubElement(suite, "testcase", classname=facts.doc.display, name="(whole run)")
        for f in other:
            ET.SubElement(case, "failure", type=f.check, message=f"{f.check}: {f.title}").text = f.message
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    data: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return data


def write(directory: Path, facts: SpecFacts, results: Results, rows: list[dict[str, object]]) -> list[Path]:
    """Write junit.xml, coverage.txt and coverage.json (per spec, named after it) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = facts.doc.path.stem
    files = {
        directory / f"{stem}.junit.xml": junit(facts, results, rows),
        directory / f"{stem}.coverage.txt": (coverage_text(rows) + "\n").encode(),
        directory / f"{stem}.coverage.json": (json.dumps(rows, indent=2) + "\n").encode(),
        directory / f"{stem}.failures.json": (
            json.dumps([_as_dict(f) for f in results.sorted_findings()], indent=2, ensure_ascii=False) + "\n"
        ).encode(),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return sorted(files)


def _as_dict(f: Finding) -> dict[str, str]:
    return {"check": f.check, "operation": f.operation, "title": f.title, "message": f.message, "curl": f.curl}
