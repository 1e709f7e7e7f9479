"""Client and AsyncClient: one method per operation, typed arguments, typed results, typed errors."""

from __future__ import annotations

from types import TracebackType
from typing import cast

import httpx
from pydantic import SecretStr
from typing_extensions import Self

from huawei_apig import _runtime as runtime
from huawei_apig import errors, models
from huawei_apig._runtime import BaseClient, Credential, Operation, RawResponse, RetryPolicy
from huawei_apig._wire import File, Param

__all__ = ["AsyncClient", "Client", "File"]

DEFAULT_BASE_URL = "https://apig.cn-north-4.myhuaweicloud.com"

OP_UPDATE_APP = Operation(
    method="PUT",
    path="/v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}",
    success={
        "201": (models.AppInfo, "json"),
    },
    errors={
        "400": errors.BadRequestError,
        "401": errors.UnauthorizedError,
        "403": errors.ForbiddenError,
        "404": errors.NotFoundError,
        "500": errors.InternalServerError,
    },
    security=("token",),
    body_kind="json",
    content_type="application/json;charset=UTF-8",
    parameters={
        ("path", "project_id"): Param("simple", False, False, None),
        ("path", "instance_id"): Param("simple", False, False, None),
        ("path", "app_id"): Param("simple", False, False, None),
    },
    encoding={},
)


def _credentials(
    token: str | SecretStr | None,
) -> dict[str, Credential]:
    found: dict[str, Credential] = {}
    if token is not None:
        found["token"] = Credential(
            "header", "X-Auth-Token", token if isinstance(token, SecretStr) else SecretStr(token)
        )
    return found


class Client(BaseClient):
    """华为云 API网关（专享版） - 修改APP: configure the base URL, credentials, timeout and retries once."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token: str | SecretStr | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        headers: dict[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(base_url, _credentials(token), timeout, retry)
        self.http = httpx.Client(timeout=self.timeout, headers=headers, transport=transport)

    def close(self) -> None:
        """Close the underlying connection pool."""
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _send(self, op: Operation, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self.http.send(request)
            except runtime.RETRY_ERRORS:
                if not self._should_retry(op, attempt, None):
                    raise
                runtime.sleep(self.retry.delay(attempt))
                attempt += 1
                continue
            if response.status_code in self.retry.statuses and self._should_retry(op, attempt, response):
                response.close()
                runtime.sleep(self.retry.delay(attempt, response))
                attempt += 1
                continue
            return response

    def update_app_raw(
        self,
        project_id: str,
        instance_id: str,
        app_id: str,
        *,
        body: models.AppCreate,
        timeout: float | httpx.Timeout | None = None,
    ) -> RawResponse[models.AppInfo]:
        """修改APP

        修改指定APP的信息。其中可修改的属性为:name、remark,当支持用户自定义key和secret的开关开启时,app_key和app_secret也支持修改,其它属性不可修改。

        PUT /v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}"""
        request = self._request(
            self.http,
            OP_UPDATE_APP,
            path={
                "project_id": project_id,
                "instance_id": instance_id,
                "app_id": app_id,
            },
            query={},
            headers={},
            cookies={},
            body=body,
            timeout=timeout,
        )
        response = self._send(OP_UPDATE_APP, request)
        return cast("RawResponse[models.AppInfo]", self._finish(OP_UPDATE_APP, response))

    def update_app(
        self,
        project_id: str,
        instance_id: str,
        app_id: str,
        *,
        body: models.AppCreate,
        timeout: float | httpx.Timeout | None = None,
    ) -> models.AppInfo:
        """修改APP

        修改指定APP的信息。其中可修改的属性为:name、remark,当支持用户自定义key和secret的开关开启时,app_key和app_secret也支持修改,其它属性不可修改。

        PUT /v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}"""
        return (self.update_app_raw(project_id, instance_id, app_id, body=body, timeout=timeout)).parsed


class AsyncClient(BaseClient):
    """华为云 API网关（专享版） - 修改APP (async): configure the base URL, credentials, timeout and retries once."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token: str | SecretStr | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        headers: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(base_url, _credentials(token), timeout, retry)
        self.http = httpx.AsyncClient(timeout=self.timeout, headers=headers, transport=transport)

    async def aclose(self) -> None:
        """Close the underlying connection pool."""
        await self.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _send(self, op: Operation, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = await self.http.send(request)
            except runtime.RETRY_ERRORS:
                if not self._should_retry(op, attempt, None):
                    raise
                await runtime.asleep(self.retry.delay(attempt))
                attempt += 1
                continue
            if response.status_code in self.retry.statuses and self._should_retry(op, attempt, response):
                await response.aclose()
                await runtime.asleep(self.retry.delay(attempt, response))
                attempt += 1
                continue
            return response

    async def update_app_raw(
        self,
        project_id: str,
        instance_id: str,
        app_id: str,
        *,
        body: models.AppCreate,
        timeout: float | httpx.Timeout | None = None,
    ) -> RawResponse[models.AppInfo]:
        """修改APP

        修改指定APP的信息。其中可修改的属性为:name、remark,当支持用户自定义key和secret的开关开启时,app_key和app_secret也支持修改,其它属性不可修改。

        PUT /v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}"""
        request = self._request(
            self.http,
            OP_UPDATE_APP,
            path={
                "project_id": project_id,
                "instance_id": instance_id,
                "app_id": app_id,
            },
            query={},
            headers={},
            cookies={},
            body=body,
            timeout=timeout,
        )
        response = await self._send(OP_UPDATE_APP, request)
        return cast("RawResponse[models.AppInfo]", self._finish(OP_UPDATE_APP, response))

    async def update_app(
        self,
        project_id: str,
        instance_id: str,
        app_id: str,
        *,
        body: models.AppCreate,
        timeout: float | httpx.Timeout | None = None,
    ) -> models.AppInfo:
        """修改APP

        修改指定APP的信息。其中可修改的属性为:name、remark,当支持用户自定义key和secret的开关开启时,app_key和app_secret也支持修改,其它属性不可修改。

        PUT /v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}"""
        return (await self.update_app_raw(project_id, instance_id, app_id, body=body, timeout=timeout)).parsed
