"""Exceptions raised by the clients: ApiError, and one typed subclass per documented error status.

ApiError                      any non-success response; the fallback for undocumented ones
└── BadRequestError
└── UnauthorizedError
└── NotFoundError
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar

import httpx
from pydantic import TypeAdapter, ValidationError

from rainbond_console import models


class ApiError(Exception):
    """A response the operation does not document as a success.

    `status_code`, `headers` and `content` describe the response; `error` is the parsed body for the
    typed subclasses, and None here. Secrets are never part of the message.
    """

    status: ClassVar[str] = ""
    body_type: ClassVar[Any] = None
    error: Any

    def __init__(
        self, response: httpx.Response, method: str, path: str, error: Any = None, note: str = ""
    ) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = response.content
        self.response = response
        self.method = method
        self.path = path
        self.error = error
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = "Unknown Status"
        message = f"{method} {path} -> HTTP {response.status_code} {reason}"
        if error is not None:
            message += f": {error!r}"
        if note:
            message += f" ({note})"
        super().__init__(message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r})"

    @classmethod
    def from_response(cls, response: httpx.Response, method: str, path: str) -> ApiError:
        """The typed exception for `response`, or a plain ApiError when its body does not parse."""
        if cls.body_type is None:
            return cls(response, method, path)
        try:
            if cls.body_kind == "json":
                error = TypeAdapter(cls.body_type).validate_json(response.content)
            else:
                error = response.text if cls.body_kind == "text" else response.content
        except ValidationError as exc:
            return ApiError(
                response,
                method,
                path,
                note=f"error body does not match the spec: {exc.error_count()} problem(s)",
            )
        return cls(response, method, path, error)

    body_kind: ClassVar[str | None] = None


class BadRequestError(ApiError):
    """HTTP 400: Bad Request"""

    status = "400"
    body_type = models.Fail
    body_kind = "json"
    error: models.Fail


class UnauthorizedError(ApiError):
    """HTTP 401: Unauthorized。缺少 Authorization 请求头或 token 不正确（文档未列出此状态码，来自 SEED-NOTES 与 rainbond-console 源码 openapi/v2/auth/authentication.py 的 OpenAPIManageAuthentication： 未提供 token 时为 AuthenticationFailed('No token')，token 不匹配时为 AuthenticationFailed('token is invalid')）。 真实控制台经 console.views.base.custom_exception_handler 返回的响应体除 msg 外还带有 detail、code、msg_show、error_type、error_trace 字段，并带 WWW-Authenticate: Token 响应头。"""

    status = "401"
    body_type = models.Fail
    body_kind = "json"
    error: models.Fail


class NotFoundError(ApiError):
    """HTTP 404: Not Found"""

    status = "404"
    body_type = models.Fail
    body_kind = "json"
    error: models.Fail
