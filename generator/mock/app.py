"""The ASGI application: limits first, then routing, credentials, validation, state and negotiation, in that order."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers

from . import negotiation, routing
from .generation import Generator
from .negotiation import NOTHING
from .resources import Resources
from .respond import Answer, Responder
from .spec import MockSpec, Operation
from .state import Store
from .validation import Validators, Violation, check_request, check_security

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
VIOLATION_HEADER = "x-specfirst-violation"
MUTATING = frozenset({"DELETE", "PATCH", "POST", "PUT"})


def _carries(request: WireRequest, values: frozenset[str]) -> bool:
    """Whether any header, cookie or query value (a bearer token without its prefix) is one of `values`."""
    seen = [v for _, v in request.headers.items()] + list(request.cookies.values())
    seen += [v for _, v in request.query_pairs]
    return any(v.strip() in values or v.partition(" ")[2].strip() in values for v in seen)


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may make the server hold or wait for."""

    max_body: int = 1024 * 1024
    body_timeout: float = 10.0


class TooLarge(Exception):
    pass


class WireRequest:
    """What validation reads of a request: headers, cookies and query pairs."""

    def __init__(self, scope: Scope) -> None:
        self.headers = Headers(scope=scope)
        query = scope.get("query_string", b"").decode("latin-1")
        self.query_pairs = parse_qsl(query, keep_blank_values=True)
        cookies: dict[str, str] = {}
        for header in self.headers.getlist("cookie"):
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(header)
            except Exception:  # a malformed cookie header is just not a credential
                continue
            cookies.update({k: m.value for k, m in jar.items()})
        self.cookies = cookies


async def read_body(scope: Scope, receive: Receive, limits: Limits) -> bytes:
    """The whole body, refused past `max_body` (by Content-Length before reading, else while reading)."""
    length = Headers(scope=scope).get("content-length")
    if length and length.isdigit() and int(length) > limits.max_body:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await asyncio.wait_for(receive(), timeout=limits.body_timeout)
        if message["type"] == "http.disconnect":
            raise ConnectionResetError
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limits.max_body:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def log(line: str) -> None:
    print(line[:2000], file=sys.stderr, flush=True)


