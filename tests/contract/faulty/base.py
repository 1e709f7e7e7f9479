"""Run the reference app with one fault patched in by an ASGI middleware that can rewrite requests and responses;
with FAULTY_REQUEST_LOG set, every request (method, path, body hash) is appended to that file."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

import uvicorn  # noqa: E402

from reference.app import create_app  # noqa: E402
from reference.settings import from_environment  # noqa: E402

RAINBOND = "/openapi/"


@dataclass
class Exchange:
    """One request and (after the app ran) its response, both editable by a fault."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""

    @property
    def rainbond(self) -> bool:
        return self.path.startswith(RAINBOND)

    def request_json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def response_json(self) -> Any:
        try:
            return json.loads(self.response_body)
        except ValueError:
            return None

    def respond(self, status: int, body: Any, content_type: str = "application/json") -> None:
        """Replace the response."""
        self.status = status
        self.response_body = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.response_headers["content-type"] = content_type


Hook = Callable[[Exchange], None]


class Fault:
    """ASGI middleware: `before` may edit the request (or answer it itself), `after` may edit the response."""

    def __init__(self, app: Any, before: Hook | None, after: Hook | None) -> None:
        self.app, self.before, self.after = app, before, after
        log = os.environ.get("FAULTY_REQUEST_LOG")
        self.log = Path(log) if log else None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        ex = Exchange(scope["method"], scope["path"], headers, b"".join(chunks))
        if self.log is not None:
            with self.log.open("a", encoding="utf-8") as sink:
                sink.write(f"{ex.method} {ex.path} {hashlib.sha256(ex.body).hexdigest()[:16]}\n")
        if self.before:
            self.before(ex)
        if not ex.status:
            scope = {**scope, "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in ex.headers.items()]}
            await self._call_app(scope, ex)
        if self.after:
            self.after(ex)
        ex.response_headers["content-length"] = str(len(ex.response_body))
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in ex.response_headers.items()]
        await send({"type": "http.response.start", "status": ex.status, "headers": raw})
        await send({"type": "http.response.body", "body": ex.response_body})

    async def _call_app(self, scope: Any, ex: Exchange) -> None:
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": ex.body, "more_body": False}

        body: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                ex.status = message["status"]
                ex.response_headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await self.app(scope, receive, send)
        ex.response_body = b"".join(body)


def serve(before: Hook | None = None, after: Hook | None = None) -> None:
    """`python -m tests.contract.faulty.X --host H --port P --db FILE`: the reference app with this fault."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args()
    app = Fault(create_app(from_environment(args.db)), before, after)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
