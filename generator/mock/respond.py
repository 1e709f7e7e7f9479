"""Bodies and headers of answers: documented examples, generated instances, stored resources shown through the
response schema (writeOnly dropped, sensitive fields masked the way the spec's examples mask them)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import negotiation
from .bodies import is_json
from .generation import Generator
from .negotiation import NOTHING, Choice
from .spec import MockSpec, Operation, all_properties, properties
from .validation import Validators


@dataclass
class Answer:
    """What the server sends: status, body bytes, headers."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def encode(value: Any, media: str | None) -> bytes:
    if value is NOTHING or media is None:
        return b""
    if isinstance(value, str) and not is_json(media):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def sensitive(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("format") == "password" or schema.get("x-sensitive") is True)


def mask_like(value: Any, shown: Any) -> Any:
    """`value` masked the way the example `shown` is (kept prefix and suffix around `*`s), or as is."""
    if not isinstance(value, str) or not isinstance(shown, str) or "*" not in shown:
        return value
    head = shown.index("*")
    stars = len(shown) - head - len(shown[head:].lstrip("*"))
    tail = len(shown) - head - stars
    if len(value) <= head + tail:
        return "*" * stars
    return value[:head] + "*" * stars + (value[-tail:] if tail else "")


def without_write_only(spec: MockSpec, schema: Any, value: Any, depth: int = 0) -> Any:
    """`value` with every property its schema (any branch) marks writeOnly removed, at any depth."""
    if depth > 32:
        return value
    schema = spec.resolve(schema)
    if isinstance(value, list) and isinstance(schema, dict):
        return [without_write_only(spec, schema.get("items"), v, depth + 1) for v in value]
    if not isinstance(value, dict) or not isinstance(schema, dict):
        return value
    props = {k: spec.resolve(v) for k, v in all_properties(spec, schema).items()}
    out = {}
    for key, item in value.items():
        prop = props.get(key)
        if isinstance(prop, dict) and prop.get("writeOnly"):
            continue
        out[key] = without_write_only(spec, prop, item, depth + 1) if isinstance(prop, dict) else item
    return out


class Responder:
    """Builds answers for one spec."""

    def __init__(self, spec: MockSpec, validators: Validators, generator: Generator) -> None:
        self.spec = spec
        self.validators = validators
        self.generator = generator

    def body_for(
        self, op: Operation, choice: Choice, key: str, example_name: str | None = None, generate: bool = True
    ) -> Any:
        """The example of the choice, else an instance generated from its schema (stable for `key`)."""
        value = negotiation.example(self.spec, choice, example_name)
        schema = negotiation.schema_of(self.spec, choice)
        if value is not NOTHING and (schema is None or not self.validators.errors(schema, value)):
            return value
        if schema is None or not generate:
            return value
        generated = self.generator.instance(schema, f"{op.label}:{choice.key}:{key}")
        if generated is None and value is not NOTHING:
            return value
        return generated if generated is not None else NOTHING

    def view(self, op: Operation, choice: Choice, stored: dict[str, Any], key: str) -> Any:
        """A stored resource as the response schema shows it; fields the schema rejects fall back to a base value."""
        schema = self.spec.resolve(negotiation.schema_of(self.spec, choice))
        if not isinstance(schema, dict):
            return stored
        props = {k: self.spec.resolve(v) for k, v in properties(self.spec, schema).items()}
        example = negotiation.example(self.spec, choice, None)
        shown: dict[str, Any] = {}
        for name, value in stored.items():
            prop = props.get(name)
            if props and prop is None and schema.get("additionalProperties") is False:
                continue
            if isinstance(prop, dict) and prop.get("writeOnly"):
                continue
            if sensitive(prop) and isinstance(example, dict):
                value = mask_like(value, example.get(name))
            shown[name] = value
        shown = without_write_only(self.spec, schema, shown)
        if not self.validators.errors(schema, shown):
            return shown
        base = without_write_only(self.spec, schema, self.body_for(op, choice, key))
        if isinstance(base, dict):
            shown = {**{k: v for k, v in base.items() if k not in stored}, **shown}  # what the store lacks (a seed)
            for _ in range(3):  # fields the response schema rejects take the base value (or go)
                bad = {p.split(":")[0].split("/")[0] for p in self.validators.errors(schema, shown) if ":" in p}
                if not bad:
                    break
                for name in bad:
                    if name in base:
                        shown[name] = base[name]
                    else:
                        shown.pop(name, None)
            if not self.validators.errors(schema, shown):
                return shown
        generated = self.generator.instance(schema, f"{op.label}:{choice.key}:{key}")
        return generated if generated is not None else base if base is not NOTHING else shown

    def headers(self, op: Operation, choice: Choice, key: str) -> dict[str, str]:
        """Values for the headers the response documents as required (examples first, then generated)."""
        out: dict[str, str] = {}
        for name, header in (choice.response.get("headers") or {}).items():
            header = self.spec.resolve(header)
            if not isinstance(header, dict) or str(name).lower() in ("content-type", "content-length"):
                continue
            if not header.get("required") and str(name).lower() != "location":
                continue
            schema = self.spec.resolve(header.get("schema")) or {}
            value: Any = header.get("example", schema.get("example") if isinstance(schema, dict) else None)
            if value is None and isinstance(header.get("examples"), dict) and header["examples"]:
                value = (self.spec.resolve(next(iter(header["examples"].values()))) or {}).get("value")
            if value is None:
                value = self.generator.instance(schema, f"{op.label}:{choice.key}:header:{name}:{key}")
            if value is None:
                continue
            text = (
                json.dumps(value)
                if isinstance(value, dict | list)
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
            if text.isprintable() and "\r" not in text and "\n" not in text:
                out[str(name)] = text
        return out

    def answer(self, op: Operation, choice: Choice, body: Any, key: str) -> Answer:
        headers = self.headers(op, choice, key)
        if choice.media is not None and body is not NOTHING:
            headers["content-type"] = choice.media
        return Answer(choice.status, encode(body, choice.media), headers)
