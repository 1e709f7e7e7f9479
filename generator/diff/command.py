"""`specfirst diff BASE HEAD | --base-ref REF [--api]`: the front door (options, sources, report, exit code)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ExitCode, UsageError
from ..load import Document
from .model import Change, rank
from .report import FORMATS, render
from .sources import Source, at_ref, load_pair, source, verify_rev

FAIL_ON = ("breaking", "warning", "info", "never")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `specfirst diff`."""
    parser.add_argument(
        "base", nargs="?", help="the old spec: a file, or a git object REV:PATH (origin/main:spec/x.yaml)"
    )
    parser.add_argument("head", nargs="?", help="the new spec: a file, or a git object REV:PATH")
    parser.add_argument("--base-ref", metavar="REF", help="diff every spec in spec/ against its version at git REF")
    parser.add_argument(
        "--api", action="store_true", help="generate both revisions and report what breaks for Python callers"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    parser.add_argument(
        "--fail-on", choices=FAIL_ON, default="breaking", help="exit 1 when a change at or above this level exists"
    )
    parser.add_argument("--allow-remote-refs", action="store_true", help="fetch http(s) $refs (otherwise refused)")


def pairs(args: argparse.Namespace, specs: list[Path]) -> list[tuple[Source | None, Source]]:
    """(BASE, HEAD) sources to compare; BASE is None for a spec that did not exist at the base ref."""
    if args.base_ref:
        if args.base or args.head:
            raise UsageError("specfirst diff: give BASE and HEAD, or --base-ref REF, not both")
        verify_rev(args.base_ref)
        return [(at_ref(args.base_ref, spec), source(str(spec))) for spec in specs]
    if not (args.base and args.head):
        raise UsageError("specfirst diff: give BASE and HEAD (files or REV:PATH), or --base-ref REF")
    return [(source(args.base), source(args.head))]


def _empty(head: Source) -> Document:
    """What a spec compares against when it did not exist at the base ref: no operations at all."""
    return Document(path=head.path, display=f"(new) {head.shown}", text="", data={"openapi": "3.1.0", "paths": {}})


def run(args: argparse.Namespace, specs: list[Path]) -> ExitCode:
    """Compare every pair, print the report, and say whether a change reaches `--fail-on`."""
    changes: list[Change] = []
    for base, head in pairs(args, specs):
        if args.api:
            from .api import compare_api  # generation is imported only when asked for

            changes += compare_api(base, head, allow_remote_refs=args.allow_remote_refs)
            continue
        from . import compare
        from .sources import load_source

        if base is None:
            changes += compare(_empty(head), load_source(head, args.allow_remote_refs))
        else:
            changes += compare(*load_pair(base, head, args.allow_remote_refs))
    sys.stdout.write(render(changes, args.format, title=_title(args), fail_on=args.fail_on))
    failing = [c for c in changes if rank(c.level) >= rank(args.fail_on)]
    return ExitCode.FINDINGS if failing else ExitCode.OK


def _title(args: argparse.Namespace) -> str:
    what = "specfirst diff --api" if args.api else "specfirst diff"
    if args.base_ref:
        return f"{what} against {args.base_ref}"
    return what
