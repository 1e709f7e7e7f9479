"""Schema descriptions swapped for tokens before the model generator runs and put back after, so an edit to a
description alone reuses a cached run of its group (the run's input, and so its cache key, holds only tokens).

A description becomes a token only where the model generator renders it in one of two ways, both replayed here
with its own functions: a string literal (`Field(description=...)`) or a docstring of its own lines. Equal texts
share a token, so whatever the model generator does with equal descriptions it still does. Text it would render
some other way (blank, or with line breaks other than `\\n`) stays in the input; a token it renders in a place
neither way covers makes `unmask` answer None, and the caller runs the model generator on the real text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from datamodel_code_generator._python_syntax import escape_docstring
from datamodel_code_generator.python_literal import represent_python_value

PREFIX = "SfDescToken"
_NUMBER = re.compile(rf"{PREFIX}(\d+)x")
# the keywords whose values are schemas, one schema or a list or a map of them
_ONE: tuple[str, ...] = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames")
_ONE += ("additionalItems", "unevaluatedItems", "unevaluatedProperties")
_LIST = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")

_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # str.splitlines() breaks but "\n"
Table = tuple[str, ...]  # token number -> the description it stands for


def _maskable(text: str) -> bool:
    return bool(text.strip()) and _OTHER_BREAKS.search(text) is None


def mask(schemas: dict[str, Any]) -> tuple[dict[str, Any], Table]:
    """`schemas` with their descriptions replaced by tokens, and the texts the tokens stand for (none when the
    schemas already hold text that looks like a token)."""
    if PREFIX in json.dumps(schemas, default=str, ensure_ascii=False):
        return schemas, ()
    numbers: dict[str, int] = {}

    def schema(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        out = dict(node)
        text = out.get("description")
        if isinstance(text, str) and _maskable(text):
            out["description"] = f"{PREFIX}{numbers.setdefault(text, len(numbers))}x"
        for key in _ONE:
            if isinstance(out.get(key), dict):
                out[key] = schema(out[key])
        for key in _LIST:
            if isinstance(out.get(key), list):
                out[key] = [schema(v) for v in out[key]]
        for key in _MAP:
            if isinstance(out.get(key), dict):
                out[key] = {k: schema(v) for k, v in out[key].items()}
        return out

    masked = {name: schema(value) for name, value in schemas.items()}
    return masked, tuple(numbers)


def _places(text: str) -> list[tuple[int, int, int, str | None]] | None:
    """Where each token of `text` sits, in order: (start, end, number, the line's indent for a docstring line or
    None for a string literal), start and end taking in a literal's quotes; None when a token sits anywhere else.
    A token found by its literal start, its place read around it (a pattern that has to try every position for
    a quote or a line start reads a large module several times slower)."""
    places: list[tuple[int, int, int, str | None]] = []
    done = 0  # where the last place ended: a quote is not shared by two places
    for found in _NUMBER.finditer(text):
        start, end = found.span()
        number = int(found.group(1))
        quote = text[start - 1] if start > done else ""
        if quote in ("'", '"') and text.startswith(quote, end):
            places.append((start - 1, end + 1, number, None))
            done = end + 1
            continue
        line = text.rfind("\n", 0, start) + 1
        indent = text[line:start]
        if indent.strip(" ") or not (end == len(text) or text[end] == "\n"):
            return None
        places.append((line, end, number, indent))
        done = end
    return places


def restorable(text: str, table: Table) -> bool:
    """Every token in the model generator's output for masked schemas sits where `unmask` puts its text back
    (each place `unmask` knows holds exactly one token; the texts put back hold none)."""
    if not table:
        return True
    places = _places(text)
    return places is not None and len(places) == text.count(PREFIX)


def unmask(text: str, table: Table) -> str | None:
    """The model generator's output for masked schemas with each token rendered as it renders the text it stands
    for; None when a token sits where that cannot be done."""
    if not table:  # nothing was masked (and the schemas may hold the prefix themselves)
        return text
    places = _places(text)
    if places is None:
        return None
    out, at = [], 0
    for start, end, number, indent in places:
        if number >= len(table):
            return None
        out.append(text[at:start])
        if indent is None:
            out.append(represent_python_value(table[number]))
        else:
            lines = (escape_docstring(table[number]) or "").split("\n")
            out.append("\n".join(f"{indent}{line}" if line else "" for line in lines))
        at = end
    out.append(text[at:])
    joined = "".join(out)
    return None if PREFIX in joined else joined


def renumber(text: str, offset: int) -> str:
    """Masked output with every token's number raised by `offset`: one table for several runs' output, merged."""
    if not offset:
        return text
    return _NUMBER.sub(lambda found: f"{PREFIX}{int(found.group(1)) + offset}x", text)