class MockApp:
    """One spec served: an ASGI callable."""

    def __init__(
        self,
        spec: MockSpec,
        store: Store,
        seed: int,
        tokens: frozenset[str],
        limits: Limits,
        readonly: frozenset[str] = frozenset(),
    ) -> None:
        self.spec = spec
        self.validators = Validators(spec)
        self.generator = Generator(spec, seed, self.validators.errors)
        self.responder = Responder(spec, self.validators, self.generator)
        self.resources = Resources(spec, store, self.responder, seed)
        self.tokens = tokens | readonly if tokens else tokens
        self.readonly = readonly
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        try:
            answer = await self.serve(scope, receive)
        except ConnectionResetError:
            log(f"specfirst mock: {scope['method']} {scope['path'][:200]}: client disconnected")
            return
        except Exception as exc:  # a bug of the mock: one log line and a plain 500, never a traceback on the wire
            log(f"specfirst mock: {scope['method']} {scope['path'][:200]}: internal error {type(exc).__name__}: {exc}")
            body = b'{"status": 500, "title": "mock internal error"}'
            answer = Answer(500, body, {"content-type": "application/json"})
        await send_answer(send, answer, scope["method"] == "HEAD")

    async def serve(self, scope: Scope, receive: Receive) -> Answer:
        method, path = scope["method"].upper(), scope["path"]
        match = routing.route(self.spec, method, path)
        request = WireRequest(scope)
        accept = request.headers.get("accept")
        if match.route is None:
            return self.plain(404, Violation("unknown_resource_probe", f"no path of the spec matches {path[:200]}"))
        if match.operation is None and path.endswith("/") and path != "/":
            return self.plain(404, Violation("unknown_resource_probe", f"no resource at {path[:200]}"))
        if match.operation is None:
            answer = self.plain(
                405, Violation("unsupported_method", f"{method} is not declared for {match.route.template}")
            )
            answer.headers["allow"] = match.allow
            return answer
        op = match.operation
        denied = check_security(self.spec, op, request, self.tokens)
        if denied is not None:
            return self.error(op, (401, 403), denied, accept)
        if self.readonly and method in MUTATING and op.security and _carries(request, self.readonly):
            refused = Violation("readonly_probe", f"a read-only credential may not {method}", 403)
            return self.error(op, (403, 401), refused, accept)
        try:
            raw = await read_body(scope, receive, self.limits)
        except TooLarge:
            shown = f"request body is larger than {self.limits.max_body} bytes"
            return self.error(op, (413, 400), Violation("negative_data_rejection", shown, 413), accept)
        except TimeoutError:
            shown = f"request body not received within {self.limits.body_timeout:g} s"
            return self.error(op, (400,), Violation("negative_data_rejection", shown), accept)
        parsed, violation = check_request(self.spec, self.validators, op, request, match.path_params, raw)
        if violation is not None:
            statuses = (
                (415, 400) if violation.status_hint == 415 else (404, 400) if violation.status_hint == 404 else (400,)
            )
            return self.error(op, statuses, violation, accept)
        prefer = negotiation.preferences(request.headers.get("prefer"))
        if "code" in prefer and prefer["code"].isdigit():
            key = negotiation.documented(op, int(prefer["code"]))
            if key is not None:
                choice = negotiation.choose(self.spec, op, key, accept, int(prefer["code"]))
                choice.status = int(prefer["code"])
                body = self.responder.body_for(op, choice, path, prefer.get("example"))
                return self.responder.answer(op, choice, body, path)
        if "example" not in prefer:
            stateful = self.resources.handle(op, match.route, match.path_params, parsed, accept)
            if stateful is not None:
                return stateful
        choice = negotiation.choose(self.spec, op, negotiation.success_key(op), accept)
        body = self.responder.body_for(op, choice, path, prefer.get("example"))
        if method in ("PUT", "PATCH") and isinstance(body, dict) and isinstance(parsed.body, dict):
            body = self.responder.view(op, choice, {**body, **parsed.body}, path)  # an update shows what it applied
        return self.responder.answer(op, choice, body, path)

    def error(self, op: Operation, statuses: tuple[int, ...], violation: Violation, accept: str | None) -> Answer:
        """The operation's documented answer for the first documented status of `statuses`, naming the rule."""
        log(f"specfirst mock: {op.label}: {violation.check}: {violation.message}")
        key, status = None, statuses[0]
        for candidate in statuses:
            found = negotiation.documented(op, candidate)
            if found is not None and found != "default":
                key, status = found, candidate
                break
        if key is None:
            key = negotiation.documented(op, statuses[0])
        choice = negotiation.choose(self.spec, op, key, accept, status)
        choice.status = status
        body = self.responder.body_for(op, choice, f"error:{status}")
        answer = self.responder.answer(op, choice, body, f"error:{status}")
        if body is NOTHING:  # nothing documented (or generable) to send: a small problem body names the rule
            answer = self.plain(status, violation, quiet=True)
        answer.headers[VIOLATION_HEADER] = violation.header()
        return answer

    def plain(self, status: int, violation: Violation, quiet: bool = False) -> Answer:
        """An answer outside any operation (unknown path, undeclared method): a small JSON problem body."""
        if not quiet:
            log(f"specfirst mock: {violation.check}: {violation.message}")
        import json

        body = json.dumps({"status": status, "title": violation.check, "detail": violation.message[:300]}).encode()
        return Answer(status, body, {"content-type": "application/json", VIOLATION_HEADER: violation.header()})


async def send_answer(send: Send, answer: Answer, head: bool) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1", "replace")) for k, v in answer.headers.items()]
    if answer.status not in (204, 304) or answer.body:
        headers.append((b"content-length", str(len(answer.body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head or answer.status in (204, 304) else answer.body})
