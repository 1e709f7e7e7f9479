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
_TOKEN = re.compile(rf"""(['"])({PREFIX}\d+x)\1|^( *)({PREFIX}\d+x)$""", re.MULTILINE)
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


def restorable(text: str, table: Table) -> bool:
    """Every token in the model generator's output for masked schemas sits where `unmask` puts its text back
    (each place `unmask` knows holds exactly one token; the texts put back hold none)."""
    return not table or len(_TOKEN.findall(text)) == text.count(PREFIX)


def unmask(text: str, table: Table) -> str | None:
    """The model generator's output for masked schemas with each token rendered as it renders the text it stands
    for; None when a token sits where that cannot be done."""
    if not table:  # nothing was masked (and the schemas may hold the prefix themselves)
        return text

    def put_back(found: re.Match[str]) -> str:
        if found.group(2) is not None:
            return represent_python_value(table[int(found.group(2)[len(PREFIX) : -1])])
        indent = found.group(3)
        lines = (escape_docstring(table[int(found.group(4)[len(PREFIX) : -1])]) or "").split("\n")
        return "\n".join(f"{indent}{line}" if line else "" for line in lines)

    out = _TOKEN.sub(put_back, text)
    return None if PREFIX in out else out


def renumber(text: str, offset: int) -> str:
    """Masked output with every token's number raised by `offset`: one table for several runs' output, merged."""
    if not offset:
        return text
    return _NUMBER.sub(lambda found: f"{PREFIX}{int(found.group(1)) + offset}x", text)
