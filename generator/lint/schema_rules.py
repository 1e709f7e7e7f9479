"""Rules over schemas: enums, types, `$ref` siblings, and specfirst's own (secrets, patterns, lengths)."""

from __future__ import annotations

import json
from typing import Any

from ..naming import snake
from ..schema_util import schema_types
from .model import Context, Ptr
from .walker import SCHEMA_PREFIX, SchemaAt

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}
_CREDENTIAL_WORDS = frozenset({"secret", "password", "passwd", "token", "key"})
_CREDENTIAL_STEMS = ("secret", "passw", "token", "key")
_BOUNDED_FORMATS = frozenset({"date", "date-time", "time", "uuid", "ipv4", "ipv6", "binary", "byte", "duration"})
_COMPOSED = ("allOf", "anyOf", "oneOf", "additionalProperties", "patternProperties", "$ref")


def schema(ctx: Context, node: dict[str, Any], ptr: Ptr, at: SchemaAt) -> None:
    """Every rule over one schema node."""
    types = schema_types(node)
    enum = node.get("enum")
    if isinstance(enum, list):
        _enum(ctx, node, enum, types, ptr)
    if "array" in types and "items" not in node and "prefixItems" not in node:
        ctx.emit("array-items", ptr, "schema of type array has no items")
    if types == ["object"] and "items" in node:
        ctx.emit("no-schema-type-mismatch", (*ptr, "items"), "schema of type object has items")
    if types == ["array"] and "properties" in node:
        ctx.emit("no-schema-type-mismatch", (*ptr, "properties"), "schema of type array has properties")
    if ctx.version == "3.0" and node.get("nullable") is True and "type" not in node:
        ctx.emit("nullable-type-sibling", (*ptr, "nullable"), "nullable has no type beside it")
    _required(ctx, node, ptr)
    if at.prop is not None and not at.read_only:
        _credential(ctx, node, types, ptr, at.prop)
    pattern = node.get("pattern")
    if isinstance(pattern, str) and not (pattern.startswith("^") and _ends_anchored(pattern)):
        ctx.emit("pattern-not-anchored", (*ptr, "pattern"), f"pattern {pattern[:60]!r} is not anchored with ^...$")
    if (at.in_request or at.component is not None) and not at.read_only and _unbounded_string(node, types):
        what = f"property {at.prop!r}" if at.prop else "string"
        message = f"request {what} has no maxLength"
        if at.in_request:
            ctx.emit("request-string-max-length", ptr, message)
        elif at.component is not None and "request-string-max-length" in ctx.active:
            if not ctx.deferred:
                ctx.finishers.append(_request_strings)
            ctx.deferred.append((at.component, "request-string-max-length", ptr, message))


def _enum(ctx: Context, node: dict[str, Any], enum: list[Any], types: list[str], ptr: Ptr) -> None:
    seen: set[str] = set()
    for i, value in enumerate(enum):
        key = json.dumps(value, sort_keys=True, default=str) if isinstance(value, dict | list) else repr(value)
        if key in seen:
            ctx.emit("duplicated-entry-in-enum", (*ptr, "enum", i), f"enum value {value!r} is listed twice")
        seen.add(key)
    if not types:
        return
    allowed = tuple(t for name in types for t in _JSON_TYPES.get(name, ()))
    nullable = "null" in types or node.get("nullable") is True
    for i, value in enumerate(enum):
        if value is None and nullable:
            continue
        wrong = not isinstance(value, allowed) if allowed else False
        if isinstance(value, bool) and "boolean" not in types:
            wrong = True
        if isinstance(value, float) and types == ["integer"] and not value.is_integer():
            wrong = True
        if wrong:
            ctx.emit("typed-enum", (*ptr, "enum", i), f"enum value {value!r} is not of type {'|'.join(types)}")


def _required(ctx: Context, node: dict[str, Any], ptr: Ptr) -> None:
    required, props = node.get("required"), node.get("properties")
    if not isinstance(required, list) or not isinstance(props, dict) or any(k in node for k in _COMPOSED):
        return
    for i, name in enumerate(required):
        if name not in props:
            ctx.emit(
                "no-required-schema-properties-undefined", (*ptr, "required", i), f"required {name!r} is not a property"
            )


def _credential(ctx: Context, node: dict[str, Any], types: list[str], ptr: Ptr, name: str) -> None:
    lowered = name.lower()
    if not any(word in lowered for word in _CREDENTIAL_STEMS):
        return
    words = snake(name).split("_")
    if words == ["key"] or words[-1] not in _CREDENTIAL_WORDS:
        return
    if [t for t in types if t != "null"] not in ([], ["string"]) or "$ref" in node:
        return
    if node.get("format") == "password" or node.get("writeOnly") is True or node.get("x-sensitive") is True:
        return
    message = f"property {name!r} looks like a credential: mark it format: password, writeOnly or x-sensitive"
    ctx.emit("credential-not-sensitive", ptr, message)


def _ends_anchored(pattern: str) -> bool:
    if not pattern.endswith("$"):
        return False
    backslashes = len(pattern[:-1]) - len(pattern[:-1].rstrip("\\"))
    return backslashes % 2 == 0


def _unbounded_string(node: dict[str, Any], types: list[str]) -> bool:
    if "string" not in types or "maxLength" in node or "enum" in node or "const" in node:
        return False
    return node.get("format") not in _BOUNDED_FORMATS


def _component(ref: str) -> str | None:
    if not ref.startswith(SCHEMA_PREFIX):
        return None
    return ref[len(SCHEMA_PREFIX) :].split("/", 1)[0].replace("~1", "/").replace("~0", "~")


def _request_strings(ctx: Context) -> None:
    """Strings inside component schemas that a request reaches (through `$ref`s, transitively)."""
    todo = [c for c in map(_component, ctx.request_refs) if c is not None]
    reached: set[str] = set()
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo.extend(c for c in map(_component, ctx.schema_refs.get(name, ())) if c is not None)
    for component, rule, ptr, message in ctx.deferred:
        if component in reached:
            ctx.emit(rule, ptr, message)


def ref(ctx: Context, node: dict[str, Any], ptr: Ptr) -> None:
    """OpenAPI 3.0: keys beside a `$ref` are ignored by the specification, so they mislead."""
    if ctx.version != "3.0":
        return
    for key in node:
        if key != "$ref":
            ctx.emit("no-$ref-siblings", (*ptr, key), f"{key!r} beside $ref is ignored in OpenAPI 3.0")
            return
