"""The options of `specfirst contract`, parsed and checked before anything is sent."""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UsageError

PHASES = ("examples", "coverage", "fuzzing", "stateful", "probes")
DEFAULT_PHASES = PHASES


@dataclass(frozen=True)
class Probe:
    """A request the user knows the answer to: the operation's valid example with some parameters replaced."""

    status: int
    values: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return f"{self.status}:" + ",".join(f"{k}={v}" for k, v in self.values)


@dataclass(frozen=True)
class ContractOptions:
    """Everything one contract run needs."""

    spec: Path
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    readonly_headers: dict[str, str] = field(default_factory=dict)
    max_examples: int = 25
    seed: int = 0
    phases: tuple[str, ...] = DEFAULT_PHASES
    probes: tuple[Probe, ...] = ()
    allow_unsafe_probes: bool = False
    report: Path | None = None
    request_timeout: float = 10.0
    token: str | None = None
    readonly_token: str | None = None


def parse_header(text: str, option: str = "--header") -> tuple[str, str]:
    """`Name: value` as a pair; a UsageError for anything else."""
    name, sep, value = text.partition(":")
    name = name.strip()
    if not sep or not name or any(c.isspace() for c in name):
        raise UsageError(f"specfirst contract: {option} expects 'Name: value', got {text!r}")
    return name, value.strip()


def parse_probe(text: str) -> Probe:
    """`STATUS:name=value[,name=value]` as a Probe; a UsageError for anything else."""
    status, sep, rest = text.partition(":")
    pairs = [p.partition("=") for p in rest.split(",") if p.strip()]
    if not sep or not status.isdigit() or not 100 <= int(status) <= 599 or not pairs or any(not s for _, s, _ in pairs):
        raise UsageError(f"specfirst contract: --probe expects 'STATUS:name=value[,name=value]', got {text!r}")
    return Probe(int(status), tuple((k.strip(), v) for k, _, v in pairs))


def _phases(text: str) -> tuple[str, ...]:
    chosen = tuple(p.strip() for p in text.split(",") if p.strip())
    unknown = [p for p in chosen if p not in PHASES]
    if unknown or not chosen:
        raise UsageError(f"specfirst contract: --phases takes a comma list of {', '.join(PHASES)}; got {text!r}")
    return chosen


def from_args(args: argparse.Namespace) -> ContractOptions:
    """Check the parsed command line and turn it into ContractOptions."""
    parts = urlsplit(args.base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"specfirst contract: --base-url must be an http(s) URL, got {args.base_url!r}")
    if args.max_examples < 1:
        raise UsageError("specfirst contract: --max-examples must be at least 1")
    if args.request_timeout <= 0:
        raise UsageError("specfirst contract: --request-timeout must be positive")
    return ContractOptions(
        spec=Path(args.spec),
        base_url=args.base_url.rstrip("/"),
        headers=dict(parse_header(h) for h in args.header),
        readonly_headers=dict(parse_header(h, "--readonly-header") for h in args.readonly_header),
        max_examples=args.max_examples,
        seed=args.seed if args.seed is not None else random.SystemRandom().randrange(2**31),
        phases=_phases(args.phases),
        probes=tuple(parse_probe(p) for p in args.probe),
        allow_unsafe_probes=args.allow_unsafe_probes,
        report=Path(args.report) if args.report else None,
        request_timeout=args.request_timeout,
        token=args.token or None,
        readonly_token=args.readonly_token or None,
    )


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the options of `specfirst contract`."""
    p.add_argument("spec", help="the OpenAPI file the server must conform to")
    p.add_argument("--base-url", required=True, help="where the server under test listens, e.g. http://127.0.0.1:8000")
    p.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="sent with every request (credentials go here); repeatable; values are masked in output",
    )
    p.add_argument(
        "--readonly-header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="credentials of an identity that may not change anything: mutating requests "
        "sent with them must be refused (exercises 403); repeatable",
    )
    p.add_argument("--token", help="credential sent in the header the spec's security scheme names (masked)")
    p.add_argument("--readonly-token", help="like --readonly-header, in the security scheme's header (masked)")
    p.add_argument("--max-examples", type=int, default=25, help="cases per operation in the fuzzing phase (25)")
    p.add_argument("--seed", type=int, help="same seed, same cases (default: random, printed in the summary)")
    p.add_argument("--phases", default=",".join(DEFAULT_PHASES), help=f"comma list of {', '.join(PHASES)} (all)")
    p.add_argument(
        "--probe",
        action="append",
        default=[],
        metavar="STATUS:NAME=VALUE[,NAME=VALUE]",
        help="send each operation's valid request with these parameters replaced and expect STATUS "
        "(e.g. a documented 500 trigger); repeatable",
    )
    p.add_argument(
        "--allow-unsafe-probes",
        action="store_true",
        help="also send undeclared mutating methods (DELETE, POST, PATCH, PUT) to see they get 405; "
        "off by default so a real server is never changed by a method it does not document",
    )
    p.add_argument("--report", metavar="DIR", help="write junit.xml, coverage.txt and coverage.json here")
    p.add_argument("--request-timeout", type=float, default=10.0, help="seconds per request (10)")
