"""The spec as the validator: request schemas and path-parameter schemas from spec/*.yaml, checked with
jsonschema_rs (ECMA-262 regular expressions, the reading the contract tester uses), plus body decoding."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema_rs
import yaml
from starlette.requests import Request

JSON_TYPES = ("application/json",)
ECHO_LIMIT = 64


def echo(value: str, limit: int = ECHO_LIMIT) -> str:
    """`value` fit to be repeated in an error message: at most `limit` characters (then `…`), and every
    character that is not printable (CR, LF, NUL, other controls and separators) as a `\\uXXXX` escape."""
    shown = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in value[:limit])
    return shown + ("…" if len(value) > limit else "")


class Invalid(Exception):
    """The request breaks the spec. `parameter` names the offending body field or path parameter (as `echo`
    shows it: a client-chosen field name comes back bounded and escaped)."""

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter = echo(parameter)
        self.reason = reason


class TooLarge(Invalid):
    """The body is larger than the configured limit; it was not read whole, so the connection must close."""


@dataclass(frozen=True)
class OperationSpec:
    """What the server enforces for one operation, read from the spec document."""

    operation_id: str
    body_required: bool
    media_types: tuple[str, ...]
    body: jsonschema_rs.Validator | None
    params: dict[str, jsonschema_rs.Validator] = field(default_factory=dict)

    def check_params(self, values: dict[str, str]) -> None:
        """Raise Invalid for the first path parameter its schema rejects."""
        for name, validator in self.params.items():
            for error in validator.iter_errors(values[name]):
                raise Invalid(name, error.kind.name)

    def check_body(self, data: Any) -> None:
        """Raise Invalid for the first problem of the decoded JSON body (the field, never its value)."""
        if self.body is None:
            return
        for error in self.body.iter_errors(data):
            raise Invalid(_where(error), error.kind.name)

    async def read_body(self, request: Request, limit: int) -> tuple[bool, Any]:
        """(present, data): the decoded JSON body, after checking size, content type, encoding and syntax.

        A body over `limit` bytes is refused by its Content-Length before any of it is read, or (chunked)
        as soon as what arrived passes the limit; it is never held whole."""
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise TooLarge("body", f"larger than {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise TooLarge("body", f"larger than {limit} bytes")
            chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw:
            if self.body_required:
                raise Invalid("body", "required")
            return False, None
        _check_content_type(request.headers.get("content-type"), self.media_types)
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError) as exc:
            raise Invalid("body", "malformed JSON") from exc
        except RecursionError as exc:  # nested deeper than the parser goes: malformed for this server
            raise Invalid("body", "nested too deeply") from exc
        if _SURROGATE.search(raw) and not _encodable(data):  # `"\\ud800"` decodes to no Unicode text
            raise Invalid("body", "lone surrogate")
        if not isinstance(data, dict):
            raise Invalid("body", "not a JSON object")
        return True, data


def _where(error: jsonschema_rs.ValidationError) -> str:
    if error.instance_path:
        return str(error.instance_path[0])
    missing = getattr(error.kind, "property", None)
    return str(missing) if missing is not None else "body"


_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _encodable(data: Any) -> bool:
    """The decoded body is Unicode text throughout (JSON escapes can spell lone surrogates, which are not)."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_content_type(header: str | None, allowed: tuple[str, ...]) -> None:
    """Accept the documented media types (type/subtype case-insensitive); a charset, if given, must be UTF-8."""
    if header is None:
        raise Invalid("Content-Type", "missing")
    kind, _, rest = header.partition(";")
    if kind.strip().lower() not in {a.partition(";")[0].strip().lower() for a in allowed}:
        raise Invalid("Content-Type", "unsupported media type")
    for param in rest.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in {"utf-8", "utf8"}:
            raise Invalid("Content-Type", "unsupported charset")


def load_operation(spec_file: Path, operation_id: str) -> OperationSpec:
    """Find `operation_id` in the document and compile validators for its path parameters and JSON body."""
    doc = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return _compile(doc, ["paths", path, method], op, item)
    raise LookupError(f"{spec_file}: no operation {operation_id!r}")


def _compile(doc: dict[str, Any], at: list[str], op: dict[str, Any], item: dict[str, Any]) -> OperationSpec:
    params: dict[str, jsonschema_rs.Validator] = {}
    for where, group in ((["parameters"], item.get("parameters", [])), ([], op.get("parameters", []))):
        for index, param in enumerate(group):
            param = _resolve(doc, param)
            if param.get("in") == "path" and "schema" in param:
                base = at[:-1] if where else at
                params[param["name"]] = _validator(doc, [*base, "parameters", str(index), "schema"])
    body = _resolve(doc, op.get("requestBody", {}))
    content = body.get("content", {})
    media = tuple(m for m in content if m.partition(";")[0].strip().lower() in JSON_TYPES)
    validator = None
    if media:
        validator = _validator(doc, [*at, "requestBody", "content", media[0], "schema"])
    return OperationSpec(op["operationId"], bool(body.get("required", False)), media, validator, params)


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _validator(doc: dict[str, Any], pointer: list[str]) -> jsonschema_rs.Validator:
    ref = "#/" + "/".join(quote(p.replace("~", "~0").replace("/", "~1"), safe="~") for p in pointer)
    return jsonschema_rs.Draft202012Validator({**doc, "$ref": ref}, validate_formats=False)
