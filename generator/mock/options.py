"""The options of `specfirst mock` and `specfirst proxy` (argparse only: nothing heavy is imported here)."""

from __future__ import annotations

import argparse

DEFAULT_MAX_BODY = 1024 * 1024


def _common(p: argparse.ArgumentParser, port: int) -> None:
    p.add_argument("spec", help="the OpenAPI 3.0/3.1 file")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=port, help=f"port to listen on ({port}; 0 picks a free one)")
    p.add_argument(
        "--max-body", type=int, default=DEFAULT_MAX_BODY, help="largest request body in bytes (1 MiB); larger: 413/400"
    )
    p.add_argument(
        "--body-timeout", type=float, default=10.0, help="seconds a client may take to send its body (10); slower: 400"
    )


def add_mock_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the options of `specfirst mock`."""
    _common(p, 4010)
    p.add_argument("--seed", type=int, default=0, help="seed of generated data: same seed, same data (0)")
    p.add_argument("--state", default="memory", help="'memory' (default) or PATH.sqlite3 to keep state across restarts")
    p.add_argument(
        "--token",
        action="append",
        default=[],
        help="accept only this credential for the spec's security schemes (repeatable; default: any non-empty one)",
    )
    p.add_argument(
        "--readonly-token",
        action="append",
        default=[],
        help="a credential that may read but not change: mutating requests with it get the documented 403",
    )


def add_proxy_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the options of `specfirst proxy`."""
    _common(p, 4011)
    p.add_argument("--upstream", required=True, help="the real server's base URL, e.g. http://127.0.0.1:8080")
    p.add_argument("--enforce", action="store_true", help="answer an invalid request with the documented 400; not sent")
    p.add_argument(
        "--report", metavar="DIR", help="on exit (SIGINT/SIGTERM) write report.json, junit.xml, coverage.txt"
    )
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the upstream (30)")
