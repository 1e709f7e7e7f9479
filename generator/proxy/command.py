"""`specfirst proxy`: spec indexed, upstream checked, socket bound; served until a signal, then the report written."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from ..errors import ExitCode, InputError, UsageError
from ..load import display_path
from ..mock import server, spec
from ..mock.command import limits
from .app import ProxyApp
from .traffic import Traffic


def check_upstream(url: str, timeout: float) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"specfirst proxy: --upstream must be an http(s) URL, got {url!r}")
    try:
        with httpx.Client(timeout=min(timeout, 5.0)) as client:
            client.get(url)
    except httpx.HTTPError as exc:
        raise InputError(f"specfirst proxy: upstream {url} not reachable ({type(exc).__name__})") from None


def run(args: argparse.Namespace) -> ExitCode:
    started = time.monotonic()
    bounds = limits(args, "proxy")
    if args.timeout <= 0:
        raise UsageError("specfirst proxy: --timeout must be positive")
    served = spec.index(spec.read(Path(args.spec)))
    check_upstream(args.upstream, args.timeout)
    traffic = Traffic(served)
    app = ProxyApp(served, args.upstream, args.enforce, bounds, traffic, args.timeout)
    sock = server.bind(args.host, args.port, "proxy")
    host, port = sock.getsockname()[:2]
    mode = "enforcing" if args.enforce else "reporting"
    print(
        f"specfirst proxy: {served.doc.display} on http://{host}:{port} -> {args.upstream} ({mode}) "
        f"in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    try:
        server.serve(app, sock, date_header=False)  # the upstream's Date is passed through
    finally:
        if args.report:
            written = traffic.write(Path(args.report))
            print(f"specfirst proxy: reports: {', '.join(display_path(p) for p in written)}", flush=True)
    findings = len(traffic.results.findings)
    print(f"specfirst proxy: {traffic.results.cases} requests, {findings} distinct violation(s)", flush=True)
    return ExitCode.FINDINGS if findings else ExitCode.OK
