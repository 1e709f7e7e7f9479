"""Stage 4b, render: Jinja2 templates over the intermediate model; spec strings enter code only as literals."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path
from typing import Any

import jinja2

from generator import ir

TEMPLATES = Path(__file__).parent / "templates"
_LINE_BREAKS = {"\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


def py_literal(value: Any) -> str:
    """A Python literal for plain data (str, int, float, bool, None, lists and dicts of them)."""
    if isinstance(value, str | int | float | bool) or value is None:
        text = repr(value)
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(py_literal(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    else:
        raise TypeError(f"not plain data: {type(value).__name__}")
    return text


def py_docstring(text: str) -> str:
    """A triple-quoted literal that evaluates to `text` exactly, readable when `text` is ordinary prose."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\n")
        elif ch in _LINE_BREAKS or unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}:
            out.append(ch.encode("unicode_escape").decode("ascii") if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    literal = '"""' + "".join(out) + '"""'
    try:
        if ast.literal_eval(literal) == text:
            return literal
    except (
        SyntaxError,
        ValueError,
    ):  # pragma: no cover - the escaping above is meant to make this unreachable
        pass
    return repr(text)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        autoescape=False,
    )
    env.filters["lit"] = py_literal
    env.filters["doc"] = py_docstring
    return env


_ENV = _environment()


def render_package(api: ir.Api, models_source: str) -> dict[str, str]:
    """Every file of one generated package, by relative path."""
    files = {"models.py": models_source, "py.typed": ""}
    for name in ("__init__.py", "_runtime.py", "client.py", "errors.py"):
        files[name] = _ENV.get_template(f"{name}.jinja").render(api=api)
    return files
