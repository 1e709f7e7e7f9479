"""Python samples: each operation called through the generated client, from the spec's examples.

Names (methods, parameters, model classes, credentials) come from the client's intermediate model (ir.Api),
never re-derived. A request body becomes `models.X(key=value, ...)` when every value is a plain string,
number or boolean of a plain property (so the keyword is the wire name and type-checks), and
`models.X.model_validate({...})` otherwise; other types go through pydantic's TypeAdapter.
"""

from __future__ import annotations

import builtins
import json
import keyword
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import ir
from ..cache import Cache
from ..docs import model as m
from ..docs.schemas import Pointer, Schemas
from ..docs.tags import anchor
from ..render import py_literal
from ..schema_util import pick_media

_IDENT = re.compile(r"[a-z][a-z0-9_]*")
_BASEMODEL = frozenset({"copy", "dict", "json", "schema", "construct", "validate", "fields", "parse_obj", "parse_raw"})
_RESERVED = frozenset(dir(builtins)) | _BASEMODEL
_SAMPLE_NAMES = frozenset({"models", "result", "asyncio", "main", "TypeAdapter", "Any", "Client", "AsyncClient"})
_SCALARS: dict[str, type | tuple[type, ...]] = {"string": str, "integer": int, "number": (int, float), "boolean": bool}
_PLACEHOLDER = {"str": "string", "int": 1, "float": 1.0, "bool": True}


def _plain(value: Any) -> Any:
    """JSON-like data only (YAML dates become strings, NaN and infinities None)."""
    try:
        return json.loads(json.dumps(value, default=str, allow_nan=False))
    except ValueError:
        return None


def _first_example(node: dict[str, Any], schemas: Schemas, at: Pointer) -> tuple[bool, Any]:
    examples = node.get("examples")
    if isinstance(examples, dict):
        for key, raw in examples.items():
            ex, _ = schemas.deref(raw, [*at, "examples", key])
            if isinstance(ex, dict) and "value" in ex:
                return True, ex["value"]
    if "example" in node:
        return True, node["example"]
    return False, None


class SampleMaker:
    """Samples for one API: the document (for examples) and the client's intermediate model (for names)."""

    def __init__(self, schemas: Schemas, data: dict[str, Any], api: ir.Api, server: str) -> None:
        self.schemas, self.data, self.api, self.server = schemas, data, api, server
        self.imports: set[str] = set()

    def all(self) -> dict[str, m.Sample]:
        """The sample of every operation, by its docs anchor."""
        return {anchor(op.operation_id, op.method, op.path): self.sample(op) for op in self.api.operations}

    def sample(self, op: ir.Operation) -> m.Sample:
        self.imports = set()
        at: Pointer = ["paths", op.path, op.method.lower()]
        raw = self.data["paths"][op.path][op.method.lower()]
        examples = self._param_examples(op.path, raw, at)
        args = [
            m.Arg(
                "" if p.location == "path" else p.py_name,
                *self._typed(p.annotation, examples.get((p.location, p.name)), p.name),
            )
            for p in op.parameters
            if p.required
        ]
        if op.body is not None:
            found, value = self._body_example(raw, at, op.body)
            if found or op.body.required:
                args.append(m.Arg("body", *self._body(op.body.annotation, value, raw, at, op.body)))
        credentials = tuple((s.py_name, f"<{s.name}>") for s in self.api.security if s.py_name in op.security)
        inline = len(args) <= 4 and sum(len(a.name) + len(a.cls) + len(py_literal(a.value)) + 4 for a in args) < 64
        return m.Sample(
            package=self.api.package,
            client=self.api.client_class,
            async_client=self.api.async_client_class,
            inline=inline,
            variable=_variable(self.api.package),
            base_url=self.server,
            credentials=credentials,
            method=op.py_name,
            args=tuple(args),
            returns=op.return_annotation != "None",
            imports=tuple(sorted(self.imports)),
        )

    def _param_examples(self, path: str, op: dict[str, Any], at: Pointer) -> dict[tuple[str, str], Any]:
        out: dict[tuple[str, str], Any] = {}
        owners = ((self.data["paths"][path], ["paths", path]), (op, at))
        for owner, where in owners:
            for i, raw in enumerate(owner.get("parameters") or []):
                param, pat = self.schemas.deref(raw, [*where, "parameters", i])
                if not isinstance(param, dict):
                    continue
                found, value = _first_example(param, self.schemas, pat)
                if not found:
                    schema, _ = self.schemas.deref(param.get("schema"), [*pat, "schema"])
                    if isinstance(schema, dict):
                        found, value = _first_example(schema, self.schemas, pat)
                        if not found and isinstance(schema.get("enum"), list) and schema["enum"]:
                            found, value = True, schema["enum"][0]
                        elif not found and "default" in schema:
                            found, value = True, schema["default"]
                if found:
                    out[(str(param.get("in")), str(param.get("name")))] = _plain(value)
        return out

    def _body_example(self, op: dict[str, Any], at: Pointer, body: ir.Body) -> tuple[bool, Any]:
        rb, rat = self.schemas.deref(op.get("requestBody"), [*at, "requestBody"])
        content = rb.get("content") if isinstance(rb, dict) else None
        media = content.get(body.content_type) if isinstance(content, dict) else None
        if not isinstance(media, dict):
            return False, None
        where = [*rat, "content", body.content_type]
        found, value = _first_example(media, self.schemas, where)
        if not found:
            schema, _ = self.schemas.deref(media.get("schema"), [*where, "schema"])
            if isinstance(schema, dict):
                found, value = _first_example(schema, self.schemas, [*where, "schema"])
        if not found:
            value = self.schemas.sketch(media.get("schema"), [*where, "schema"])
        return found, _plain(value)

    def _typed(self, annotation: str, value: Any, name: str = "") -> tuple[str, Any, str]:
        """(kind, value, cls) of an argument of type `annotation` holding `value` (a placeholder when None)."""
        bare = annotation.removesuffix(" | None")
        if bare in _PLACEHOLDER:
            kind = _SCALARS[{"str": "string", "int": "integer", "float": "number", "bool": "boolean"}[bare]]
            good = isinstance(value, kind) and not (bare != "bool" and isinstance(value, bool))
            return "literal", value if good else (name or "string") if bare == "str" else _PLACEHOLDER[bare], ""
        if re.fullmatch(r"models\.\w+", bare):
            if isinstance(value, str | int | float | bool):
                return "call", value, bare
            return "validate", value if value is not None else {}, bare
        if bare in {"Any", "dict[str, Any]"} and value is not None:
            return "literal", value, ""
        self.imports.add("pydantic TypeAdapter")
        if "Any" in bare:
            self.imports.add("typing Any")
        return "adapter", value, bare

    def _body(
        self, annotation: str, value: Any, op: dict[str, Any], at: Pointer, body: ir.Body
    ) -> tuple[str, Any, str]:
        bare = annotation.removesuffix(" | None")
        if body.kind == "text":
            return "literal", value if isinstance(value, str) else json.dumps(value, ensure_ascii=False), ""
        if body.kind == "bytes":
            return "bytes", value if isinstance(value, str) else "", ""
        if re.fullmatch(r"models\.\w+", bare) and isinstance(value, dict):
            rb, rat = self.schemas.deref(op.get("requestBody"), [*at, "requestBody"])
            picked = pick_media(rb.get("content") if isinstance(rb, dict) else None)
            schema = picked[1].get("schema") if picked else None
            props, required, _ = self.schemas.flatten(schema, [*rat, "content", body.content_type, "schema"])
            if self._keywords_fit(value, props, required):
                return "fields", tuple(value.items()), bare
        return self._typed(annotation, value)

    def _keywords_fit(self, value: dict[str, Any], props: dict[str, Any], required: list[str]) -> bool:
        """Every key a plain keyword the model's constructor takes as is, every value of its plain type."""
        if not value or not set(required) <= set(value):
            return False
        for key, item in value.items():
            if key not in props or not _IDENT.fullmatch(key) or keyword.iskeyword(key) or key in _RESERVED:
                return False
            schema, _ = self.schemas.deref(*props[key])
            if not isinstance(schema, dict) or any(
                k in schema for k in ("enum", "const", "format", "x-sensitive", "oneOf", "anyOf", "allOf", "$ref")
            ):
                return False
            kind = schema.get("type")
            wanted = _SCALARS.get(kind) if isinstance(kind, str) else None
            if wanted is None or not isinstance(item, wanted) or (kind != "boolean" and isinstance(item, bool)):
                return False
        return True


