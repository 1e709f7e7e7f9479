"""The FastAPI application: both APIs on one app, SQLite store, and error handlers that keep every answer
in the documented shapes (no FastAPI 422, no default `{"detail": ...}`, no stack trace in a body)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference import huawei, rainbond
from reference.settings import Settings
from reference.store import Store
from reference.validation import load_operation

logger = logging.getLogger("reference")

RAINBOND_PREFIX = "/openapi/"


def _error_for(path: str, status: int, detail: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """An error in the shape of the API the path belongs to."""
    if path.startswith(RAINBOND_PREFIX):
        return rainbond.fail(status, detail, headers)
    if status == 404:
        response = huawei.error(404, "APIG.0101", "The API does not exist or has not been published in an environment")
    elif status >= 500:
        response = huawei.system_error()
    else:
        response = huawei.error(status, "APIG.2012", detail)
    response.headers.update(headers or {})
    return response


def origin_form(scope: Scope) -> Scope:
    """The scope of a request whose target is in absolute form (`PUT http://host/v2/... HTTP/1.1`, which
    RFC 9112 section 3.2.2 says a server must accept) as if it had been sent in origin form (`PUT /v2/...`)."""
    raw = scope.get("raw_path") or scope.get("path", "").encode()
    scheme, sep, rest = raw.partition(b"://")
    if not sep or scheme.lower() not in (b"http", b"https") or b"/" in scheme:
        return scope
    slash = rest.find(b"/")
    target = rest[slash:] if slash >= 0 else b"/"
    return {**scope, "raw_path": target, "path": unquote(target.decode("latin-1"))}


class Guard:
    """Last line: an exception escaping a handler becomes the API's 500 body and one log line, no traceback.

    A client that goes away mid-request is no server error: one info line. Absolute-form targets are served."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope = origin_form(scope)
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except ClientDisconnect:
            logger.info("%s %s: the client disconnected before the request ended", scope.get("method"), scope["path"])
        except Exception as exc:
            logger.error("%s %s failed: %s", scope.get("method"), scope.get("path"), type(exc).__name__)
            if started:
                raise
            await _error_for(scope.get("path", ""), 500, "系统错误")(scope, receive, send)


def create_app(settings: Settings) -> FastAPI:
    """Open (and on first start create and seed) the database, then build the app serving both APIs."""
    store = Store(settings.db)
    store.initialize()
    app = FastAPI(title="specfirst reference", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(
        huawei.router(settings, store, load_operation(settings.spec_dir / "huawei-apig.yaml", "update_app"))
    )
    app.include_router(
        rainbond.router(settings, store, load_operation(settings.spec_dir / "rainbond-console.yaml", "update_region"))
    )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return _error_for(request.url.path, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error_for(request.url.path, 400, "Invalid request")

    app.add_middleware(Guard)
    return app
