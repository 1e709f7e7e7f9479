"""`default` values that do not match their own schema: one readable, located finding each; dropped when tolerated.

JSON Schema makes `default` an annotation, and real documents carry mistakes in it (a list default on a string
enum, a string default on an integer). `validate` and `generate --strict` report them as problems; a plain
`generate` warns, one line each, and leaves the invalid default out of the generated code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .load import Document, Pointer

if TYPE_CHECKING:
    from referencing import Registry

_BASE = "urn:specfirst:annotations"
# mappings from names to objects: a key `default` in them names an object, it is not a default value
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "schemas",
        "$defs",
        "definitions",
        "dependentSchemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "examples",
        "links",
        "callbacks",
        "content",
        "encoding",
        "securitySchemes",
        "pathItems",
        "paths",
        "webhooks",
        "variables",
    }
)
_VALUES = frozenset({"default", "example", "examples", "enum", "const"})  # hold data, not schemas
_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "an array",
    "object": "an object",
    "null": "null",
}


def _sites(data: Any) -> Iterator[tuple[Pointer, dict[str, Any]]]:
    """(pointer, schema) for every schema object in the document that carries a non-null `default`."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    containers = (dict, list)
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            named = bool(at) and str(at[-1]) in _NAME_MAPS
            if node.get("default") is not None and not named and not (len(at) > 1 and at[-2] == "variables"):
                yield list(at), node  # (a server variable has rules of its own; `default: null` means none)
            stack.extend(
                (v, (*at, k))
                for k, v in reversed(node.items())
                if isinstance(v, containers) and not str(k).startswith("x-") and (named or k not in _VALUES)
            )
        else:
            stack.extend((v, (*at, i)) for i, v in reversed(list(enumerate(node))) if isinstance(v, containers))


def _shown(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expected_types(schema: dict[str, Any]) -> str:
    found = schema.get("type")
    types = [found] if isinstance(found, str) else [t for t in found if isinstance(t, str)] if found else []
    if schema.get("nullable") is True and "null" not in types:
        types.append("null")
    return " or ".join(_TYPES.get(t, repr(t)) for t in types)


def _enum(schema: dict[str, Any]) -> str:
    found = schema.get("enum")
    values: list[Any] = found if isinstance(found, list) else []
    shown = ", ".join(_shown(v, 40) for v in values[:6]) + (", …" if len(values) > 6 else "")
    return f"one of {shown}"


def message(value: Any, schema: dict[str, Any], errors: list[Any]) -> str:
    """What is wrong with `value` as the `default` of `schema`: keyword, value and what the schema expects."""
    top = [e for e in errors if not list(e.absolute_path)]
    kinds = {e.validator for e in top}
    if "type" in kinds and _expected_types(schema):
        allows = f" (the schema allows {_enum(schema)})" if "enum" in schema else ""
        return f"default {_shown(value)} is not {_expected_types(schema)}{allows}"
    if "enum" in kinds:
        return f"default {_shown(value)} is not {_enum(schema)}"
    first = (top or errors)[0]
    inner = "/".join(str(p) for p in first.absolute_path)
    at = f" at '{inner}'" if inner else ""
    detail = " ".join(str(first.message).split())[:200]
    return f"default {_shown(value)} does not match its schema{at} ({first.validator}: {detail})"


def invalid_defaults(doc: Document) -> list[tuple[Pointer, Problem]]:
    """(pointer to the schema, problem at its `default`) for every default its own schema rejects."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    sites = list(_sites(data))
    if not sites:
        return []
    from openapi_schema_validator import OAS30Validator, OAS31Validator  # a fifth of a second: only when needed
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4, DRAFT202012

    v31 = str(data.get("openapi", "")).startswith("3.1")
    registry: Registry[Any] = Registry().with_resource(
        _BASE, Resource.from_contents(data, default_specification=DRAFT202012 if v31 else DRAFT4)
    )
    validator_cls = OAS31Validator if v31 else OAS30Validator
    found = []
    for pointer, schema in sites:
        ref = _BASE + "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in pointer)
        try:
            errors = list(validator_cls({"$ref": ref}, registry=registry).iter_errors(schema["default"]))
        except Exception:  # an unresolvable $ref or a malformed schema: the structural check reports it
            continue
        if errors:
            found.append((pointer, doc.problem([*pointer, "default"], message(schema["default"], schema, errors))))
    return found


def drop_invalid_defaults(doc: Document) -> list[Problem]:
    """Remove every invalid default from `doc.data` (so no stage uses it); the warnings, one per default."""
    found = invalid_defaults(doc)
    for pointer, _ in found:
        node: Any = doc.data
        for part in pointer:
            node = node[part]
        node.pop("default", None)
    return [problem for _, problem in found]
