"""Small read-only helpers over raw schema and media data, shared by the hoist and build stages."""

from __future__ import annotations

from typing import Any

PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
LOCATIONS = frozenset({"path", "query", "header", "cookie"})
_KINDS = ["json", "form", "multipart", "text", "bytes"]  # the order a body's media type is picked in


def text(value: Any) -> str:
    """`value` when it is a string, else the empty string."""
    return value if isinstance(value, str) else ""


def schema_types(schema: dict[str, Any]) -> list[str]:
    """A schema's `type` as a list (3.1 allows a list; 3.0 one string)."""
    t = schema.get("type")
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    return [t] if isinstance(t, str) else []


def is_primitive(schema: dict[str, Any]) -> bool:
    """One scalar type (null aside), no enum and no reference: typed by a builtin, not a model."""
    non_null = [t for t in schema_types(schema) if t != "null"]
    return len(non_null) == 1 and non_null[0] in PRIMITIVES and "enum" not in schema and "$ref" not in schema


def _is_json(mime: str) -> bool:
    base = mime.split(";", maxsplit=1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def body_kind(mime: str) -> str:
    """json | form | multipart | text | bytes: how a body of this media type is sent and read."""
    base = mime.split(";", maxsplit=1)[0].strip().lower()
    if _is_json(mime):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "bytes"


def pick_media(content: Any) -> tuple[str, dict[str, Any]] | None:
    """The media type the client uses from a `content` map (JSON first), and its Media Type Object."""
    if not isinstance(content, dict) or not content:
        return None
    order = sorted(content, key=lambda m: _KINDS.index(body_kind(m)))
    mime = order[0]
    media = content[mime]
    return mime, media if isinstance(media, dict) else {}


def status_sort(status: str) -> tuple[int, str]:
    """Sort key for response statuses: numeric order, 2XX as 200, `default` last."""
    return (999 if status == "default" else int(status.replace("X", "0").replace("x", "0")), status)
