"""The `specfirst` command line: validate, generate, check, docs, contract, lint."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import __version__, pipeline
from .cache import open_cache
from .config import CHANGELOG_HELP, Settings, add_api_arguments, api_settings, default_specs, load_settings
from .contract.options import add_arguments as add_contract_arguments
from .docs import publish as docs
from .documents import DocumentCache
from .errors import ExitCode, OutputError, SpecfirstError, SpecInvalid, UsageError
from .lint.options import add_arguments as add_lint_arguments
from .load import display_path, load
from .progress import Progress


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage mistakes as UsageError (exit 2, one line) instead of exiting itself."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _specs(settings: Settings, given: list[str]) -> list[Path]:
    if given:
        return [Path(p) for p in given]
    found = default_specs(settings)
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


@contextmanager
def _file_system(out: Path) -> Iterator[None]:
    """Writing or comparing the output folder `out`: a refusal of the file system is one line, exit 2."""
    try:
        yield
    except OSError as exc:
        raise OutputError.of(exc, display_path(out)) from None


def cmd_generate(args: argparse.Namespace, settings: Settings) -> ExitCode:
    out = Path(args.out) if args.out else settings.out_path
    specs = _specs(settings, args.spec)
    apis = api_settings(settings, specs, args)
    cache = open_cache(settings.root, enabled=not args.no_cache)
    with _file_system(out):
        lines = pipeline.generate(
            specs, out, Progress(), allow_remote_refs=args.allow_remote_refs, strict=args.strict, apis=apis, cache=cache
        )
    for line in lines:
        print(line)
    return ExitCode.OK


def cmd_check(args: argparse.Namespace, settings: Settings) -> ExitCode:
    out = Path(args.out) if args.out else settings.out_path
    specs = _specs(settings, args.spec)
    with _file_system(out):
        lines = pipeline.check(specs, out, Progress(), apis=api_settings(settings, specs, args), full=args.full)
    if lines:
        for line in lines:
            print(line)
        print(f"{len(lines)} difference(s) from what `specfirst generate` would write; run `make generate`")
        return ExitCode.FINDINGS
    print(f"{display_path(out)} is up to date")
    return ExitCode.OK


def cmd_docs(args: argparse.Namespace, settings: Settings) -> ExitCode:
    published = settings.out_path / docs.FOLDER
    if args.out and args.site:
        raise UsageError("specfirst docs: give --out DIR or --site DIR, not both")
    out = Path(args.site or args.out) if args.site or args.out else published
    langs = (args.lang,) if args.lang else None
    if args.lang and out.resolve() == published.resolve():
        raise UsageError(f"specfirst docs: --lang writes one language; {display_path(out)} holds both (give --out DIR)")
    specs = _specs(settings, args.spec)
    jobs = pipeline.plan(specs, allow_remote_refs=args.allow_remote_refs, apis=api_settings(settings, specs, args))
    sources, per_api, names = pipeline.docs_plan(jobs)
    logs = pipeline.docs_changelogs(jobs)
    per_api = {} if args.lang else per_api
    generator = pipeline.fingerprint()
    site = bool(args.site)
    with _file_system(out):
        keep = docs.kept(out, sources)  # the APIs of specs not given stay documented
        if docs.is_current(
            out, sources, generator, langs, site=site, api_langs=per_api, keep=keep, changelogs=logs, api_clients=names
        ):
            print(f"{display_path(out)}: up to date")
        else:
            documents = DocumentCache(args.allow_remote_refs, tolerant=True)
            cache = open_cache(settings.root, enabled=not args.no_cache)
            from .render import keep_compiled_templates

            keep_compiled_templates(cache)
            files = docs.prepare(
                sources, documents, generator, langs, site=site, api_langs=per_api, keep=keep, changelogs=logs,
                api_clients=names, cache=cache,
            )(None)  # fmt: skip
            print(docs.publish(out, files))
    return ExitCode.OK


_LANG_HELP = "one UI language for every API (default: each API's own: zh and en for a mostly-CJK spec, else en)"
_REMOTE_HELP = "fetch http(s) $refs (10 s timeout, 64 MiB cap); without it they are refused and never fetched"


def cmd_contract(args: argparse.Namespace, settings: Settings) -> ExitCode:
    from .extras import require_extra

    require_extra("schemathesis", "contract", "contract")
    from .contract.command import run  # Schemathesis is imported only for this command
    from .contract.options import from_args

    return run(from_args(args))


def cmd_lint(args: argparse.Namespace, settings: Settings | None) -> ExitCode:
    from .lint.command import run  # reads its own [tool.specfirst.lint] settings

    return run(args)


def _needs_mock_extra(command: str) -> None:
    """One line and exit 2 when the mock extra (an ASGI server, an instance generator) is not installed."""
    from .extras import require_extra

    for module in ("starlette", "uvicorn", "hypothesis"):
        require_extra(module, "mock", command)


def cmd_mock(args: argparse.Namespace, settings: Settings) -> ExitCode:
    _needs_mock_extra("mock")
    from .mock.command import run  # starlette and uvicorn are imported only for this command

    return run(args)


def cmd_diff(args: argparse.Namespace, settings: Settings) -> ExitCode:
    from .diff.command import run  # the diff package is imported only for this command

    return run(args, _specs(settings, []) if args.base_ref else [])


def cmd_contract_merge(args: argparse.Namespace, settings: Settings) -> ExitCode:
    from .contract.merge import merge

    return merge([Path(d) for d in args.dirs], Path(args.report) if args.report else None)


def cmd_proxy(args: argparse.Namespace, settings: Settings) -> ExitCode:
    _needs_mock_extra("proxy")
    from .proxy.command import run

    return run(args)


def cmd_init(args: argparse.Namespace, settings: Settings) -> ExitCode:
    from .scaffold.init import scaffold

    report = scaffold(Path(args.dir), Path(args.source) if args.source else None, args.force)
    print("\n".join(report.lines))
    for line in report.todo:
        print(f"to do by hand: {line}")
    print("next: edit the spec, then `make generate` (pip install specfirst first if it is not installed)")
    return ExitCode.OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="specfirst",
        description="Spec-first OpenAPI toolkit: lint, diff, generate, check, docs, mock, proxy, contract.",
    )
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
    add_api_arguments(p)
    p.add_argument("--no-cache", action="store_true", help="neither read nor write .specfirst-cache/ (a cold run)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("check", help="exit 1 when generated/ is not what generate would write (names what differs)")
    p.add_argument("spec", nargs="*", help="spec files (default: every spec/*.yaml)")
    p.add_argument("--out", help="output folder (default: generated/)")
    add_api_arguments(p)
    p.add_argument(
        "--full", action="store_true", help="regenerate into a temporary folder and compare bytes (default: manifests)"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("docs", help="(re)build only the API reference in generated/docs (Markdown and HTML)")
    p.add_argument("spec", nargs="*", help="spec files (default: every spec/*.yaml)")
    p.add_argument("--out", help="docs folder (default: generated/docs)")
    p.add_argument("--lang", choices=docs.LANGS, help=_LANG_HELP)
    p.add_argument("--site", metavar="DIR", help="write a static site (pages, index, search-index.json) to DIR")
    p.add_argument("--changelog-base", metavar="REF", help=CHANGELOG_HELP)
    p.add_argument("--allow-remote-refs", action="store_true", help=_REMOTE_HELP)
    p.add_argument("--no-cache", action="store_true", help="neither read nor write .specfirst-cache/ (a cold run)")
    p.set_defaults(func=cmd_docs)

    _add_tool_commands(sub)
    return parser


def _add_tool_commands(sub: Any) -> None:
    """The commands that test, serve, compare or scaffold around the spec (contract ... init)."""
    p = sub.add_parser(
        "contract",
        help="property-test a running server against a spec (exit 0 conforms, 1 violations, 2 bad input)",
        description="Property-test a running API against its OpenAPI spec with Schemathesis (examples, coverage, "
        "fuzzing, stateful phases, every check) plus specfirst's own checks and probes.",
    )
    add_contract_arguments(p)
    p.set_defaults(func=cmd_contract)

    p = sub.add_parser(
        "lint",
        help="rules over the hand-written spec (exit 0 clean, 1 findings at --fail-on or above, 2 bad input)",
        description="Lint OpenAPI documents: Spectral's spectral:oas and Redocly's recommended rules, plus "
        "specfirst's own; each finding as file:line:col: severity rule-id: message.",
    )
    add_lint_arguments(p)
    p.set_defaults(func=cmd_lint, settings=lambda: None)

    from .diff.command import add_arguments as add_diff_arguments

    p = sub.add_parser(
        "diff",
        help="what a spec change breaks: on the wire, and (--api) for Python callers (exit 1 at --fail-on)",
        description="Compare two revisions of a spec (files or git objects REV:PATH) over resolved schemas; "
        "each change is breaking, warning or info, by one table of rules.",
    )
    add_diff_arguments(p)
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("contract-merge", help="combine the shards of a contract run into one report")
    p.add_argument("dirs", nargs="+", metavar="DIR", help="the --report folders of the shards")
    p.add_argument("--report", metavar="DIR", help="write the merged reports here")
    p.set_defaults(func=cmd_contract_merge)

    from .mock.options import add_mock_arguments, add_proxy_arguments  # argparse only: no server imports

    p = sub.add_parser("mock", help="serve a stateful mock of a spec (validates requests, documented errors)")
    add_mock_arguments(p)
    p.set_defaults(func=cmd_mock)

    p = sub.add_parser("proxy", help="forward to a real server, validating both directions against the spec")
    add_proxy_arguments(p)
    p.set_defaults(func=cmd_proxy)

    p = sub.add_parser("init", help="scaffold a spec-first project: spec/, settings, Make targets, CI, pre-commit")
    p.add_argument("dir", nargs="?", default=".", help="the project folder (default: the current one)")
    p.add_argument("--from", dest="source", metavar="SPEC", help="start from this spec (default: a starter spec)")
    p.add_argument("--force", action="store_true", help="overwrite the files init writes whole (never merged ones)")
    p.set_defaults(func=cmd_init)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    # a short run that builds millions of long-lived objects (a parsed spec, the model generator's graph):
    # collecting cycles ten times more rarely takes about an eighth off a large generation
    gc.set_threshold(100_000, 50, 100)
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args, getattr(args, "settings", load_settings)()))
    except SpecfirstError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("specfirst: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line without the message (it may hold a credential), or the traceback
        if os.environ.get("SPECFIRST_DEBUG"):
            raise
        print(f"specfirst: internal error: {_where(exc)}; SPECFIRST_DEBUG=1 shows the traceback", file=sys.stderr)
        return int(ExitCode.INTERNAL)


def run() -> None:
    """The `specfirst` command: `main`, then, once the output is flushed, exit at once. A large run's objects
    (a parsed 4 MB spec, a contract run's strategies) are not torn down one by one at exit: 0.2 to 0.5 s saved
    (mypy's command does the same). Nothing is left to do then: pools and threads have been stopped."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what was lost is lost either way
            pass
    os._exit(code)


def _where(exc: BaseException) -> str:
    """`AttributeError at contract/wire.py:28`: the exception type and specfirst's innermost frame."""
    place = ""
    for frame, line in traceback.walk_tb(exc.__traceback__):
        path = Path(frame.f_code.co_filename)
        if _PACKAGE in path.parents:
            place = f" at {path.relative_to(_PACKAGE).as_posix()}:{line}"
    return type(exc).__name__ + place


_PACKAGE = Path(__file__).resolve().parent


if __name__ == "__main__":
    run()
