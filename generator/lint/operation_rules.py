"""Rules over operations, their parameters, responses, media types and examples."""

from __future__ import annotations

import re
from typing import Any

from ..build import CLIENT_ATTRIBUTES
from ..naming import Namer, snake
from .document_rules import security_defined
from .model import Context, Ptr
from .walker import Operation

_URL_SAFE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*$")
_PATH_VAR = re.compile(r"\{([^{}]+)\}")
_MUTATING = frozenset({"post", "put", "patch", "delete"})
_NO_BODY = frozenset({"204", "205", "304"})


def operation(ctx: Context, site: Operation) -> None:
    """operationId, tags, texts, responses, parameters, security of one operation."""
    op, ptr = site.op, site.ptr
    op_id = op.get("operationId")
    where = f"{site.method.upper()} {site.path}"
    if not isinstance(op_id, str) or not op_id:
        ctx.emit("operation-operationId", ptr, f"{where} has no operationId")
    else:
        seen: dict[str, str] = ctx.memo.setdefault("operation-ids", {})
        if op_id in seen:
            ctx.emit(
                "operation-operationId-unique", (*ptr, "operationId"), f"operationId {op_id!r} is also {seen[op_id]}"
            )
        else:
            seen[op_id] = where
        if not _URL_SAFE.match(op_id):
            ctx.emit(
                "operation-operationId-valid-in-url", (*ptr, "operationId"), f"operationId {op_id!r} is not URL-safe"
            )
    _python_name(ctx, site, op_id if isinstance(op_id, str) else "")
    tags = op.get("tags")
    if not isinstance(tags, list) or not tags:
        ctx.emit("operation-tags", ptr, f"{where} has no tags")
    else:
        declared = {t.get("name") for t in ctx.data.get("tags") or [] if isinstance(t, dict)}
        for i, name in enumerate(tags):
            if name not in declared:
                ctx.emit("operation-tag-defined", (*ptr, "tags", i), f"tag {name!r} is not in the global tags")
    if not (isinstance(op.get("description"), str) and op["description"].strip()):
        ctx.emit("operation-description", ptr, f"{where} has no description")
    if not (isinstance(op.get("summary"), str) and op["summary"].strip()):
        ctx.emit("operation-summary", ptr, f"{where} has no summary")
    statuses = [str(s).upper() for s in op.get("responses") or {}] if isinstance(op.get("responses"), dict) else []
    at = (*ptr, "responses") if "responses" in op else ptr
    if not any(s[:1] in "23" and s[:1] for s in statuses):
        ctx.emit("operation-success-response", at, f"{where} has no 2xx or 3xx response")
    if not any(s.startswith("4") for s in statuses):
        ctx.emit("operation-4xx-response", at, f"{where} has no 4xx response")
    _parameters(ctx, site)
    security_defined(ctx, op.get("security"), (*ptr, "security"))
    if site.method in _MUTATING:
        requirements = op.get("security", ctx.data.get("security"))
        if not isinstance(requirements, list) or not any(isinstance(r, dict) and r for r in requirements):
            at = (*ptr, "security") if "security" in op else ptr
            ctx.emit("mutating-operation-security", at, f"{where} changes state with no security requirement")


def _python_name(ctx: Context, site: Operation, op_id: str) -> None:
    """The client method name the generator gives the operation (its Namer, in its order)."""
    namer: Namer = ctx.memo.setdefault("python-names", Namer(CLIENT_ATTRIBUTES))
    wanted = snake(op_id or f"{site.method} {site.path}", fallback="operation")
    got = namer.claim(wanted)
    namer.claim(f"{got}_raw")
    if not op_id:
        return
    at = (*site.ptr, "operationId")
    if got != wanted:
        ctx.emit("operation-python-name", at, f"operationId {op_id!r} clashes: the client method is {got}()")
    elif wanted != _plain_snake(op_id):
        ctx.emit("operation-python-name", at, f"operationId {op_id!r} is renamed: the client method is {got}()")


def _plain_snake(op_id: str) -> str:
    """What a reader expects from an operationId: its words (camelCase split) joined by underscores."""
    if not op_id.isascii():
        return ""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", op_id)
    words = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", words)
    return "_".join(w.lower() for w in re.split(r"[^0-9A-Za-z]+", words) if w)


def _parameters(ctx: Context, site: Operation) -> None:
    seen: set[tuple[Any, Any]] = set()
    declared: dict[str, Ptr] = {}
    for param, ptr in site.params:
        key = (param.get("name"), param.get("in"))
        if key in seen:
            ctx.emit("operation-parameters-unique", ptr, f"parameter {key[0]!r} in {key[1]} is declared twice")
        seen.add(key)
        if param.get("in") == "path" and isinstance(param.get("name"), str):
            declared[param["name"]] = ptr
    used = _PATH_VAR.findall(site.path)
    for name in used:
        if name not in declared:
            ctx.emit("path-params", site.ptr, f"path parameter {{{name}}} of {site.path} is not declared")
    for name, ptr in declared.items():
        if name not in used:
            ctx.emit("path-params", ptr, f"path parameter {name!r} is not in the path {site.path}")


def response(ctx: Context, status: str, node: dict[str, Any], ptr: Ptr, method: str) -> None:
    """A documented status the client can parse: it has content with a schema."""
    if status[:1] in "13" or status in _NO_BODY or method == "head":
        return
    content = node.get("content")
    if not isinstance(content, dict) or not content:
        ctx.emit("response-status-without-schema", ptr, f"response {status} documents no body schema")
        return
    for mime, media in content.items():
        if not (isinstance(media, dict) and isinstance(media.get("schema"), dict)):
            ctx.emit(
                "response-status-without-schema", (*ptr, "content", mime), f"response {status} {mime} has no schema"
            )


def example(ctx: Context, node: dict[str, Any], ptr: Ptr) -> None:
    """An Example Object has `value` or `externalValue`, not both."""
    if "value" in node and "externalValue" in node:
        ctx.emit("no-example-value-and-externalValue", ptr, "example has both value and externalValue")
