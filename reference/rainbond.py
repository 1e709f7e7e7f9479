"""Rainbond console `update_region`: PUT /openapi/v2/manage/regions/{region_id}."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from rainbond_console import models
from rainbond_console.client import OP_UPDATE_REGION
from reference.convert import build, from_body, to_json
from reference.settings import Settings
from reference.store import NotFound, Store, StoreError
from reference.validation import Invalid, OperationSpec, TooLarge

logger = logging.getLogger("reference.rainbond")

#: Response fields the schema types as `string | null`: they are returned as null, never dropped.
NULLABLE = ("token", "ssl_ca_cert", "cert_file", "key_file")


def fail(status: int, msg: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """A documented error response: Fail {msg} (1-300 characters)."""
    body = models.Fail(msg=msg[:300] or "error")
    return JSONResponse(to_json(body), status_code=status, headers=headers)


def region_info(row: dict[str, Any]) -> models.V2RegionInfoSerializer:
    """The 200 body from a stored row; raises on a row that does not fit the schema."""
    return build(
        models.V2RegionInfoSerializer, {k: row[k] for k in models.V2RegionInfoSerializer.model_fields if k in row}
    )


def router(settings: Settings, store: Store, spec: OperationSpec) -> APIRouter:
    """The route, its auth (`Authorization: <token>`, no scheme) and its documented answers."""
    routes = APIRouter()

    @routes.put(OP_UPDATE_REGION.path, status_code=200, response_model=None)
    async def update_region(request: Request, region_id: str) -> JSONResponse:
        token = request.headers.get("authorization")
        if not token:
            return fail(401, "No token", {"WWW-Authenticate": "Token"})
        if not hmac.compare_digest(token.encode(), settings.rainbond_token.get_secret_value().encode()):
            return fail(401, "token is invalid", {"WWW-Authenticate": "Token"})
        changes: dict[str, Any] = {}
        try:
            spec.check_params({"region_id": region_id})
            present, data = await spec.read_body(request, settings.max_body_bytes)
            if present:
                spec.check_body(data)
                body = from_body(models.UpdateRegionReq, data)
                for name in body.model_fields_set:
                    value = getattr(body, name)
                    if isinstance(value, SecretStr):
                        value = value.get_secret_value()
                    changes[name] = str(value) if isinstance(value, str) else value
        except Invalid as exc:
            close = {"Connection": "close"} if isinstance(exc, TooLarge) else None  # the rest is not read
            return fail(400, f"参数错误: {exc.parameter} ({exc.reason})", close)
        try:
            info = await store.write(store.update_region, region_id, changes, region_info)
        except NotFound:
            return fail(404, "修改的数据中心不存在")
        except StoreError as exc:
            logger.error("update_region failed: %s", exc)
            return fail(500, "系统错误")
        return JSONResponse(to_json(info, NULLABLE), status_code=200)

    return routes