def py_pretty(value: Any, indent: int = 0) -> str:
    """A Python literal of plain data, over several lines when it is long (four spaces per level)."""
    flat = py_literal(value)
    if len(flat) + indent <= 88 or not isinstance(value, dict | list) or not value:
        return flat
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        items = [f"{pad}{py_literal(k)}: {py_pretty(v, indent + 4)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + " " * indent + "}"
    items = [f"{pad}{py_pretty(v, indent + 4)}," for v in value]
    return "[\n" + "\n".join(items) + "\n" + " " * indent + "]"


def _variable(package: str) -> str:
    """A short name for the client: the package's first word (`huawei_apig` -> `apig` for the seed style)."""
    words = [w for w in package.split("_") if w]
    name = words[-1] if words else "client"
    return (
        name
        if _IDENT.fullmatch(name) and not keyword.iskeyword(name) and name not in _RESERVED | _SAMPLE_NAMES
        else "client"
    )


def client_apis(
    specs: list[tuple[Path, str]],
    documents: Any,
    names: Mapping[str, tuple[str, str]] | None = None,
    cache: Cache | None = None,
    salt: str = "",
) -> dict[str, ir.Api]:
    """The client's intermediate model of each spec, for `specfirst docs` on its own (runs the model stage, its
    runs looked up in `cache` as `generate` stores them, by `salt`), with its configured class names (`names`:
    sync and async, by package)."""
    from dataclasses import replace

    from ..build import Builder
    from ..hoist import hoist
    from ..modelsplit import ModelRuns

    builders = {}
    with ModelRuns(cache, salt) as runs:
        for spec, package in specs:
            document = documents(spec)
            hoisted = hoist(document)
            builders[package] = Builder(document, package, hoisted)
            runs.add(package, str(document.data.get("openapi")), hoisted.components, str(spec))
        runs.start()
        built = {package: builder.build(runs.result(package)[1]) for package, builder in builders.items()}
    for package, (sync, async_) in (names or {}).items():
        if package in built:
            built[package] = replace(built[package], client_class=sync, async_client_class=async_)
    return built
