"""The `specfirst` command line: validate, generate, check, docs, contract."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, pipeline
from .cache import open_cache
from .config import Settings, load_settings
from .contract.options import add_arguments as add_contract_arguments
from .docs import publish as docs
from .documents import DocumentCache
from .errors import ExitCode, SpecfirstError, SpecInvalid, UsageError
from .load import display_path, load
from .progress import Progress


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as UsageError (exit 2, one line) instead of exiting itself."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _specs(settings: Settings, given: list[str]) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    found = sorted(settings.spec_path.glob("*.yaml")) + sorted(settings.spec_path.glob("*.json"))
    if not found:
        raise UsageError(f"no spec files in {display_path(settings.spec_path)}/ (give SPEC arguments)")
    return found


def cmd_validate(args: argparse.Namespace, settings: Settings) -> ExitCode:
    problems = []
    specs = _specs(settings, args.spec)
    for spec in specs:
        try:
            from . import validate  # imported on use: a no-op `generate` must start fast

            validate.check(load(spec, allow_remote_refs=args.allow_remote_refs))
        except SpecInvalid as exc:
            problems += exc.problems
    if problems:
        raise SpecInvalid(problems)
    print(f"{len(specs)} spec(s) valid")
    return ExitCode.OK


def cmd_generate(args: argparse.Namespace, settings: Settings) -> ExitCode:
    out = Path(args.out) if args.out else settings.out_path
    specs = _specs(settings, args.spec)
    cache = open_cache(settings.root, enabled=not args.no_cache)
    lines = pipeline.generate(
        specs, out, Progress(), allow_remote_refs=args.allow_remote_refs, strict=args.strict, cache=cache
    )
    for line in lines:
        print(line)
    return ExitCode.OK


def cmd_check(args: argparse.Namespace, settings: Settings) -> ExitCode:
    out = Path(args.out) if args.out else settings.out_path
    lines = pipeline.check(_specs(settings, args.spec), out, Progress(), full=args.full)
    if lines:
        for line in lines:
            print(line)
        print(f"{len(lines)} difference(s) from what `specfirst generate` would write; run `make generate`")
        return ExitCode.FINDINGS
    print(f"{display_path(out)} is up to date")
    return ExitCode.OK


def cmd_docs(args: argparse.Namespace, settings: Settings) -> ExitCode:
    published = settings.out_path / docs.FOLDER
    out = Path(args.out) if args.out else published
    langs = (args.lang,) if args.lang else docs.LANGS
    if args.lang and out.resolve() == published.resolve():
        raise UsageError(f"specfirst docs: --lang writes one language; {display_path(out)} holds both (give --out DIR)")
    jobs = pipeline.plan(_specs(settings, args.spec), allow_remote_refs=args.allow_remote_refs)
    sources = [(j.spec, j.package) for j in jobs]
    generator = pipeline.fingerprint()
    if docs.is_current(out, sources, generator, langs):
        print(f"{display_path(out)}: up to date")
    else:
        print(docs.publish(out, docs.expected(sources, DocumentCache(args.allow_remote_refs), generator, langs)))
    return ExitCode.OK


_REMOTE_HELP = "fetch http(s) $refs (10 s timeout, 64 MiB cap); without it they are refused and never fetched"


def cmd_contract(args: argparse.Namespace, settings: Settings) -> ExitCode:
    from .contract.command import run  # Schemathesis is imported only for this command
    from .contract.options import from_args

    return run(from_args(args))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="specfirst", description="Spec-first OpenAPI toolkit: validate, generate, check, contract.")
    parser.add_argument("--version", action="version", version=f"specfirst {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="check specs; each problem as file:line:col: message")
    p.add_argument("spec", nargs="*", help="spec files (default: every spec/*.yaml)")
    p.add_argument("--allow-remote-refs", action="store_true", help=_REMOTE_HELP)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("generate", help="generate models and clients into generated/")
    p.add_argument("spec", nargs="*", help="spec files (default: every spec/*.yaml)")
    p.add_argument("--out", help="output folder (default: generated/)")
    p.add_argument("--allow-remote-refs", action="store_true", help=_REMOTE_HELP)
    p.add_argument("--strict", action="store_true", help="also require valid examples and operationIds (as validate)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write .specfirst-cache/ (a cold run)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("check", help="exit 1 when generated/ is not what generate would write (names what differs)")
    p.add_argument("spec", nargs="*", help="spec files (default: every spec/*.yaml)")
    p.add_argument("--out", help="output folder (default: generated/)")
    p.add_argument(
        "--full", action="store_true", help="regenerate into a temporary folder and compare bytes (default: manifests)"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("docs", help="(re)build only the API reference in generated/docs (Markdown and HTML)")
    p.add_argument("spec", nargs="*", help="spec files (default: every spec/*.yaml)")
    p.add_argument("--out", help="docs folder (default: generated/docs)")
    p.add_argument("--lang", choices=docs.LANGS, help="one language only (default: every language, as published)")
    p.add_argument("--allow-remote-refs", action="store_true", help=_REMOTE_HELP)
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser(
        "contract",
        help="property-test a running server against a spec (exit 0 conforms, 1 violations, 2 bad input)",
        description="Property-test a running API against its OpenAPI spec with Schemathesis (examples, coverage, "
        "fuzzing, stateful phases, every check) plus specfirst's own checks and probes.",
    )
    add_contract_arguments(p)
    p.set_defaults(func=cmd_contract)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    # a short run that builds millions of long-lived objects (a parsed spec, the model generator's graph):
    # collecting cycles ten times more rarely takes about an eighth off a large generation
    gc.set_threshold(100_000, 50, 100)
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args, load_settings()))
    except SpecfirstError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("specfirst: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
