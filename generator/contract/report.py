"""The outputs of a run: a readable summary, JUnit XML, the operation x documented-status coverage table
(responses seen, and how many conformed), the failures by root cause, and the shard file contract-merge reads."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ..contract.curl import variables_note
from ..contract.results import Finding, Group, Results
from ..contract.target import SpecFacts

RUN_FORMAT = 1


def coverage(facts: SpecFacts, results: Results) -> list[dict[str, object]]:
    """One row per operation and documented status: responses seen, how many conformed; exercised = conformed."""
    rows: list[dict[str, object]] = []
    for label, op in sorted(facts.operations.items()):
        seen = results.seen.get(label, {})
        good = results.conforming.get(label, {})
        for status in op.statuses:
            n = sum(c for s, c in seen.items() if _matches(status, s) and _best(op.statuses, s) == status)
            ok = sum(c for s, c in good.items() if _matches(status, s) and _best(op.statuses, s) == status)
            rows.append({"operation": label, "status": status, "seen": n, "conforming": ok, "exercised": ok > 0})
        for code in sorted(seen):
            if not any(_matches(s, code) for s in op.statuses):
                ok = good.get(code, 0)
                row = {"operation": label, "status": str(code), "seen": seen[code], "conforming": ok}
                rows.append({**row, "exercised": True, "undocumented": True})
    return rows


def _best(documented: Sequence[str], status: int) -> str | None:
    """The documented entry a status belongs to: exact code, then 2XX-style range, then default."""
    for want in (str(status), f"{str(status)[0]}XX", "DEFAULT"):
        for entry in documented:
            if entry.upper() == want:
                return entry
    return None


def _matches(documented: str, status: int) -> bool:
    documented = documented.upper()
    if documented == "DEFAULT":
        return True
    return len(documented) == 3 and all(d in ("X", s) for d, s in zip(documented, str(status), strict=True))


def coverage_text(rows: list[dict[str, object]]) -> str:
    """The coverage table as aligned text."""
    width = max([len(str(r["operation"])) for r in rows] + [9])
    lines = [f"{'operation':<{width}}  status  {'seen':>5}  {'conforming':>10}  exercised"]
    for r in rows:
        mark = "yes" if r["exercised"] else "NO"
        extra = "  (undocumented)" if r.get("undocumented") else ""
        seen, ok = r.get("seen", "-"), r.get("conforming", "-")
        lines.append(f"{r['operation']!s:<{width}}  {r['status']!s:<6}  {seen!s:>5}  {ok!s:>10}  {mark}{extra}")
    return "\n".join(lines)


def _status(status: int | None) -> str:
    return "no answer" if status is None else str(status)


def summary(
    facts: SpecFacts,
    results: Results,
    seed: int,
    rows: list[dict[str, object]],
    restored: Sequence[str] = (),
    variables: Mapping[str, str] | None = None,
    shard: tuple[int, int] | None = None,
) -> str:
    """What a person reads on stdout: one entry per root cause, with its count and a few reproducing curls."""
    groups = results.sorted_groups()
    phases = ", ".join(f"{k} {v}" for k, v in sorted(results.per_phase.items()))
    where = f", shard {shard[0]}/{shard[1]}" if shard else ""
    out = [f"specfirst contract {facts.doc.display}: {results.cases} requests ({phases}), seed {seed}{where}", ""]
    out += [*results.destroyed, ""] if results.destroyed else []
    for i, g in enumerate(groups, 1):
        seen = f" (seen {g.count} times)" if g.count > 1 else ""
        out += [f"{i}. [{g.check}] {g.operation}: {g.title} -> {_status(g.status)}{seen}"]
        first = g.examples[0] if g.examples else None
        if first is not None:
            out += [f"   {line}" for line in first.message.strip().splitlines() if line.strip()]
        for example in g.examples:
            if example.curl:
                out += [f"   reproduce (got {_status(example.status)}):", f"     {example.curl}"]
        out.append("")
    out += [coverage_text(rows), ""]
    out += [f"note: {n}" for n in results.notes]
    out += list(restored)
    note = variables_note(variables or {})
    if note and groups:
        out.append(f"note: {note}")
    missed = sum(1 for r in rows if not r["exercised"])
    if groups:
        checks = sorted({g.check for g in groups})
        failing = sum(g.count for g in groups)
        verdict = f"{len(groups)} cause(s) of failure ({', '.join(checks)}) in {failing} failing check(s)"
    else:
        verdict = "conforms: no failures"
    out.append(f"{verdict}; {missed} documented status(es) not exercised")
    return "\n".join(out)


def _failure_text(g: Group) -> str:
    parts = [f"seen {g.count} time(s); status {_status(g.status)}"]
    for example in g.examples:
        parts += ["", example.message.strip(), f"Reproduce (got {_status(example.status)}):", example.curl]
    return "\n".join(parts)


def junit(facts: SpecFacts, results: Results, rows: list[dict[str, object]]) -> bytes:
    """JUnit XML: one test case per (operation, check); one <failure> per root cause in it."""
    groups = results.sorted_groups()
    cases: dict[tuple[str, str], list[Group]] = {}
    for label, names in results.checks.items():
        for name in names:
            cases.setdefault((label, name), [])
    for g in groups:
        cases.setdefault((g.operation or "(whole run)", g.check), []).append(g)
    suite = ET.Element(
        "testsuite",
        name=f"specfirst contract {facts.doc.display}",
        tests=str(len(cases)),
        failures=str(len(groups)),
        errors="0",
    )
    for (label, check), found in sorted(cases.items()):
        case = ET.SubElement(suite, "testcase", classname=label, name=check)
        for g in found:
            failure = ET.SubElement(case, "failure", type=g.check, message=f"{g.check}: {g.title}")
            failure.text = _failure_text(g)
    coverage_case = ET.SubElement(suite, "system-out")
    coverage_case.text = coverage_text(rows)
    suite.set("tests", str(len(cases)))
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    data: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return data


def _group_dict(g: Group) -> dict[str, Any]:
    return {
        "check": g.check,
        "operation": g.operation,
        "title": g.title,
        "status": g.status,
        "count": g.count,
        "examples": [{"message": e.message, "status": e.status, "curl": e.curl} for e in g.examples],
    }


def write(
    directory: Path,
    facts: SpecFacts,
    results: Results,
    rows: list[dict[str, object]],
    seed: int | None = None,
    shard: tuple[int, int] | None = None,
) -> list[Path]:
    """Write junit.xml, coverage.txt, coverage.json, failures.json and run.json (per spec, named after it)."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = facts.doc.path.stem
    run = {"format": RUN_FORMAT, "spec": facts.doc.display, "seed": seed, "shard": shard, **results.to_json()}
    groups = [_group_dict(g) for g in results.sorted_groups()]
    files = {
        directory / f"{stem}.junit.xml": junit(facts, results, rows),
        directory / f"{stem}.coverage.txt": (coverage_text(rows) + "\n").encode(),
        directory / f"{stem}.coverage.json": (json.dumps(rows, indent=2) + "\n").encode(),
        directory / f"{stem}.failures.json": (json.dumps(groups, indent=2, ensure_ascii=False) + "\n").encode(),
        directory / f"{stem}.run.json": (json.dumps(run, indent=2, ensure_ascii=False) + "\n").encode(),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return sorted(files)


def _as_dict(f: Finding) -> dict[str, str]:
    return {"check": f.check, "operation": f.operation, "title": f.title, "message": f.message, "curl": f.curl}
