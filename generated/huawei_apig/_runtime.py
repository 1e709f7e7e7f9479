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
from pydantic import BaseModel, SecretBytes, SecretStr, TypeAdapter
from pydantic_core import to_jsonable_python

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


def reveal(value: Any) -> Any:
    """JSON-ready data with secrets revealed: what goes over the wire, never into a log."""
    if isinstance(value, BaseModel):
        return reveal(value.model_dump(by_alias=True, exclude_unset=True))
    if isinstance(value, SecretStr | SecretBytes):
        secret = value.get_secret_value()
        return secret.decode() if isinstance(secret, bytes) else secret
    if isinstance(value, Mapping):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [reveal(v) for v in value]
    return to_jsonable_python(value)


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
        url = op.path
        for name, value in path.items():
            url = url.replace("{" + name + "}", _segment(value))
        params = {k: _query_value(v) for k, v in query.items() if v is not None}
        out_headers = {k: _scalar(v) for k, v in headers.items() if v is not None}
        out_cookies = {k: _scalar(v) for k, v in cookies.items() if v is not None}
        for name in op.security:
            cred = self._credentials.get(name)
            if cred is None:
                continue
            secret = cred.value.get_secret_value()
            if cred.kind == "header":
                out_headers[cred.name] = secret
            elif cred.kind == "query":
                params[cred.name] = secret
            elif cred.kind == "cookie":
                out_cookies[cred.name] = secret
            elif cred.kind == "basic":
                out_headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
            else:
                out_headers["Authorization"] = "Bearer " + secret
        kwargs: dict[str, Any] = {}
        if body is not None and op.body_kind is not None:
            data = reveal(body) if op.body_kind in {"json", "form", "multipart"} else body
            if op.body_kind == "json":
                kwargs["json"] = data
            elif op.body_kind in {"form", "multipart"}:
                kwargs["data"] = {k: v for k, v in (data or {}).items() if v is not None}
            else:
                kwargs["content"] = data
            if op.content_type and op.body_kind != "multipart":
                out_headers["Content-Type"] = op.content_type
        extensions = {"timeout": httpx.Timeout(timeout).as_dict()} if timeout is not None else None
        return http.build_request(
            op.method,
            self.base_url + url,
            params=params,
            headers=out_headers,
            cookies=out_cookies,
            extensions=extensions,
            **kwargs,
        )

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


def _segment(value: Any) -> str:
    """A path parameter as exactly one URL segment: percent-encoded, never a `.`/`..` that would climb."""
    encoded = quote(_scalar(value), safe="")
    return encoded.replace(".", "%2E") if encoded in {".", ".."} else encoded


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    data = to_jsonable_python(value)
    if isinstance(data, list):
        return ",".join(_scalar(v) for v in data)
    return str(data)


def _query_value(value: Any) -> str | list[str]:
    if isinstance(value, list | tuple):
        return [_scalar(v) for v in value]
    return _scalar(value)
