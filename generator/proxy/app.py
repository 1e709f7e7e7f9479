"""The proxy's ASGI application: bound the request, validate it, forward it (or, with --enforce, refuse it as the
spec documents), validate the answer, log each violation with a masked curl, pass the answer back."""

from __future__ import annotations

import httpx

from ..mock import routing
from ..mock.app import (
    VIOLATION_HEADER,
    Limits,
    MockApp,
    Receive,
    Scope,
    Send,
    TooLarge,
    WireRequest,
    log,
    read_body,
    send_answer,
)
from ..mock.respond import Answer
from ..mock.spec import MockSpec
from ..mock.state import MemoryStore
from ..mock.validation import Parsed, Violation, check_request, check_security
from .checks import response_violations
from .traffic import Traffic, curl

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "content-encoding",
    }
)


class ProxyApp:
    """Forwards to `upstream`, checking both directions."""

    def __init__(
        self, spec: MockSpec, upstream: str, enforce: bool, limits: Limits, traffic: Traffic, timeout: float
    ) -> None:
        self.spec = spec
        self.upstream = upstream.rstrip("/")
        self.enforce = enforce
        self.limits = limits
        self.traffic = traffic
        self.timeout = timeout
        self.mock = MockApp(spec, MemoryStore(), 0, frozenset(), limits)  # documented error answers, validators
        self._client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)
        return self._client

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            answer = await self.exchange(scope, receive)
        except ConnectionResetError:
            log(f"specfirst proxy: {scope['method']} {scope['path'][:200]}: client disconnected")
            return
        await send_answer(send, answer, scope["method"] == "HEAD")

    async def exchange(self, scope: Scope, receive: Receive) -> Answer:
        method, path = scope["method"].upper(), scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        target = f"{self.upstream}{path}" + (f"?{query}" if query else "")
        request = WireRequest(scope)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        match = routing.route(self.spec, method, path)
        op = match.operation
        label = op.label if op else f"{method} {path[:200]}"
        try:
            raw = await read_body(scope, receive, self.limits)
        except (TooLarge, TimeoutError) as exc:
            why = "request body too large" if isinstance(exc, TooLarge) else "request body too slow"
            violation = Violation("negative_data_rejection", f"{why}; not forwarded", 413)
            if op is not None:
                return self.mock.error(op, (413, 400) if isinstance(exc, TooLarge) else (400,), violation, None)
            return self.mock.plain(413 if isinstance(exc, TooLarge) else 400, violation)
        repro = curl(method, target, headers, raw, self.traffic.secret_names)
        secrets = [v for k, v in headers if k.lower() in self.traffic.secret_names]
        problem: Violation | None = None
        parsed = Parsed({"path": {}, "query": {}, "header": {}, "cookie": {}}, None, None)
        if op is not None:
            problem = check_security(self.spec, op, request, frozenset())
            if problem is None:
                parsed, problem = check_request(self.spec, self.mock.validators, op, request, match.path_params, raw)
            if problem is not None and self.enforce:
                self.report(label, problem, repro, secrets, "refused (--enforce)")
                statuses = (
                    (401, 403)
                    if problem.check == "ignored_auth"
                    else (415, 400)
                    if problem.status_hint == 415
                    else (400,)
                )
                answer = self.mock.error(op, statuses, problem, request.headers.get("accept"))
                self.traffic.saw(label, answer.status)
                return answer
        try:
            forwarded = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP]
            response = await self.client().request(method, target, headers=forwarded, content=raw)
        except httpx.HTTPError as exc:
            log(f"specfirst proxy: {label}: upstream not reachable ({type(exc).__name__})")
            body = b'{"status": 502, "title": "upstream not reachable"}'
            return Answer(502, body, {"content-type": "application/json"})
        if op is not None:
            self.traffic.saw(label, response.status_code)
            found = response_violations(
                self.spec,
                self.mock.validators,
                op,
                problem,
                parsed,
                response.status_code,
                response.headers,
                response.content,
            )
            for violation in found:
                self.report(label, violation, repro, secrets)
        elif match.route is not None and response.status_code != 405:
            self.report(
                label,
                Violation("unsupported_method", f"undeclared method answered {response.status_code}"),
                repro,
                secrets,
            )
        out = {k: v for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP}
        if op is not None and problem is not None:
            out[VIOLATION_HEADER] = problem.header()
        return Answer(response.status_code, response.content, out)

    def report(self, label: str, violation: Violation, repro: str, secrets: list[str], note: str = "") -> None:
        masked = repro
        for secret in sorted(secrets, key=len, reverse=True):
            if len(secret) >= 3:
                masked = masked.replace(secret, "[masked]")
        suffix = f" ({note})" if note else ""
        log(f"specfirst proxy: {label}: {violation.check}: {violation.message}{suffix} | {masked}")
        self.traffic.add(violation.check, label, violation.message + suffix, masked, secrets)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()


__all__ = ["ProxyApp"]
