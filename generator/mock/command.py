"""`specfirst mock`: options checked, spec read and indexed, state opened and seeded, socket bound, then served."""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from ..astlock import serialize_ast
from ..errors import ExitCode, UsageError
from . import server, spec
from .app import Limits, MockApp
from .state import open_store


def limits(args: argparse.Namespace, command: str) -> Limits:
    if args.max_body < 1:
        raise UsageError(f"specfirst {command}: --max-body must be at least 1")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"specfirst {command}: --port must be 0-65535, got {args.port}")
    if args.body_timeout <= 0:
        raise UsageError(f"specfirst {command}: --body-timeout must be positive")
    return Limits(max_body=args.max_body, body_timeout=args.body_timeout)


def run(args: argparse.Namespace) -> ExitCode:
    """Serve until interrupted; exit 0 after a clean shutdown."""
    started = time.monotonic()
    bounds = limits(args, "mock")
    served = spec.index(spec.read(Path(args.spec)))
    if not served.routes:
        raise UsageError(f"specfirst mock: {args.spec}: the spec has no paths to serve")
    store = open_store(args.state)
    app = MockApp(served, store, args.seed, frozenset(args.token), bounds, frozenset(args.readonly_token))
    seeded = app.resources.seed_examples()
    sock = server.bind(args.host, args.port, "mock")
    host, port = sock.getsockname()[:2]
    operations = len(served.operations())
    print(
        f"specfirst mock: serving {served.doc.display} ({operations} operations, {seeded} seeded resources, "
        f"state {args.state}) on http://{host}:{port} in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    serialize_ast()  # the warm-up draws beside the requests
    threading.Thread(target=app.generator.warm, daemon=True).start()
    try:
        server.serve(app, sock)
    finally:
        store.close()
    return ExitCode.OK
