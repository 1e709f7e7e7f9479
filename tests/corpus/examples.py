"""Read a corpus document's own response examples, and make call arguments from a generated method's signature."""

from __future__ import annotations

import datetime
import enum
import inspect
import json
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator, OAS31Validator
from pydantic import BaseModel
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_BASE = "urn:corpus-doc"


@dataclass(frozen=True)
class Example:
    """A documented success response with an example that conforms to its own schema."""

    method: str
    path: str
    status: int
    content_type: str
    value: Any


def load(path: Path) -> Any:
    """The document's data (JSON or YAML)."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=yaml.CSafeLoader)


def _deref(data: Any, node: Any, at: list[str]) -> tuple[Any, list[str]]:
    for _ in range(20):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            break
        at = [p.replace("~1", "/").replace("~0", "~") for p in node["$ref"][2:].split("/")]
        node = data
        for part in at:
            node = node[part]
    return node, at


def _pointer(parts: list[str]) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


_FORMATS = {"date-time": "2024-01-02T03:04:05Z", "date": "2024-01-02", "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}


def minimal(data: Any, schema: Any, depth: int = 0) -> Any:
    """The smallest instance of `schema` this can think of: required properties only, empty arrays."""
    schema, _ = _deref(data, schema, [])
    if not isinstance(schema, dict) or depth > 12:
        return None
    if schema.get("enum"):
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return minimal(data, schema[key][0], depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = minimal(data, part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kinds = schema.get("type")
    kind = next((k for k in kinds if k != "null"), "null") if isinstance(kinds, list) else kinds
    if kind is None and "properties" in schema:
        kind = "object"
    if kind == "object":
        props = schema.get("properties") or {}
        return {name: minimal(data, props.get(name), depth + 1) for name in schema.get("required") or []}
    if kind == "array":
        return [minimal(data, schema.get("items"), depth + 1) for _ in range(schema.get("minItems") or 0)]
    if kind == "string":
        return _FORMATS.get(schema.get("format", ""), "x" * max(1, schema.get("minLength") or 1))
    if kind in {"integer", "number"}:
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    return None


def _candidates(data: Any, media: dict[str, Any]) -> Iterator[Any]:
    if "example" in media:
        yield media["example"]
    for example in (media.get("examples") or {}).values():
        example, _ = _deref(data, example, [])
        if isinstance(example, dict) and "value" in example:
            yield example["value"]
    schema, _ = _deref(data, media.get("schema"), [])
    if isinstance(schema, dict) and "example" in schema:
        yield schema["example"]
    yield minimal(data, schema)  # the last resort when the document gives no (conforming) example


def success_examples(data: Any) -> Iterator[Example]:
    """For each operation, its first 2xx JSON response example that conforms to the response schema."""
    version31 = str(data.get("openapi", "")).startswith("3.1")
    spec = DRAFT202012 if version31 else DRAFT4
    registry: Registry[Any] = Registry().with_resource(_BASE, Resource.from_contents(data, default_specification=spec))
    validator_cls: Any = OAS31Validator if version31 else OAS30Validator
    for path, item in (data.get("paths") or {}).items():
        for method in METHODS:
            op = (item or {}).get(method)
            if not isinstance(op, dict):
                continue
            for status, raw in sorted((op.get("responses") or {}).items(), key=lambda kv: str(kv[0])):
                if not (str(status).isdigit() and str(status).startswith("2")):
                    continue
                response, at = _deref(data, raw, ["paths", path, method, "responses", str(status)])
                for mime, media in ((response or {}).get("content") or {}).items():
                    base = mime.split(";")[0].strip().lower()
                    if not (base == "application/json" or base.endswith("+json")) or "schema" not in media:
                        continue
                    ref = {"$ref": _BASE + "#" + _pointer([*at, "content", mime, "schema"])}
                    validator = validator_cls(ref, registry=registry)
                    for value in _candidates(data, media):
                        try:
                            ok = validator.is_valid(value)
                        except Exception:  # a schema construct the validator cannot follow: not a usable sample
                            ok = False
                        if ok:
                            yield Example(method.upper(), path, int(status), mime, value)
                            break
                    break
                break


def sample(annotation: Any) -> Any:
    """A plausible argument value for a parameter of type `annotation`."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return sample(args[0])
    if origin in {typing.Union, types.UnionType}:
        return sample(next(a for a in args if a is not type(None)))
    if origin is list:
        return [sample(args[0])] if args else []
    if origin is dict:
        return {}
    if origin is typing.Literal:
        return args[0]
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation))
        if issubclass(annotation, BaseModel):
            return annotation.model_construct()
        if issubclass(annotation, bool):
            return True
        if issubclass(annotation, int):
            return 1
        if issubclass(annotation, float):
            return 1.5
        if issubclass(annotation, bytes):
            return b"x"
        if issubclass(annotation, datetime.datetime):
            return datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
        if issubclass(annotation, datetime.date):
            return datetime.date(2024, 1, 2)
    return "x"


def required_arguments(method: Any) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments for every required parameter of a generated client method."""
    hints = typing.get_type_hints(method, include_extras=True)
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for name, param in inspect.signature(method).parameters.items():
        if name == "self" or param.default is not inspect.Parameter.empty:
            continue
        value = sample(hints[name])
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            keywords[name] = value
        else:
            positional.append(value)
    return positional, keywords
