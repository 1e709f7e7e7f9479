"""Client and AsyncClient: one method per operation, typed arguments, typed results, typed errors."""

from __future__ import annotations

from types import TracebackType
from typing import cast

import httpx
from pydantic import SecretStr
from typing_extensions import Self

from rainbond_console import _runtime as runtime
from rainbond_console import errors, models
from rainbond_console._runtime import BaseClient, Credential, Operation, RawResponse, RetryPolicy
from rainbond_console._wire import File, Param

__all__ = ["AsyncClient", "Client", "File"]

DEFAULT_BASE_URL = "http://127.0.0.1:7070"

OP_UPDATE_REGION = Operation(
    method="PUT",
    path="/openapi/v2/manage/regions/{region_id}",
    success={
        "200": (models.V2RegionInfoSerializer, "json"),
    },
    errors={
        "400": errors.BadRequestError,
        "401": errors.UnauthorizedError,
        "404": errors.NotFoundError,
    },
    security=("token",),
    body_kind="json",
    content_type="application/json",
    parameters={
        ("path", "region_id"): Param("simple", False, False, None),
    },
    encoding={},
)


def _credentials(
    token: str | SecretStr | None,
) -> dict[str, Credential]:
    found: dict[str, Credential] = {}
    if token is not None:
        found["token"] = Credential(
            "header", "Authorization", token if isinstance(token, SecretStr) else SecretStr(token)
        )
    return found


class Client(BaseClient):
    """Rainbond 控制台 OpenAPI v2 - 更新指定数据中心元数据: configure the base URL, credentials, timeout and retries once."""

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

    def update_region_raw(
        self,
        region_id: str,
        *,
        body: models.UpdateRegionReq | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> RawResponse[models.V2RegionInfoSerializer]:
        """更新指定数据中心元数据

        PUT /openapi/v2/manage/regions/{region_id}"""
        request = self._request(
            self.http,
            OP_UPDATE_REGION,
            path={
                "region_id": region_id,
            },
            query={},
            headers={},
            cookies={},
            body=body,
            timeout=timeout,
        )
        response = self._send(OP_UPDATE_REGION, request)
        return cast("RawResponse[models.V2RegionInfoSerializer]", self._finish(OP_UPDATE_REGION, response))

    def update_region(
        self,
        region_id: str,
        *,
        body: models.UpdateRegionReq | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> models.V2RegionInfoSerializer:
        """更新指定数据中心元数据

        PUT /openapi/v2/manage/regions/{region_id}"""
        return (self.update_region_raw(region_id, body=body, timeout=timeout)).parsed


class AsyncClient(BaseClient):
    """Rainbond 控制台 OpenAPI v2 - 更新指定数据中心元数据 (async): configure the base URL, credentials, timeout and retries once."""

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

    async def update_region_raw(
        self,
        region_id: str,
        *,
        body: models.UpdateRegionReq | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> RawResponse[models.V2RegionInfoSerializer]:
        """更新指定数据中心元数据

        PUT /openapi/v2/manage/regions/{region_id}"""
        request = self._request(
            self.http,
            OP_UPDATE_REGION,
            path={
                "region_id": region_id,
            },
            query={},
            headers={},
            cookies={},
            body=body,
            timeout=timeout,
        )
        response = await self._send(OP_UPDATE_REGION, request)
        return cast("RawResponse[models.V2RegionInfoSerializer]", self._finish(OP_UPDATE_REGION, response))

    async def update_region(
        self,
        region_id: str,
        *,
        body: models.UpdateRegionReq | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> models.V2RegionInfoSerializer:
        """更新指定数据中心元数据

        PUT /openapi/v2/manage/regions/{region_id}"""
        return (await self.update_region_raw(region_id, body=body, timeout=timeout)).parsed
