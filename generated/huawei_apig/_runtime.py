"""Runtime support shared by Client and AsyncClient: requests, auth, retries, parsing, secret masking."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import SecretStr, TypeAdapter

from huawei_apig import _wire as wire
from huawei_apig._wire import Encoding, Param, reveal
from huawei_apig.errors import ApiError

T = TypeVar("T")

logger = logging.getLogger("huawei_apig")

DEFAULT_TIMEOUT = 30.0
RETRY_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
RETRY_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, for connection errors and retryable statuses, on idempotent methods."""

    max_retries: int = 2
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.5
    retry_after_max: float = 60.0
    statuses: frozenset[int] = frozenset({429, 502, 503, 504})

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number `attempt` (0-based); a Retry-After header wins."""
        if response is not None:
            after = retry_after(response)
            if after is not None:
                return min(after, self.retry_after_max)
        backoff = min(self.backoff_max, self.backoff_base * (2.0**attempt))
        return backoff * (1 - self.jitter * random.random())  # noqa: S311 - jitter, not security


def retry_after(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def sleep(seconds: float) -> None:
    """Blocking wait between retries (a seam for tests)."""
    time.sleep(seconds)


async def asleep(seconds: float) -> None:
    """Non-blocking wait between retries (a seam for tests)."""
    await asyncio.sleep(seconds)


@dataclass(frozen=True)
class RawResponse(Generic[T]):
    """A parsed success together with the HTTP response it came from."""

    status_code: int
    parsed: T
    headers: httpx.Headers = field(repr=False)
    content: bytes = field(repr=False)
    http: httpx.Response = field(repr=False)


@dataclass(frozen=True)
class Operation:
    """What the runtime needs to know about one operation; built from the spec at generation time."""

    method: str
    path: str
    success: Mapping[str, tuple[Any, str | None]]
    errors: Mapping[str, type[ApiError]]
    security: tuple[str, ...] = ()
    body_kind: str | None = None
    content_type: str | None = None
    parameters: Mapping[tuple[str, str], Param] = field(default_factory=dict)  # (location, wire name)
    encoding: Mapping[str, Encoding] = field(default_factory=dict)  # form and multipart body properties


@dataclass(frozen=True)
class Credential:
    """One configured credential; its value is a SecretStr, masked in every repr."""

    kind: str
    name: str
    value: SecretStr


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(annotation: Any) -> TypeAdapter[Any]:
    """A cached TypeAdapter for `annotation`."""
    found = _ADAPTERS.get(annotation)
    if found is None:
        found = _ADAPTERS[annotation] = TypeAdapter(annotation)
    return found


class BaseClient:
    """State shared by Client and AsyncClient."""

    def __init__(
        self,
        base_url: str,
        credentials: Mapping[str, Credential],
        timeout: float | httpx.Timeout | None,
        retry: RetryPolicy | None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry if retry is not None else RetryPolicy()
        self.timeout = httpx.Timeout(timeout if timeout is not None else DEFAULT_TIMEOUT)
        self._credentials = dict(credentials)

    def __repr__(self) -> str:
        creds = ", ".join(f"{k}=SecretStr('**********')" for k in sorted(self._credentials))
        return f"{type(self).__name__}(base_url={self.base_url!r}{', ' if creds else ''}{creds})"

    def _request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        op: Operation,
        path: Mapping[str, Any],
        query: Mapping[str, Any],
        headers: Mapping[str, Any],
        cookies: Mapping[str, Any],
        body: Any,
        timeout: float | httpx.Timeout | None,
    ) -> httpx.Request:
        url = _path(op, path)
        params: wire.Pairs = []
        for name, value in query.items():
            if value is not None:
                params += wire.query_pairs(name, value, _param(op, "query", name))
        out_headers = {
            k: wire.header_value(v, _param(op, "header", k)) for k, v in headers.items() if v is not None
        }
        out_cookies: wire.Pairs = []
        for name, value in cookies.items():
            if value is not None:
                out_cookies += wire.cookie_pairs(name, value, _param(op, "cookie", name))
        for name in op.security:
            cred = self._credentials.get(name)
            if cred is None:
                continue
            secret = cred.value.get_secret_value()
            if cred.kind == "header":
                out_headers[cred.name] = secret
            elif cred.kind == "query":
                params.append((quote(cred.name, safe=""), quote(secret, safe="")))
            elif cred.kind == "cookie":
                out_cookies.append((cred.name, secret))
            elif cred.kind == "basic":
                out_headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
            else:
                out_headers["Authorization"] = "Bearer " + secret
        kwargs: dict[str, Any] = {}
        if body is not None and op.body_kind is not None:
            if op.body_kind == "json":
                kwargs["json"] = reveal(body)
            elif op.body_kind == "form":
                kwargs["content"] = wire.form_body(body, op.encoding)
            elif op.body_kind == "multipart":
                kwargs["files"] = wire.multipart_parts(body, op.encoding)
            else:
                kwargs["content"] = body
            if op.content_type and op.body_kind != "multipart":
                out_headers["Content-Type"] = op.content_type
        extensions = {"timeout": httpx.Timeout(timeout).as_dict()} if timeout is not None else None
        query_string = "&".join(f"{k}={v}" for k, v in params)
        request = http.build_request(
            op.method,
            self.base_url + url + ("?" + query_string if query_string else ""),
            headers=out_headers,
            extensions=extensions,
            **kwargs,
        )
        if out_cookies:  # after the client's own cookie jar, which build_request has already applied
            jar = request.headers.get("Cookie")
            request.headers["Cookie"] = "; ".join(
                [*([jar] if jar else []), *(f"{k}={v}" for k, v in out_cookies)]
            )
        return request

    def _should_retry(self, op: Operation, attempt: int, response: httpx.Response | None) -> bool:
        if op.method not in RETRY_METHODS or attempt >= self.retry.max_retries:
            return False
        return response is None or response.status_code in self.retry.statuses

    def _finish(self, op: Operation, response: httpx.Response) -> RawResponse[Any]:
        status = str(response.status_code)
        logger.debug("%s %s -> %s", op.method, op.path, status)
        success = op.success.get(status) or op.success.get(status[0] + "XX")
        if success is not None:
            annotation, kind = success
            if kind == "json":
                parsed: Any = adapter(annotation).validate_json(response.content)
            elif kind == "text":
                parsed = response.text
            elif kind == "bytes":
                parsed = response.content
            else:
                parsed = None
            return RawResponse(response.status_code, parsed, response.headers, response.content, response)
        error = op.errors.get(status) or op.errors.get(status[0] + "XX") or op.errors.get("default")
        if error is None:
            raise ApiError(response, op.method, op.path, note="status not documented for this operation")
        raise error.from_response(response, op.method, op.path)


def _param(op: Operation, location: str, name: str) -> Param:
    return op.parameters.get((location, name)) or wire.DEFAULTS[location]


def _path(op: Operation, values: Mapping[str, Any]) -> str:
    """The path with each parameter inside its segment; a segment never ends up `.`/`..`, which would climb."""
    segments = op.path.split("/")
    for i, segment in enumerate(segments):
        if "{" not in segment:
            continue
        for name, value in values.items():
            segment = segment.replace(
                "{" + name + "}", wire.path_value(name, value, _param(op, "path", name))
            )
        segments[i] = segment.replace(".", "%2E") if segment in {".", ".."} else segment
    return "/".join(segments)
