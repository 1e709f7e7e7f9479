"""Constructs the generated code cannot carry, each named with its place; and places for validator findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .errors import GenerationError, Problem
from .load import Document

# keys whose values are data, not schemas: a `pattern` key below them is not a keyword
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})


def _patterns(node: Any, at: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    """(pointer, regex) for every `pattern` keyword and `patternProperties` key in the document."""
    stack: list[tuple[Any, list[str | int]]] = [(node, at)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, list):
            stack.extend((v, [*at, i]) for i, v in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("pattern"), str):
            yield [*at, "pattern"], node["pattern"]
        props = node.get("patternProperties")
        if isinstance(props, dict):
            yield from (([*at, "patternProperties", k], k) for k in props if isinstance(k, str))
        for key, value in node.items():
            if not (isinstance(key, str) and (key in _DATA_KEYS or key.startswith("x-"))):
                stack.append((value, [*at, key]))


def _engines(pattern: str) -> tuple[str | None, str | None]:
    """Why pydantic's Rust engine and Python's re reject `pattern` (None where one compiles it)."""
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    rust = python = None
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError as exc:
        rust = str(exc).strip().splitlines()[-1].strip()
    try:
        re.compile(pattern)
    except re.error as exc:
        python = str(exc)
    return rust, python


def _owner(at: list[str | int]) -> tuple[str | int, ...]:
    """The schema whose generated model holds the pattern at `at` (patterns share one engine per model)."""
    if at[:2] == ["components", "schemas"]:
        return tuple(at[:3])
    return tuple(at[: at.index("schema") + 1]) if "schema" in at else tuple(at[:-1])


def pattern_problems(doc: Document) -> list[Problem]:
    """Every regex the generated models would fail to compile (at import time), at its line.

    A model uses pydantic's Rust engine, or Python's re when one of its patterns needs it (lookaround,
    backreferences): then every pattern of that model must compile with Python's re.
    """
    found = [(at, pattern, *_engines(pattern)) for at, pattern in _patterns(doc.data, [])]
    needs_python = {_owner(at): at for at, _, rust, python in found if rust is not None and python is None}
    problems = []
    for at, pattern, rust, python in found:
        if rust is not None and python is not None:
            why = f"no regex engine of pydantic compiles it (Rust regex: {rust}; Python re: {python})"
        elif python is not None and _owner(at) in needs_python:
            other = doc.locate(needs_python[_owner(at)])
            why = f"Python's re cannot compile it ({python}) and the pattern at line {other[0]} needs Python's re"
        else:
            continue
        message = f"pattern {pattern[:80]!r} is not supported: {why}"
        problems.append(doc.problem(at, " ".join(message.split())[:300]))
    return sorted(problems)


def value_pointer(doc: Document, value: Any, keys: frozenset[str]) -> list[str | int]:
    """The first place (document order) where one of `keys` holds `value`; [] when there is none.

    openapi-spec-validator reports a bad `default` relative to the value itself: this finds it again.
    """
    stack: list[tuple[Any, list[str | int]]] = [(doc.data, [])]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            for key in keys:
                if key in node and node[key] == value and type(node[key]) is type(value):
                    return [*at, key]
            stack.extend(reversed([(v, [*at, k]) for k, v in node.items() if not str(k).startswith("x-")]))
        elif isinstance(node, list):
            stack.extend(reversed([(v, [*at, i]) for i, v in enumerate(node)]))
    return []


def node_pointer(doc: Document, node: Any) -> list[str | int] | None:
    """The first place (document order) that holds the object `node` itself; None when none does."""
    stack: list[tuple[Any, list[str | int]]] = [(doc.data, [])]
    while stack:
        here, at = stack.pop()
        if here is node:
            return at
        if isinstance(here, dict):
            stack.extend(reversed([(v, [*at, k]) for k, v in here.items()]))
        elif isinstance(here, list):
            stack.extend(reversed([(v, [*at, i]) for i, v in enumerate(here)]))
    return None


def self_array_problems(doc: Document) -> list[Problem]:
    """Component schemas that are arrays of themselves: lists nested without end have no Python type."""
    schemas = (doc.data.get("components") or {}).get("schemas") or {}
    problems = []
    for name, schema in schemas.items() if isinstance(schemas, dict) else ():
        items = schema.get("items") if isinstance(schema, dict) else None
        own = "#/components/schemas/" + str(name).replace("~", "~0").replace("/", "~1")
        if isinstance(items, dict) and items.get("$ref") == own:
            message = f"schema {str(name)[:80]!r} is an array of itself: not supported (lists nested without end)"
            problems.append(doc.problem(["components", "schemas", name, "items"], message))
    return problems


def check(doc: Document) -> None:
    """Refuse (GenerationError, exit 2) a valid document using a construct the generated code cannot carry.

    One line: the first construct in document order, and how many more there are.
    """
    problems = sorted(pattern_problems(doc) + self_array_problems(doc))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise GenerationError(f"{problems[0]}{more}")
