"""`specfirst lint [SPEC...]`: load each spec, walk every active rule in one pass, report, choose the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import ExitCode, InputError, UsageError
from ..load import Document, display_path, load
from ..validate import openapi_version
from .model import IGNORE_KEY, SEVERITIES, Context, Finding, Ptr, Raw
from .report import render, repo_uris, summary
from .rules import ALIASES, RULES
from .settings import LintSettings, Project, load_project
from .walker import Walker, by_kind


def _specs(project: Project, given: list[str]) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    folder = project.settings.spec_path
    found = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.json"))
    if not found:
        raise UsageError(f"no spec files in {display_path(folder)}/ (give SPEC arguments)")
    return found


def run(args: argparse.Namespace) -> ExitCode:
    """Lint the specs; print the report on stdout and a one-line summary on stderr."""
    project = load_project()
    findings: list[Finding] = []
    files: dict[str, Path] = {}
    for spec in _specs(project, args.spec):
        doc = load(spec, allow_remote_refs=args.allow_remote_refs)
        files[doc.display] = doc.path
        findings += lint_document(doc, project.lint, _relative(spec, project.settings.root))
    uris = repo_uris(files) if args.format == "sarif" else {}
    report = render(args.format, findings, RULES, uris, frozenset(project.lint.severities()))
    if report:
        print(report)
    counts = summary(findings)
    told = ", ".join(f"{n} {label}(s)" for label, n in counts.items() if n) or "no findings"
    print(f"specfirst lint: {len(files)} spec(s), {told}", file=sys.stderr)
    fail_on = SEVERITIES[args.fail_on or project.lint.fail_on]
    return ExitCode.FINDINGS if any(f.severity >= fail_on for f in findings) else ExitCode.OK


def _relative(spec: Path, root: Path) -> str:
    try:
        return spec.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return spec.as_posix()


def lint_document(doc: Document, settings: LintSettings, spec_path: str) -> list[Finding]:
    """Every finding of the active rules in one loaded document, located and sorted."""
    version = openapi_version(doc)
    severities = settings.severities()
    ctx = Context(doc, version, frozenset(severities))
    try:
        Walker(ctx, by_kind(RULES, ctx.active)).run()
        for finish in ctx.finishers:
            finish(ctx)
    except RecursionError:
        raise InputError(f"{doc.display}:1:1: document is nested too deeply to lint") from None
    except Exception as exc:  # a shape no rule expected: one located line, never a traceback
        raise InputError(f"{doc.display}:1:1: cannot lint this document: {type(exc).__name__}: {exc}") from None
    kept = [r for r in ctx.raws if not _silenced(doc.data, r) and not settings.ignored(r.rule, spec_path, _json(r))]
    found = {
        Finding(
            doc.display,
            *(r.where or doc.locate(r.pointer, key=True)),
            rule=r.rule,
            severity=severities[r.rule],
            message=r.message,
            pointer=_json(r),
        )
        for r in kept
    }
    return sorted(found)


def _json(raw: Raw) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in raw.pointer)


def _silenced(data: Any, raw: Raw) -> bool:
    """An `x-specfirst-lint-ignore` naming the rule on the node or any node above it."""
    node = data
    for part in (*raw.pointer, None):
        if isinstance(node, dict):
            ignore = node.get(IGNORE_KEY)
            if isinstance(ignore, list) and raw.rule in {ALIASES.get(r, r) for r in ignore if isinstance(r, str)}:
                return True
        if part is None:
            break
        node = _child(node, part)
        if node is None:
            break
    return False


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


__all__ = ["Ptr", "lint_document", "run"]
