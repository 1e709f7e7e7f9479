"""Stage 4b, render: Jinja2 templates over the intermediate model; spec strings enter code only as literals."""

from __future__ import annotations

import ast
import hashlib
import json
import pickle
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from . import ir
from .errors import GenerationError

if TYPE_CHECKING:
    from .cache import Cache

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


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def harden_source(source: str) -> str:
    """`source` with raw control/invisible characters inside its literals turned into escapes.

    datamodel-code-generator writes descriptions into docstrings with quotes and backslashes escaped
    but control characters (ESC, NEL, U+2028, bidi overrides…) raw; the values stay the same, the
    file becomes plain printable text. GenerationError when that would change what the code means.
    """
    normal = source.replace("\r\n", "\n").replace("\r", "\n")  # what Python's reader does anyway
    lines = normal.split("\n")
    if all(line.isprintable() for line in lines):  # the common case, checked at C speed
        return normal
    hardened = "\n".join(
        line if line.isprintable() else "".join(ch if ch.isprintable() else _escape(ch) for ch in line)
        for line in lines
    )
    try:
        same = ast.dump(ast.parse(hardened)) == ast.dump(ast.parse(normal))
    except (SyntaxError, ValueError):
        same = False
    if not same:
        raise GenerationError("generated models.py holds raw control characters outside literals; nothing was written")
    return hardened


def py_docstring(text: str) -> str:
    """A triple-quoted literal that evaluates to `text` exactly, readable when `text` is ordinary prose."""
    if '"' not in text and "\\" not in text and text.replace("\n", "").isprintable():
        return '"""' + text + '"""'  # no quote, no backslash, nothing unprintable but "\n" (nor another line break)
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\n")
        elif ch in _LINE_BREAKS or not ch.isprintable():
            out.append(_escape(ch))
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


class _Compiled(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in specfirst's cache, by template, source, Jinja and Python."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def _name(self, bucket: jinja2.bccache.Bucket) -> str:
        from .cache import key

        return key("template", jinja2.__version__, sys.version, bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.cache.get(self._name(bucket))
        if found is not None:
            bucket.bytecode_from_string(found)  # (a stale or damaged one leaves the bucket empty: compiled anew)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put(self._name(bucket), bucket.bytecode_to_string())


_MADE: list[jinja2.Environment] = []
_COMPILED: list[jinja2.BytecodeCache | None] = [None]


def keep_compiled_templates(cache: Cache | None) -> None:
    """With `cache`, every template is compiled once and then loaded from it (in every environment, those made
    later and in forked workers too); None: compiled in every process that renders it."""
    _COMPILED[0] = _Compiled(cache) if cache is not None else None
    for env in _MADE:
        env.bytecode_cache = _COMPILED[0]


def environment(templates: Path, *, autoescape: bool = False, **filters: Any) -> jinja2.Environment:
    """The one way specfirst configures Jinja: strict about undefined names, exact about whitespace."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        autoescape=autoescape,
        bytecode_cache=_COMPILED[0],
    )
    env.filters.update(filters)
    _MADE.append(env)
    return env


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's string escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def table_cell(value: str) -> str:
    """Text for one Markdown table cell or line: one line, pipes escaped."""
    return " ".join(value.split()).replace("|", "\\|")


def _environment() -> jinja2.Environment:
    return environment(TEMPLATES, lit=py_literal, doc=py_docstring, toml=toml_string, cell=table_cell)


_ENV = _environment()


def models_file(models_source: str) -> str:
    """models.py of a package, from the model generator's module."""
    return harden_source(models_source)


def _methods(
    known: Mapping[bytes, bytes] | None, kept: dict[bytes, bytes] | None
) -> Callable[[ir.Operation, bool], str]:
    """What client.py.jinja calls for an operation's client method (the `methods` macro), sync or async: with
    `known`, each looked up by the digest of its operation first, and every one noted in `kept`."""
    macro = _ENV.get_template("_macros.jinja").module.methods  # type: ignore[attr-defined]
    if known is None:
        return lambda op, is_async: str(macro(op, is_async))

    def method(op: ir.Operation, is_async: bool) -> str:
        digest = hashlib.blake2b(pickle.dumps((op, is_async), protocol=5), digest_size=20).digest()
        made = known.get(digest) or (kept or {}).get(digest)
        text = made.decode() if made is not None else str(macro(op, is_async))
        if kept is not None:
            kept[digest] = made or text.encode()
        return text

    return method


def render_package(
    api: ir.Api,
    models_source: str | None,
    *,
    clients: bool = True,
    dist: ir.Distribution | None = None,
    known: Mapping[bytes, bytes] | None = None,
    kept: dict[bytes, bytes] | None = None,
) -> dict[str, str]:
    """Every file of one generated package, by relative path (without `clients`: the models alone; with `dist`:
    its own pyproject.toml and README.md, a publishable project). `models_source` None: models.py is made apart
    (`models_file`). Given `known` (a cache's, maybe empty), each client method made from an equal operation is
    taken from there rather than rendered, and `kept` gets this run's, by digest, to give as `known` next time."""
    files = {"models.py": models_file(models_source)} if models_source is not None else {}
    files["py.typed"] = ""
    names = ("__init__.py", "_runtime.py", "_wire.py", "client.py", "errors.py") if clients else ("__init__.py",)
    method = _methods(known, kept)
    for name in names:
        files[name] = _ENV.get_template(f"{name}.jinja").render(api=api, clients=clients, method=method)
    if dist is not None:
        for name in ("pyproject.toml", "README.md"):
            files[name] = _ENV.get_template(f"distribution/{name}.jinja").render(api=api, clients=clients, dist=dist)
    return files
