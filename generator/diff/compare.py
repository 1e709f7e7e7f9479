"""The structural diff, computed once: operations, parameters, bodies, responses and security matched, as Events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..load import Document
from ..refs import Resolver
from ..walk import HTTP_METHODS
from .flatten import Flattener
from .model import Event
from .schema import Ptr, SchemaComparer, SchemaDiff
from .security import security_events

_TEMPLATE = re.compile(r"\{[^}]*\}")


def media_key(media_type: str) -> str:
    """`application/json;charset=UTF-8` and `application/json; charset=utf-8` are one key."""
    essence, _, rest = str(media_type).partition(";")
    params = []
    for part in rest.split(";"):
        name, eq, value = part.strip().partition("=")
        if not name:
            continue
        name, value = name.strip().lower(), value.strip().strip('"')
        params.append(f"{name}={value.lower() if name == 'charset' else value}" if eq else name)
    return "; ".join([essence.strip().lower(), *sorted(params)])


@dataclass
class _Param:
    where: str  # in
    name: str
    node: dict[str, Any]
    pointer: Ptr  # where the parameter is defined (a component, when the operation refers to one)
    site: Ptr  # where the operation lists it


@dataclass
class _Op:
    path: str
    method: str
    node: dict[str, Any]
    pointer: Ptr
    params: dict[tuple[str, str], _Param] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


class Differ:
    """Walks two bundled documents side by side once; `events()` is everything that differs."""

    def __init__(self, base: Document, head: Document) -> None:
        self.base, self.head = base, head
        self.rb, self.rh = Resolver(base), Resolver(head)
        self.schemas = SchemaComparer(self.rb, self.rh)
        self.pending: list[tuple[SchemaDiff, str, str, str, str, bool]] = []
        self.out: list[Event] = []

    def events(self) -> list[Event]:
        base_ops, head_ops = self._operations(self.base, self.rb), self._operations(self.head, self.rh)
        head_templates = {_TEMPLATE.sub("{}", op.path) for op in head_ops.values()}
        for key, op in base_ops.items():
            if key not in head_ops:
                whole = key[1] not in head_templates
                kind = "path-removed" if whole else "operation-removed"
                self._add(
                    kind, "path", op.label, op.label, "base", op.pointer, deprecated=op.node.get("deprecated") is True
                )
        for key, op in head_ops.items():
            if key not in base_ops:
                self._add("operation-added", "path", op.label, op.label, "head", op.pointer)
            else:
                self._operation(base_ops[key], op)
        self.schemas.finish()
        flattener = Flattener()
        for diff, area, operation, subject, status, required in self.pending:
            self.out += flattener.events(diff, area, operation, subject, status, required)
        return self.out

    def _add(self, kind: str, area: str, operation: str, subject: str, side: str, pointer: Ptr, **more: Any) -> None:
        self.out.append(Event(kind, area, operation, subject, side, tuple(pointer), **more))

    def _operations(self, doc: Document, resolver: Resolver) -> dict[tuple[str, str], _Op]:
        ops: dict[tuple[str, str], _Op] = {}
        for path, item in (doc.data.get("paths") or {}).items():
            item, item_ptr = resolver.deref(item, ["paths", path])
            if not isinstance(item, dict):
                continue
            shared = list(self._params(item.get("parameters"), resolver, [*item_ptr, "parameters"]))
            for method in HTTP_METHODS:
                node = item.get(method)
                if not isinstance(node, dict):
                    continue
                op = _Op(str(path), method, node, ("paths", path, method))
                names = [m.group(0)[1:-1] for m in _TEMPLATE.finditer(str(path))]
                own = self._params(node.get("parameters"), resolver, [*op.pointer, "parameters"])
                for param in [*shared, *own]:
                    key = (param.where, param.name.lower() if param.where == "header" else param.name)
                    if param.where == "path" and param.name in names:  # by position: a rename still matches
                        key = ("path", f"#{names.index(param.name)}")
                    op.params[key] = param
                ops[(method, _TEMPLATE.sub("{}", str(path)))] = op
        return ops

    def _params(self, params: Any, resolver: Resolver, at: list[str | int]) -> Iterator[_Param]:
        for i, raw in enumerate(params if isinstance(params, list) else []):
            node, ptr = resolver.deref(raw, [*at, i])
            if isinstance(node, dict) and isinstance(node.get("name"), str) and isinstance(node.get("in"), str):
                yield _Param(node["in"].lower(), node["name"], node, tuple(ptr), (*at, i))

    def _operation(self, b: _Op, h: _Op) -> None:
        label = h.label
        if b.node.get("operationId") != h.node.get("operationId"):
            self._add(
                "operation-id-changed",
                "operation",
                label,
                label,
                "head",
                h.pointer,
                old=b.node.get("operationId"),
                new=h.node.get("operationId"),
            )
        if h.node.get("deprecated") is True and b.node.get("deprecated") is not True:
            self._add("operation-deprecated", "operation", label, label, "head", h.pointer)
        self._parameters(b, h, label)
        self._request(b, h, label)
        self._responses(b, h, label)
        self.out += security_events(self.base, self.head, b.node, h.node, h.pointer, label)

    def _parameters(self, b: _Op, h: _Op, label: str) -> None:
        moved = {}
        gone = {k: p for k, p in b.params.items() if k not in h.params}
        new = {k: p for k, p in h.params.items() if k not in b.params}
        for key, param in list(gone.items()):
            other = next((k for k, q in new.items() if q.name == param.name and q.where != param.where), None)
            if other is not None:
                moved[key] = new.pop(other)
                del gone[key]
        for param in gone.values():
            self._add(
                "parameter-removed",
                "parameter",
                label,
                _pname(param),
                "base",
                param.site,
                required=param.node.get("required") is True,
            )
        for param in new.values():
            self._add(
                "parameter-added",
                "parameter",
                label,
                _pname(param),
                "head",
                param.site,
                required=param.node.get("required") is True,
            )
        for key, param in moved.items():
            self._add(
                "parameter-location-changed",
                "parameter",
                label,
                _pname(param),
                "head",
                param.site,
                old=b.params[key].where,
                new=param.where,
            )
        for key, hp in h.params.items():
            bp = b.params.get(key)
            if bp is None:
                continue
            subject = _pname(hp)
            if bp.name != hp.name and hp.where == "path":
                self._add(
                    "path-parameter-renamed", "parameter", label, subject, "head", hp.site, old=bp.name, new=hp.name
                )
            breq, hreq = bp.node.get("required") is True, hp.node.get("required") is True
            if breq != hreq:
                self._add(
                    "parameter-became-required" if hreq else "parameter-became-optional",
                    "parameter",
                    label,
                    subject,
                    "head",
                    hp.site,
                )
            bs, bptr = _param_schema(bp)
            hs, hptr = _param_schema(hp)
            if bs is not None and hs is not None:
                self._schema(bs, bptr, hs, hptr, "parameter", label, subject, hreq)

    def _request(self, b: _Op, h: _Op, label: str) -> None:
        bb, bptr = self.rb.deref(b.node.get("requestBody"), [*b.pointer, "requestBody"])
        hb, hptr = self.rh.deref(h.node.get("requestBody"), [*h.pointer, "requestBody"])
        bb = bb if isinstance(bb, dict) else None
        hb = hb if isinstance(hb, dict) else None
        if bb is None and hb is None:
            return
        if bb is None:
            self._add(
                "body-added",
                "request",
                label,
                "request body",
                "head",
                tuple(hptr),
                required=hb is not None and hb.get("required") is True,
            )
            return
        if hb is None:
            self._add("body-removed", "request", label, "request body", "base", tuple(bptr))
            return
        if (bb.get("required") is True) != (hb.get("required") is True):
            kind = "body-became-required" if hb.get("required") is True else "body-became-optional"
            self._add(kind, "request", label, "request body", "head", tuple(hptr))
        self._contents(bb, tuple(bptr), hb, tuple(hptr), "request", label, "", hb.get("required") is True)

    def _responses(self, b: _Op, h: _Op, label: str) -> None:
        bresp, hresp = b.node.get("responses") or {}, h.node.get("responses") or {}
        bkeys = {str(k).upper(): k for k in bresp} if isinstance(bresp, dict) else {}
        hkeys = {str(k).upper(): k for k in hresp} if isinstance(hresp, dict) else {}
        for status, raw in bkeys.items():
            if status not in hkeys:
                self._add(
                    "status-removed",
                    "response",
                    label,
                    f"status {raw}",
                    "base",
                    (*b.pointer, "responses", raw),
                    old=str(raw),
                    success=status.startswith("2"),
                )
        for status, raw in hkeys.items():
            if status not in bkeys:
                self._add(
                    "status-added",
                    "response",
                    label,
                    f"status {raw}",
                    "head",
                    (*h.pointer, "responses", raw),
                    new=str(raw),
                    success=status.startswith("2"),
                )
                continue
            br, bptr = self.rb.deref(bresp[bkeys[status]], [*b.pointer, "responses", bkeys[status]])
            hr, hptr = self.rh.deref(hresp[raw], [*h.pointer, "responses", raw])
            if isinstance(br, dict) and isinstance(hr, dict):  # messages spell the status as HEAD does
                self._contents(br, tuple(bptr), hr, tuple(hptr), "response", label, str(raw), True)
                self._headers(br, tuple(bptr), hr, tuple(hptr), label, str(raw))

    def _headers(self, b: dict[str, Any], bptr: Ptr, h: dict[str, Any], hptr: Ptr, label: str, status: str) -> None:
        """Response headers by case-insensitive name: one a client reads may be gone or no longer guaranteed."""
        bh = b["headers"] if isinstance(b.get("headers"), dict) else {}
        hh = h["headers"] if isinstance(h.get("headers"), dict) else {}
        bk, hk = {str(k).lower(): k for k in bh}, {str(k).lower(): k for k in hh}
        success = status.startswith("2")
        for key, name in bk.items():
            node, _ = self.rb.deref(bh[name], [*bptr, "headers", name])
            required = isinstance(node, dict) and node.get("required") is True
            subject = f"response header '{name}' (status {status})"
            if key not in hk:
                self._add(
                    "header-removed",
                    "response",
                    label,
                    subject,
                    "base",
                    (*bptr, "headers", name),
                    required=required,
                    success=success,
                )
                continue
            other, _ = self.rh.deref(hh[hk[key]], [*hptr, "headers", hk[key]])
            if required and not (isinstance(other, dict) and other.get("required") is True):
                self._add(
                    "header-became-optional",
                    "response",
                    label,
                    subject,
                    "head",
                    (*hptr, "headers", hk[key]),
                    success=success,
                )
        for key, name in hk.items():
            if key not in bk:
                self._add(
                    "header-added",
                    "response",
                    label,
                    f"response header '{name}' (status {status})",
                    "head",
                    (*hptr, "headers", name),
                    success=success,
                )

    def _contents(
        self,
        b: dict[str, Any],
        bptr: Ptr,
        h: dict[str, Any],
        hptr: Ptr,
        area: str,
        label: str,
        status: str,
        required: bool,
    ) -> None:
        bc: dict[str, Any] = b["content"] if isinstance(b.get("content"), dict) else {}
        hc: dict[str, Any] = h["content"] if isinstance(h.get("content"), dict) else {}
        bk, hk = {media_key(k): k for k in bc}, {media_key(k): k for k in hc}
        gone, new = [k for k in bk if k not in hk], [k for k in hk if k not in bk]
        pairs = [(bk[k], hk[k]) for k in bk if k in hk]
        for key in list(gone):  # the same essence with other parameters: one media type, renamed
            essence = key.split(";")[0]
            same = [n for n in new if n.split(";")[0] == essence]
            if len(same) == 1 and sum(1 for g in gone if g.split(";")[0] == essence) == 1:
                pairs.append((bk[key], hk[same[0]]))
                gone.remove(key)
                new.remove(same[0])
        where = f" (status {status})" if status else ""
        what = "response" if status else "request body"
        success = status.startswith("2")
        for key in gone:
            self._add(
                "media-type-removed",
                area,
                label,
                f"{what}{where}",
                "base",
                (*bptr, "content", bk[key]),
                old=bk[key],
                success=success,
            )
        for key in new:
            self._add(
                "media-type-added",
                area,
                label,
                f"{what}{where}",
                "head",
                (*hptr, "content", hk[key]),
                new=hk[key],
                success=success,
            )
        for bm, hm in pairs:
            bmt, hmt = bc[bm], hc[hm]
            if isinstance(bmt, dict) and isinstance(hmt, dict) and "schema" in bmt and "schema" in hmt:
                self._schema(
                    bmt["schema"],
                    (*bptr, "content", bm, "schema"),
                    hmt["schema"],
                    (*hptr, "content", hm, "schema"),
                    area,
                    label,
                    "",
                    required,
                    status,
                )

    def _schema(
        self,
        bs: Any,
        bptr: Ptr,
        hs: Any,
        hptr: Ptr,
        area: str,
        label: str,
        subject: str,
        required: bool,
        status: str = "",
    ) -> None:
        diff = self.schemas.compare(bs, bptr, hs, hptr)
        self.pending.append((diff, area, label, subject, status, required))


def _pname(param: _Param) -> str:
    return f"{param.where} parameter '{param.name}'"


def _param_schema(param: _Param) -> tuple[Any, Ptr]:
    if "schema" in param.node:
        return param.node["schema"], (*param.pointer, "schema")
    content = param.node.get("content")
    if isinstance(content, dict):
        for media, holder in content.items():
            if isinstance(holder, dict) and "schema" in holder:
                return holder["schema"], (*param.pointer, "content", media, "schema")
    return None, param.pointer
