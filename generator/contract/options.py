"""The options of `specfirst contract`, parsed and checked before anything is sent."""

from __future__ import annotations

import argparse
import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UsageError

PHASES = ("examples", "coverage", "fuzzing", "stateful", "edges", "probes")
DEFAULT_PHASES = PHASES


@dataclass(frozen=True)
class Probe:
    """A request the user knows the answer to: the operation's valid example with some parameters replaced."""

    status: int
    values: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return f"{self.status}:" + ",".join(f"{k}={v}" for k, v in self.values)


@dataclass(frozen=True)
class PathParam:
    """`--path-param [OPERATION_ID:]NAME=VALUE`: the id of a real, disposable fixture."""

    operation_id: str | None
    name: str
    value: str

    def __str__(self) -> str:
        return f"{self.operation_id + ':' if self.operation_id else ''}{self.name}={self.value}"


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
    path_params: tuple[PathParam, ...] = ()
    readonly: bool = False
    workers: int = 1
    shard: tuple[int, int] | None = None  # (K, N): this run is shard K of N (1-based)
    variables: dict[str, str] = field(default_factory=dict)  # credential value -> shell variable for curls

    @property
    def stops_early(self) -> bool:
        """Whether the run may stop before sending everything (a destroyed resource)."""
        return self.allow_unsafe_probes


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


def parse_path_param(text: str) -> PathParam:
    """`[OPERATION_ID:]NAME=VALUE` as a PathParam; a UsageError for anything else."""
    head, sep, value = text.partition("=")
    operation_id, colon, name = head.rpartition(":")
    if not sep or not name.strip() or (colon and not operation_id.strip()):
        raise UsageError(f"specfirst contract: --path-param expects '[OPERATION_ID:]NAME=VALUE', got {text!r}")
    return PathParam(operation_id.strip() or None, name.strip(), value)


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` with 1 <= K <= N; a UsageError for anything else."""
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not found or not 1 <= int(found[1]) <= int(found[2]):
        raise UsageError(f"specfirst contract: --shard expects K/N with 1 <= K <= N, got {text!r}")
    return int(found[1]), int(found[2])


def variable_for(option: str, header: str = "") -> str:
    """The shell variable a reproducing curl reads a credential from: SPECFIRST_TOKEN, SPECFIRST_HEADER_X_KEY, ..."""
    suffix = re.sub(r"[^A-Z0-9]+", "_", header.upper()).strip("_")
    return "SPECFIRST_" + option.upper().replace("-", "_") + (f"_{suffix}" if suffix else "")


def _variables(headers: list[tuple[str, str]], readonly: list[tuple[str, str]], token: str, ro: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for option, pairs in (("header", headers), ("readonly-header", readonly)):
        for name, value in pairs:
            if value:
                found.setdefault(value, variable_for(option, name))
    if token:
        found[token] = variable_for("token")
    if ro:
        found[ro] = variable_for("readonly-token")
    return found


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
    if args.workers < 1:
        raise UsageError("specfirst contract: --workers must be at least 1")
    headers = [parse_header(h) for h in args.header]
    readonly = [parse_header(h, "--readonly-header") for h in args.readonly_header]
    token = args.token or os.environ.get(variable_for("token"), "")
    readonly_token = args.readonly_token or os.environ.get(variable_for("readonly-token"), "")
    return ContractOptions(
        spec=Path(args.spec),
        base_url=args.base_url.rstrip("/"),
        headers=dict(headers),
        readonly_headers=dict(readonly),
        max_examples=args.max_examples,
        seed=args.seed if args.seed is not None else random.SystemRandom().randrange(2**31),
        phases=_phases(args.phases),
        probes=tuple(parse_probe(p) for p in args.probe),
        allow_unsafe_probes=args.allow_unsafe_probes,
        report=Path(args.report) if args.report else None,
        request_timeout=args.request_timeout,
        token=token or None,
        readonly_token=readonly_token or None,
        path_params=tuple(parse_path_param(p) for p in args.path_param),
        readonly=args.readonly,
        workers=args.workers,
        shard=parse_shard(args.shard) if args.shard else None,
        variables=_variables(headers, readonly, token, readonly_token),
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
    p.add_argument(
        "--token",
        help="credential sent in the header the spec's security scheme names (masked; default: $SPECFIRST_TOKEN)",
    )
    p.add_argument(
        "--readonly-token",
        help="like --readonly-header, in the security scheme's header (masked; default: $SPECFIRST_READONLY_TOKEN)",
    )
    p.add_argument(
        "--path-param",
        action="append",
        default=[],
        metavar="[OPERATION_ID:]NAME=VALUE",
        help="use VALUE for path parameter NAME (the id of a real, disposable fixture) in every request, "
        "or only in operation OPERATION_ID; repeatable; an unknown NAME is an error",
    )
    p.add_argument(
        "--readonly",
        action="store_true",
        help="send no request that can change state: only GET, HEAD, OPTIONS and TRACE operations are tested",
    )
    p.add_argument("--workers", type=int, default=1, help="units of work (operations, case slices) run at once (1)")
    p.add_argument("--shard", metavar="K/N", help="run only shard K of N (a CI matrix); merge with contract-merge")
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
    p.add_argument(
        "--report", metavar="DIR", help="write junit.xml, coverage.txt, coverage.json, failures.json and run.json here"
    )
    p.add_argument("--request-timeout", type=float, default=10.0, help="seconds per request (10)")
