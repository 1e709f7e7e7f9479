"""Constructs the generated code cannot carry, each named with its place; and places for validator findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.errors import GenerationError, Problem
from generator.load import Document

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


def _regex_error(pattern: str) -> str | None:
    """Why neither regex engine the generated models may use compiles `pattern`; None when one does."""
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
        return None  # pydantic's default (Rust) engine
    except SchemaError as exc:
        rust = str(exc).strip().splitlines()[-1].strip()
    try:
        re.compile(pattern)
        return None  # the generated model switches to Python's engine
    except re.error as exc:
        return f"Rust regex: {rust}; Python re: {exc}"


def pattern_problems(doc: Document) -> list[Problem]:
    """Every regex the generated models would fail to compile (at import time), at its line."""
    problems = []
    for at, pattern in _patterns(doc.data, []):
        why = _regex_error(pattern)
        if why is not None:
            message = f"pattern {pattern[:80]!r} is not supported: no regex engine of pydantic compiles it ({why})"
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


def check(doc: Document) -> None:
    """Refuse (GenerationError, exit 2) a valid document using a construct the generated code cannot carry.

    One line: the first construct in document order, and how many more there are.
    """
    problems = pattern_problems(doc)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise GenerationError(f"{problems[0]}{more}")
