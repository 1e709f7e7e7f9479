"""The changes as text, JSON, Markdown (a pull-request comment), GitHub workflow commands or JUnit XML."""

from __future__ import annotations

import json
from collections import Counter
from xml.etree import ElementTree

from .model import LEVELS, Change, rank

FORMATS = ("text", "json", "markdown", "github", "junit")
MARKDOWN_ROWS = 300  # a job summary or a PR comment stays readable (and under GitHub's size limits)
_GITHUB = {"breaking": "error", "warning": "warning", "info": "notice"}
_ICON = {"breaking": "🔴", "warning": "🟡", "info": "🔵"}


def summary(changes: list[Change]) -> str:
    """'3 changes: 1 breaking, 1 warning, 1 info'."""
    counts = Counter(c.level for c in changes)
    parts = ", ".join(f"{counts[level]} {level}" for level in reversed(LEVELS))
    return f"{len(changes)} change(s): {parts}"


def render(changes: list[Change], fmt: str, *, title: str = "specfirst diff", fail_on: str = "breaking") -> str:
    """The whole report in format `fmt`, ending with a newline."""
    if fmt == "json":
        return json.dumps({"changes": [c.as_dict() for c in changes]}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(changes, title)
    if fmt == "github":
        return "".join(_github(c) + "\n" for c in changes) + summary(changes) + "\n"
    if fmt == "junit":
        return _junit(changes, title, fail_on)
    lines = [f"{c.location}: {c.level} {c.id}: {c.operation}: {c.message}" for c in changes]
    return "".join(line + "\n" for line in lines) + summary(changes) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _markdown(changes: list[Change], title: str) -> str:
    counts = Counter(c.level for c in changes)
    out = [f"## {title}", ""]
    if not changes:
        return "\n".join([*out, "No changes to the API.", ""])
    verdict = "**breaking changes**" if counts["breaking"] else "no breaking changes"
    out += [
        f"{summary(changes)}: {verdict}.",
        "",
        "| | breaking | warning | info |",
        "|---|---:|---:|---:|",
        f"| changes | {counts['breaking']} | {counts['warning']} | {counts['info']} |",
        "",
        "| level | rule | operation | change | location |",
        "|---|---|---|---|---|",
    ]
    for c in changes[:MARKDOWN_ROWS]:
        where = f"`{_cell(c.location)}`"
        out.append(f"| {_ICON[c.level]} {c.level} | `{c.id}` | `{_cell(c.operation)}` | {_cell(c.message)} | {where} |")
    if len(changes) > MARKDOWN_ROWS:
        out += ["", f"… and {len(changes) - MARKDOWN_ROWS} more (run `specfirst diff --format text` for all)."]
    return "\n".join([*out, ""])


def _github(change: Change) -> str:
    file, line, col = [*change.location.rsplit(":", 2), "1", "1"][:3]
    if ":" in file and not file.startswith("/"):  # a git object REV:PATH: annotate the path
        file = file.split(":", 1)[1]
    message = f"{change.operation}: {change.message}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    title = f"{change.level} {change.id}".replace(",", "%2C").replace("::", "%3A%3A")
    return f"::{_GITHUB[change.level]} file={file},line={line},col={col},title={title}::{message}"


def _junit(changes: list[Change], title: str, fail_on: str) -> str:
    failing = [c for c in changes if rank(c.level) >= rank(fail_on)]
    suite = ElementTree.Element(
        "testsuite", name=title, tests=str(max(len(changes), 1)), failures=str(len(failing)), errors="0"
    )
    if not changes:
        ElementTree.SubElement(suite, "testcase", classname="specfirst.diff", name="no changes")
    for c in changes:
        case = ElementTree.SubElement(
            suite, "testcase", classname=f"specfirst.diff.{c.id}", name=f"{c.operation}: {c.message}"
        )
        if c in failing:
            failure = ElementTree.SubElement(case, "failure", message=c.message, type=c.level)
            failure.text = f"{c.location}: {c.level} {c.id}"
        else:
            ElementTree.SubElement(case, "system-out").text = f"{c.location}: {c.level} {c.id}"
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
