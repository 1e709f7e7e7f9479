"""Negotiation: which documented response answers a request (Prism's `Prefer: code=` and `example=`), and its body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .bodies import essence, is_json
from .spec import MockSpec, Operation

_PREFER = re.compile(r"\b(code|example)\s*=\s*\"?([^\s,;\"]+)")
NOTHING = object()


@dataclass
class Choice:
    """A documented response picked for a request: status, the `responses` key, its media type and object."""

    status: int
    key: str
    media: str | None
    response: dict[str, Any]
    example_name: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def preferences(header: str | None) -> dict[str, str]:
    return {k: v for k, v in _PREFER.findall(header or "")}


def _status_of(key: str, fallback: int) -> int:
    if key.isdigit():
        return int(key)
    if len(key) == 3 and key[0].isdigit() and key[1:].upper() == "XX":
        return int(key[0]) * 100
    return fallback


def documented(op: Operation, status: int) -> str | None:
    """The `responses` key that covers `status`: exact, then `4XX`, then `default`."""
    responses = op.raw.get("responses") or {}
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return key
    return None


def success_key(op: Operation) -> str | None:
    responses = [str(k) for k in op.raw.get("responses") or {}]
    good = sorted(k for k in responses if k.startswith("2") and k.isdigit())
    if good:
        return good[0]
    if "2XX" in responses:
        return "2XX"
    return "default" if "default" in responses else (sorted(responses)[0] if responses else None)


def choose(spec: MockSpec, op: Operation, key: str | None, accept: str | None, fallback: int = 200) -> Choice:
    """The response object behind `key` (None: the operation documents nothing) with a media type for Accept."""
    if key is None:
        return Choice(fallback, "", None, {})
    response = spec.resolve((op.raw.get("responses") or {}).get(key)) or {}
    status = _status_of(key, fallback)
    if key == "default" and fallback < 400:
        status = 200
    content = response.get("content") or {}
    media = _pick_media(list(content), accept)
    return Choice(status, key, media, response)


def _pick_media(available: list[str], accept: str | None) -> str | None:
    if not available:
        return None
    wanted = [essence(a) for a in (accept or "").split(",") if a.strip()]
    for want in wanted:
        for media in available:
            if essence(media) == want or want in ("*/*", essence(media).split("/")[0] + "/*"):
                return media
    json_first = [m for m in available if is_json(m)]
    return (json_first or available)[0]


def example(spec: MockSpec, choice: Choice, name: str | None) -> Any:
    """The documented example for the choice (by name when given), or NOTHING."""
    if choice.media is None:
        return NOTHING
    media = spec.resolve((choice.response.get("content") or {}).get(choice.media)) or {}
    examples = media.get("examples") if isinstance(media, dict) else None
    if isinstance(examples, dict) and examples:
        if name is not None and name in examples:
            choice.example_name = name
            return (spec.resolve(examples[name]) or {}).get("value", NOTHING)
        for example_name, value in examples.items():
            value = spec.resolve(value)
            if isinstance(value, dict) and "value" in value:
                choice.example_name = str(example_name)
                return value["value"]
    if isinstance(media, dict) and "example" in media:
        return media["example"]
    schema = spec.resolve(media.get("schema")) if isinstance(media, dict) else None
    if isinstance(schema, dict):
        if "example" in schema:
            return schema["example"]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return schema["examples"][0]
    return NOTHING


def schema_of(spec: MockSpec, choice: Choice) -> Any:
    if choice.media is None:
        return None
    media = spec.resolve((choice.response.get("content") or {}).get(choice.media)) or {}
    return media.get("schema") if isinstance(media, dict) else None
