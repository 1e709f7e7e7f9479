"""Request bodies off the wire by media type: JSON (depth-bounded), form-urlencoded and multipart (stdlib parser)."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from . import params

MAX_DEPTH = 128
UNCHECKED = object()


class BodyError(ValueError):
    """A body that cannot be read as its media type says."""


def essence(media: str) -> str:
    return media.split(";", maxsplit=1)[0].strip().lower()


def is_json(media: str) -> bool:
    base = essence(media)
    return base == "application/json" or base.endswith("+json") or (base == "*/*" and False)


def match(declared: str, documented: list[str]) -> str | None:
    """The documented media type (key of `content`) a request's Content-Type falls under."""
    sent = essence(declared)
    by_essence = {essence(m): m for m in documented}
    if sent in by_essence:
        return by_essence[sent]
    major = sent.split("/")[0]
    for key, original in by_essence.items():
        if key in (f"{major}/*", "*/*"):
            return original
    return None


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def load_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
        value = json.loads(text)
    except UnicodeDecodeError:
        raise BodyError("not UTF-8") from None
    except RecursionError:
        raise BodyError(f"JSON nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:
        raise BodyError(f"invalid JSON: {str(exc)[:80]}") from None
    if _depth(value) > MAX_DEPTH:
        raise BodyError(f"JSON nested more than {MAX_DEPTH} levels deep")
    return value


def parse(raw: bytes, declared: str, schema: Any, resolve: Any) -> Any:
    """The body as JSON data for schema validation, or UNCHECKED for media types read as opaque bytes."""
    base = essence(declared)
    if base == "application/json" or base.endswith("+json"):
        return load_json(raw)
    if base in ("application/xml", "text/xml") or base.endswith("+xml"):
        from . import xmlbody

        try:
            return xmlbody.load(raw, schema, resolve)
        except xmlbody.XmlError as exc:
            raise BodyError(str(exc)) from None
    if base == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise BodyError("form body is not UTF-8") from None
        return _fields(pairs, schema, resolve)
    if base.startswith("multipart/"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + declared.encode("latin-1") + b"\r\n\r\n" + raw
        )
        if not message.is_multipart():
            raise BodyError("multipart body without parts")
        pairs = []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not name:
                continue
            payload = part.get_payload(decode=True) or b""
            if not isinstance(payload, bytes):
                continue
            text = payload.decode("utf-8", "replace") if not part.get_filename() else payload.decode("latin-1")
            pairs.append((str(name), text))
        return _fields(pairs, schema, resolve)
    return UNCHECKED


def _fields(pairs: list[tuple[str, str]], schema: Any, resolve: Any) -> dict[str, Any]:
    schema = resolve(schema) or {}
    props = schema.get("properties") or {} if isinstance(schema, dict) else {}
    out: dict[str, Any] = {}
    nested = {n.split("[", 1)[0] for n, _ in pairs if "[" in n and n not in props and n.split("[", 1)[0] in props}
    for name in nested:  # `address[city]=…` (an Encoding Object's deepObject, as Stripe declares it)
        value = params.deep_object(name, pairs, props[name], resolve)
        if value is not params.MISSING:
            out[name] = value
    for name, value in pairs:
        if name not in props and name.split("[", 1)[0] in nested:
            continue
        prop = resolve(props.get(name)) or {}
        if "array" in params._types(prop):
            out.setdefault(name, []).append(params.coerce(value, prop.get("items") or {}, resolve))
        elif params._types(prop) in (["object"],):
            try:
                out[name] = json.loads(value)
            except ValueError:
                out[name] = value
        else:
            out[name] = params.coerce(value, prop, resolve)
    for name in schema.get("required") or [] if isinstance(schema, dict) else []:
        if name not in out and "array" in params._types(resolve(props.get(name)) or {}):
            out[name] = []  # an empty array has no form field to carry it
    return out
