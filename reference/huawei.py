"""Huawei APIG `update_app`: PUT /v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}."""

from __future__ import annotations

import hmac
import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from huawei_apig import models
from huawei_apig.client import OP_UPDATE_APP
from reference.convert import build, from_body, to_json
from reference.settings import Settings
from reference.store import NotFound, Store, StoreError
from reference.validation import Invalid, OperationSpec, TooLarge, echo

logger = logging.getLogger("reference.huawei")

#: The only attributes the document lets a caller change.
CHANGEABLE = ("name", "remark", "app_key", "app_secret")


def error(status: int, code: str, message: str) -> JSONResponse:
    """A documented error response: ApigError {error_code, error_msg}."""
    body = models.ApigError(error_code=code, error_msg=message)
    return JSONResponse(to_json(body), status_code=status)


def invalid(parameter: str) -> JSONResponse:
    return error(400, "APIG.2012", f"Invalid parameter value,parameterName:{parameter}. "
                 "Please refer to the support documentation")  # fmt: skip


def system_error() -> JSONResponse:
    return error(500, "APIG.9999", "System error")


def mask(secret: str) -> str:
    """The document's masking: first 3 characters, 12 asterisks, last 3 (`416************ab8`)."""
    return secret[:3] + "*" * 12 + secret[-3:]


def timestamp(ns: int) -> str:
    """UTC time with nanoseconds, as the document's update_time (`2020-08-03T13:21:48.381148828Z`)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 1_000_000_000)) + f".{ns % 1_000_000_000:09d}Z"


def app_info(row: dict[str, Any]) -> models.AppInfo:
    """The 201 body from a stored row; raises on a row that does not fit the schema (a corrupt record)."""
    data = {k: row[k] for k in models.AppInfo.model_fields if row.get(k) is not None}
    if "app_secret" in data:
        data["app_secret"] = mask(data["app_secret"])
    if "status" in data and not isinstance(data["status"], int):
        raise ValueError("stored status is not an integer")
    return build(models.AppInfo, data)


def router(settings: Settings, store: Store, spec: OperationSpec) -> APIRouter:
    """The route, its auth (X-Auth-Token: full or read-only) and its documented answers."""
    routes = APIRouter()

    @routes.put(OP_UPDATE_APP.path, status_code=201, response_model=None)
    async def update_app(request: Request, project_id: str, instance_id: str, app_id: str) -> JSONResponse:
        token = request.headers.get("x-auth-token")
        full = token is not None and hmac.compare_digest(token.encode(), _raw(settings.huawei_token))
        readonly = token is not None and hmac.compare_digest(token.encode(), _raw(settings.huawei_readonly_token))
        if not (full or readonly):
            return error(401, "APIG.1002", "Incorrect token or token resolution failed")
        if not full:
            return error(403, "APIG.1005", "No permissions to request this method")
        try:
            spec.check_params({"project_id": project_id, "instance_id": instance_id, "app_id": app_id})
            _, data = await spec.read_body(request, settings.max_body_bytes)
            spec.check_body(data)
            body = from_body(models.AppCreate, data)
        except Invalid as exc:
            response = invalid(exc.parameter)
            if isinstance(exc, TooLarge):  # the rest of the body is not read: this connection ends here
                response.headers["Connection"] = "close"
            return response
        changes: dict[str, Any] = {}
        for name in CHANGEABLE:
            if name in body.model_fields_set:
                value = getattr(body, name)
                changes[name] = value.get_secret_value() if isinstance(value, SecretStr) else value
        try:
            info = await store.write(store.update_app, project_id, instance_id, app_id, changes, app_info, timestamp)
        except NotFound as exc:
            if exc.kind == "app":
                return error(404, "APIG.3002", f"App {echo(app_id)} does not exist")
            return error(404, "APIG.3030", f"Instance {echo(instance_id)} does not exist")
        except StoreError as exc:
            logger.error("update_app failed: %s", exc)
            return system_error()
        return JSONResponse(to_json(info), status_code=201)

    return routes


def _raw(secret: SecretStr) -> bytes:
    return secret.get_secret_value().encode()
