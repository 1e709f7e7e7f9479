"""`python -m reference`: serve both APIs on one port (see --help)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "generated") not in sys.path:  # the generated packages, when PYTHONPATH does not name them
    sys.path.insert(0, str(ROOT / "generated"))

import uvicorn  # noqa: E402

from reference.app import create_app  # noqa: E402
from reference.settings import (  # noqa: E402
    DB_ENV,
    DEFAULT_DB,
    DEFAULT_MAX_BODY,
    MAX_BODY_ENV,
    TOKEN_ENV,
    from_environment,
)

DEFAULT_MAX_HEADER = 64 * 1024


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m reference",
        description="Reference server for spec/huawei-apig.yaml and spec/rainbond-console.yaml on one port. "
        "Tokens come from the options or the environment ("
        + ", ".join(env for env, _ in TOKEN_ENV.values())
        + "); prefer the environment, since options are visible to other users in the process list.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    parser.add_argument("--db", type=Path, help=f"SQLite file, created and seeded if missing (env {DB_ENV}, "
                        f"default {DEFAULT_DB})")  # fmt: skip
    parser.add_argument("--spec-dir", type=Path, help="folder with the spec YAML files (default: the repo's spec/)")
    for name, (env, _) in TOKEN_ENV.items():
        parser.add_argument("--" + name.replace("_", "-"), dest=name, help=f"(env {env})")
    parser.add_argument("--max-body-bytes", type=int, help="larger request bodies get the documented 400 before "
                        f"they are read whole (env {MAX_BODY_ENV}, default {DEFAULT_MAX_BODY})")  # fmt: skip
    parser.add_argument("--max-header-bytes", type=int, default=DEFAULT_MAX_HEADER,
                        help="a request head still incomplete past this size is refused with 400 and the "
                        f"connection closed (default {DEFAULT_MAX_HEADER})")  # fmt: skip
    parser.add_argument("--access-log", action="store_true", help="log one line per request (never headers)")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    tokens = {name: getattr(args, name) for name in TOKEN_ENV}
    try:
        settings = from_environment(args.db, tokens, args.spec_dir, args.max_body_bytes)
    except ValueError as exc:
        print(f"reference: cannot start: {MAX_BODY_ENV}: {exc}", file=sys.stderr)
        return 2
    try:
        app = create_app(settings)
    except Exception as exc:
        print(f"reference: cannot start: {settings.db}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level, access_log=args.access_log,
        server_header=False, http="h11", h11_max_incomplete_event_size=args.max_header_bytes,
    )  # fmt: skip
    server = uvicorn.Server(config)
    for name in settings.defaults_used:
        print(f"reference: dev default {name} = {TOKEN_ENV[name][1]}", flush=True)
    print(f"reference: database {settings.db}", flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
