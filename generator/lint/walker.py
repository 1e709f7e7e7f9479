"""One pass over an OpenAPI document: every rule's handler is called at the nodes of its kind.

The walk follows the document's structure (paths, operations, parameters, bodies, responses, media types,
schemas, components), never an example's data, and never follows a `$ref`: each node is visited once, where
it is defined. Every `$ref` it passes is recorded (unused components, what requests reach).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..refs import Resolver
from ..walk import HTTP_METHODS
from .model import Context, Ptr

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_ONE = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
TEXT_KEYS = ("description", "summary", "title")
SCHEMA_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Operation:
    """An operation with its path-level and own parameters merged (resolved through `$ref`)."""

    path: str
    method: str
    op: dict[str, Any]
    ptr: Ptr
    params: list[tuple[dict[str, Any], Ptr]]


@dataclass(frozen=True)
class SchemaAt:
    """Where a schema sits: in a request, under which component, as which property."""

    in_request: bool
    component: str | None
    prop: str | None = None
    read_only: bool = False


@dataclass
class Walker:
    """Calls `handlers[kind]` for every node of that kind, in document order."""

    ctx: Context
    handlers: dict[str, list[Callable[..., None]]]
    resolver: Resolver = field(init=False)
    _want: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.ctx.doc)
        self._want = frozenset(k for k, v in self.handlers.items() if v)

    def _call(self, kind: str, *args: Any) -> None:
        if kind in self._want:
            for handler in self.handlers[kind]:
                handler(self.ctx, *args)

    def deref(self, value: Any, ptr: Ptr) -> tuple[Any, Ptr]:
        """`value` with its `$ref` chain followed; the original when a target is missing."""
        try:
            found, at = self.resolver.deref(value, list(ptr))
        except InputError:
            return value, ptr
        return found, tuple(at)

    # -- the document --------------------------------------------------------------------------------
    def run(self) -> None:
        data = self.ctx.data
        self._call("document")
        info = data.get("info")
        if isinstance(info, dict):
            self._texts(info, ("info",))
        self._servers(data.get("servers"), ("servers",))
        for i, tag in enumerate(_list(data.get("tags"))):
            if isinstance(tag, dict):
                self._call("tag", tag, ("tags", i))
                self._texts(tag, ("tags", i))
        for path, item in as_dict(data.get("paths")).items():
            if isinstance(item, dict):
                self._path_item(str(path), item, ("paths", path), top=True)
        for name, item in as_dict(data.get("webhooks")).items():
            if isinstance(item, dict):
                self._path_item(str(name), item, ("webhooks", name), top=False)
        self._components(as_dict(data.get("components")))

    def _servers(self, servers: Any, ptr: Ptr) -> None:
        for i, server in enumerate(_list(servers)):
            if isinstance(server, dict):
                self._call("server", server, (*ptr, i))
                self._texts(server, (*ptr, i))

    def _texts(self, node: dict[str, Any], ptr: Ptr) -> None:
        for key in TEXT_KEYS:
            value = node.get(key)
            if isinstance(value, str):
                self._call("text", key, value, (*ptr, key))

    def _ref(self, node: dict[str, Any], ptr: Ptr, at: SchemaAt | None = None) -> bool:
        """Record a `$ref` node (True) so the caller does not descend into it."""
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return False
        self.ctx.refs.add(ref)
        if at is not None:
            if at.in_request:
                self.ctx.request_refs.add(ref)
            if at.component is not None:
                self.ctx.schema_refs.setdefault(at.component, set()).add(ref)
        self._call("ref", node, ptr)
        return True

    # -- paths and operations ------------------------------------------------------------------------
    def _path_item(self, path: str, item: dict[str, Any], ptr: Ptr, *, top: bool) -> None:
        if top:
            self._call("path", path, item, ptr)
        if self._ref(item, ptr):
            return
        self._servers(item.get("servers"), (*ptr, "servers"))
        shared = self._parameters(item.get("parameters"), (*ptr, "parameters"))
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_ptr = (*ptr, method)
            own = self._parameters(op.get("parameters"), (*op_ptr, "parameters"))
            keys = {(p.get("name"), p.get("in")) for p, _ in own}
            merged = [(p, at) for p, at in shared if (p.get("name"), p.get("in")) not in keys] + own
            self._texts(op, op_ptr)
            if top:
                self._call("operation", Operation(path, method, op, op_ptr, merged))
            self._servers(op.get("servers"), (*op_ptr, "servers"))
            body = op.get("requestBody")
            if isinstance(body, dict):
                self._request_body(body, (*op_ptr, "requestBody"))
            for status, response in as_dict(op.get("responses")).items():
                if isinstance(response, dict):
                    self._response(str(status), response, (*op_ptr, "responses", status), method)
            for name, callback in as_dict(op.get("callbacks")).items():
                self._callback(callback, (*op_ptr, "callbacks", name))

    def _callback(self, callback: Any, ptr: Ptr) -> None:
        if not isinstance(callback, dict) or self._ref(callback, ptr):
            return
        for expression, item in callback.items():
            if isinstance(item, dict):
                self._path_item(str(expression), item, (*ptr, expression), top=False)

    def _parameters(self, params: Any, ptr: Ptr) -> list[tuple[dict[str, Any], Ptr]]:
        """Walk a parameter list; the parameters resolved (for the operation rules)."""
        out = []
        for i, param in enumerate(_list(params)):
            if not isinstance(param, dict):
                continue
            at = (*ptr, i)
            if self._ref(param, at, SchemaAt(in_request=True, component=None)):
                found, _ = self.deref(param, at)
                if isinstance(found, dict):
                    out.append((found, at))
                continue
            self._parameter(param, at)
            out.append((param, at))
        return out

    def _parameter(self, param: dict[str, Any], ptr: Ptr) -> None:
        self._call("parameter", param, ptr)
        self._texts(param, ptr)
        self._holder(param, ptr, SchemaAt(in_request=True, component=None))

    def _holder(self, holder: dict[str, Any], ptr: Ptr, at: SchemaAt) -> None:
        """A parameter, header or media type: its schema, content and examples."""
        schema = holder.get("schema")
        if isinstance(schema, dict):
            self.schema(schema, (*ptr, "schema"), at)
        for mime, media in as_dict(holder.get("content")).items():
            if isinstance(media, dict):
                self._media(str(mime), media, (*ptr, "content", mime), at)
        self._examples(holder.get("examples"), (*ptr, "examples"))

    def _examples(self, examples: Any, ptr: Ptr) -> None:
        for name, example in as_dict(examples).items():
            if isinstance(example, dict) and not self._ref(example, (*ptr, name)):
                self._call("example", example, (*ptr, name))
                self._texts(example, (*ptr, name))

    def _media(self, mime: str, media: dict[str, Any], ptr: Ptr, at: SchemaAt) -> None:
        self._call("media", mime, media, ptr, at.in_request)
        self._holder(media, ptr, at)
        for name, encoding in as_dict(media.get("encoding")).items():
            if isinstance(encoding, dict):
                self._headers(encoding.get("headers"), (*ptr, "encoding", name, "headers"))

    def _headers(self, headers: Any, ptr: Ptr) -> None:
        for name, header in as_dict(headers).items():
            if isinstance(header, dict) and not self._ref(header, (*ptr, name)):
                self._texts(header, (*ptr, name))
                self._holder(header, (*ptr, name), SchemaAt(in_request=False, component=None))

    def _request_body(self, body: dict[str, Any], ptr: Ptr) -> None:
        at = SchemaAt(in_request=True, component=None)
        if self._ref(body, ptr, at):
            return
        self._texts(body, ptr)
        for mime, media in as_dict(body.get("content")).items():
            if isinstance(media, dict):
                self._media(str(mime), media, (*ptr, "content", mime), at)

    def _response(self, status: str, response: dict[str, Any], ptr: Ptr, method: str | None) -> None:
        if self._ref(response, ptr):
            found, _ = self.deref(response, ptr)
            if method is not None and isinstance(found, dict):
                self._call("response", status, found, ptr, method)
            return
        if method is not None:
            self._call("response", status, response, ptr, method)
        self._texts(response, ptr)
        self._headers(response.get("headers"), (*ptr, "headers"))
        at = SchemaAt(in_request=False, component=None)
        for mime, media in as_dict(response.get("content")).items():
            if isinstance(media, dict):
                self._media(str(mime), media, (*ptr, "content", mime), at)
        for name, link in as_dict(response.get("links")).items():
            if isinstance(link, dict) and not self._ref(link, (*ptr, "links", name)):
                self._texts(link, (*ptr, "links", name))

    # -- schemas -------------------------------------------------------------------------------------
    def schema(self, schema: dict[str, Any], ptr: Ptr, at: SchemaAt) -> None:
        """Visit a schema and every schema nested in it (not through `$ref`)."""
        if self._ref(schema, ptr, at):
            if len(schema) > 1:
                self._call("schema", schema, ptr, at)
            return
        read_only = at.read_only or schema.get("readOnly") is True
        if read_only != at.read_only:
            at = SchemaAt(at.in_request, at.component, at.prop, read_only)
        self._call("schema", schema, ptr, at)
        self._texts(schema, ptr)
        for key in _SCHEMA_MAPS:
            children = schema.get(key)
            if isinstance(children, dict):
                for name, sub in children.items():
                    if isinstance(sub, dict):
                        prop = str(name) if key == "properties" else None
                        self.schema(sub, (*ptr, key, name), SchemaAt(at.in_request, at.component, prop, read_only))
        plain = SchemaAt(at.in_request, at.component, None, read_only)
        for key in _SCHEMA_ONE:
            sub = schema.get(key)
            if isinstance(sub, dict):
                self.schema(sub, (*ptr, key), plain)
        for key in _SCHEMA_LISTS:
            subs = schema.get(key)
            if isinstance(subs, list):
                for i, sub in enumerate(subs):
                    if isinstance(sub, dict):
                        self.schema(sub, (*ptr, key, i), plain)

    # -- components ----------------------------------------------------------------------------------
    def _components(self, components: dict[str, Any]) -> None:
        base: Ptr = ("components",)
        for name, schema in as_dict(components.get("schemas")).items():
            if isinstance(schema, dict):
                self.schema(schema, (*base, "schemas", name), SchemaAt(in_request=False, component=str(name)))
        for name, param in as_dict(components.get("parameters")).items():
            if isinstance(param, dict):
                ptr = (*base, "parameters", name)
                if not self._ref(param, ptr, SchemaAt(in_request=True, component=None)):
                    self._parameter(param, ptr)
        for name, body in as_dict(components.get("requestBodies")).items():
            if isinstance(body, dict):
                self._request_body(body, (*base, "requestBodies", name))
        for name, response in as_dict(components.get("responses")).items():
            if isinstance(response, dict):
                self._response(str(name), response, (*base, "responses", name), None)
        self._headers(components.get("headers"), (*base, "headers"))
        self._examples(components.get("examples"), (*base, "examples"))
        for name, scheme in as_dict(components.get("securitySchemes")).items():
            if isinstance(scheme, dict) and not self._ref(scheme, (*base, "securitySchemes", name)):
                self._texts(scheme, (*base, "securitySchemes", name))
        for name, callback in as_dict(components.get("callbacks")).items():
            self._callback(callback, (*base, "callbacks", name))
        for name, item in as_dict(components.get("pathItems")).items():
            if isinstance(item, dict):
                self._path_item(str(name), item, (*base, "pathItems", name), top=False)
        for name, link in as_dict(components.get("links")).items():
            if isinstance(link, dict):
                self._ref(link, (*base, "links", name))


def as_dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def by_kind(rules: Iterable[Any], active: frozenset[str]) -> dict[str, list[Callable[..., None]]]:
    """The handlers of the active rules, grouped by the node kind they check (one handler per rule)."""
    out: dict[str, list[Callable[..., None]]] = defaultdict(list)
    for rule in rules:
        for kind, handler in rule.handlers() if rule.id in active else ():
            if handler not in out[kind]:
                out[kind].append(handler)
    return out
