"""The structural diff of two resolved schemas: a graph of SchemaDiff nodes, memoised per (base, head) node pair."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..refs import Resolver

Ptr = tuple[str | int, ...]
_BOUNDS = (  # keyword, the kind when its value grows, the kind when it shrinks (None = absent = unbounded)
    ("maxLength", "max-length-increased", "max-length-decreased", True),
    ("minLength", "min-length-increased", "min-length-decreased", False),
    ("maximum", "max-increased", "max-decreased", True),
    ("minimum", "min-increased", "min-decreased", False),
    ("exclusiveMaximum", "max-increased", "max-decreased", True),
    ("exclusiveMinimum", "min-increased", "min-decreased", False),
    ("maxItems", "max-items-increased", "max-items-decreased", True),
    ("minItems", "min-items-increased", "min-items-decreased", False),
)
_WIDER = {"integer": "number"}


@dataclass
class Fact:
    """One change of one schema node, direction-neutral: the rules decide what it means for requests or responses."""

    kind: str
    old: Any = None
    new: Any = None
    name: str = ""  # the property a property-level fact is about
    side: str = "head"  # which document `pointer` is in
    pointer: Ptr = ()
    read_only: bool = False
    write_only: bool = False


@dataclass
class Edge:
    """A nested schema pair (a property, the items, a composition branch) and how to name it in a path."""

    label: str  # "" for composition branches: they do not add a path segment
    diff: SchemaDiff
    read_only: bool = False
    write_only: bool = False


@dataclass
class SchemaDiff:
    """The changes of one schema node pair, and the nested pairs that changed (or are still being compared)."""

    base_pointer: Ptr
    head_pointer: Ptr
    facts: list[Fact] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


@dataclass
class _View:
    """A schema with its allOf parts merged: what a value must satisfy, property by property."""

    node: dict[str, Any]
    pointer: Ptr
    properties: dict[str, tuple[Any, Ptr]]
    required: set[str]
    nullable: bool = False  # `anyOf: [X, {type: null}]` is X, nullable


def _type_set(node: dict[str, Any]) -> tuple[frozenset[str], bool]:
    raw = node.get("type")
    types = {raw} if isinstance(raw, str) else set(raw) if isinstance(raw, list) else set()
    if not types and ("properties" in node or "additionalProperties" in node):
        types = {"object"}  # the type a schema with properties means (writing it out is no change)
    elif not types and "items" in node:
        types = {"array"}
    nullable = node.get("nullable") is True or "null" in types
    enum = node.get("enum")
    if isinstance(enum, list) and None in enum:
        nullable = True
    return frozenset(t for t in types if t != "null" and isinstance(t, str)), nullable


def _enum(node: dict[str, Any]) -> dict[str, Any] | None:
    values = node.get("enum")
    if not isinstance(values, list):
        return None
    return {json.dumps(v, sort_keys=True, ensure_ascii=False): v for v in values if v is not None}


def type_name(types: frozenset[str], fmt: Any = None) -> str:
    """'string', 'integer|string', 'string/date-time', 'any' for a message."""
    text = "|".join(sorted(types)) or "any"
    return f"{text}/{fmt}" if isinstance(fmt, str) else text


def _narrows(old: frozenset[str], new: frozenset[str]) -> str:
    """'widened', 'narrowed' or 'changed': what became of the set of accepted JSON types."""
    if not old or not new:
        return "widened" if not new else "narrowed"

    def covers(outer: frozenset[str], inner: frozenset[str]) -> bool:
        return all(t in outer or _WIDER.get(t) in outer for t in inner)

    if covers(new, old):
        return "widened"
    if covers(old, new):
        return "narrowed"
    return "changed"


class SchemaComparer:
    """Compares schemas of two documents; each (base node, head node) pair is compared once per run."""

    def __init__(self, base: Resolver, head: Resolver) -> None:
        self.base = base
        self.head = head
        self.memo: dict[tuple[int, int, bool, bool], SchemaDiff] = {}
        self.views: dict[tuple[str, int], _View] = {}

    def compare(self, base: Any, base_ptr: Ptr, head: Any, head_ptr: Ptr) -> SchemaDiff:
        """The diff of two schemas (either may be a `$ref`); cycles end at a pair already being compared."""
        b = self._view("base", base, base_ptr)
        h = self._view("head", head, head_ptr)
        key = (id(b.node), id(h.node), b.nullable, h.nullable)
        known = self.memo.get(key)
        if known is not None:
            return known
        diff = SchemaDiff(b.pointer, h.pointer)
        self.memo[key] = diff
        self._own(b, h, diff)
        self._properties(b, h, diff)
        self._nested(b, h, diff)
        self._branches(b, h, diff)
        return diff

    def finish(self) -> None:
        """Keep only the edges that lead to a change (one pass over the whole graph, cycles included)."""
        parents: dict[int, list[SchemaDiff]] = {}
        for diff in self.memo.values():
            for edge in diff.edges:
                parents.setdefault(id(edge.diff), []).append(diff)
        live = {id(d) for d in self.memo.values() if d.facts}
        todo = [d for d in self.memo.values() if d.facts]
        while todo:
            for parent in parents.get(id(todo.pop()), []):
                if id(parent) not in live:
                    live.add(id(parent))
                    todo.append(parent)
        for diff in self.memo.values():
            diff.edges = [e for e in diff.edges if id(e.diff) in live]

    def _view(self, side: str, node: Any, pointer: Ptr) -> _View:
        resolver = self.base if side == "base" else self.head
        node, at = resolver.deref(node, list(pointer))
        if not isinstance(node, dict):
            node = {}
        cached = self.views.get((side, id(node)))
        if cached is not None:
            return cached
        inner = _nullable_branch(node)
        if inner is not None:  # X or null, written as a composition: compared as X, nullable
            key, index = inner
            sub = self._view(side, node[key][index], (*at, key, index))
            view = _View(sub.node, sub.pointer, sub.properties, sub.required, nullable=True)
            self.views[(side, id(node))] = view
            return view
        view = _View(node, tuple(at), {}, set())
        self.views[(side, id(node))] = view
        parts = [(node, tuple(at))]
        for i, part in enumerate(node.get("allOf") or []):
            sub = self._view(side, part, (*at, "allOf", i))
            view.properties.update(sub.properties)
            view.required |= sub.required
            parts.append((sub.node, sub.pointer))
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                view.properties[str(name)] = (sub, (*at, "properties", name))
        if isinstance(node.get("required"), list):
            view.required |= {str(r) for r in node["required"]}
        if len(parts) > 1:  # keywords of the allOf parts count as the schema's own (first one wins)
            merged: dict[str, Any] = {}
            for part, _ in reversed(parts):
                merged.update({k: v for k, v in part.items() if k not in ("allOf", "properties", "required")})
            view.node = merged
        return view

    def _own(self, b: _View, h: _View, diff: SchemaDiff) -> None:
        bn, hn = b.node, h.node
        (bt, bnull), (ht, hnull) = _type_set(bn), _type_set(hn)
        bnull = bnull or b.nullable or _has_null_branch(bn)
        hnull = hnull or h.nullable or _has_null_branch(hn)
        facts = diff.facts
        if bt != ht:
            how = _narrows(bt, ht)
            facts.append(Fact(f"type-{how}", type_name(bt, bn.get("format")), type_name(ht, hn.get("format"))))
        elif bn.get("format") != hn.get("format") and bt:
            facts.append(Fact("format-changed", type_name(bt, bn.get("format")), type_name(ht, hn.get("format"))))
        if bnull != hnull:
            facts.append(Fact("became-nullable" if hnull else "became-not-nullable"))
        be, he = _enum(bn), _enum(hn)
        if be is not None and he is not None:
            facts.extend(Fact("enum-value-removed", old=v) for k, v in be.items() if k not in he)
            facts.extend(Fact("enum-value-added", new=v) for k, v in he.items() if k not in be)
        elif he is not None:
            facts.append(Fact("became-enum", new=sorted(he)))
        elif be is not None:
            facts.append(Fact("enum-removed", old=sorted(be)))
        for key, grew, shrank, upper in _BOUNDS:
            old, new = bn.get(key), hn.get(key)
            if isinstance(old, bool) or isinstance(new, bool) or old == new:
                continue  # 3.0's boolean exclusive flags are compared with their bound
            if new is None:
                facts.append(Fact(grew if upper else shrank, old, "none"))
            elif old is None:
                facts.append(Fact(shrank if upper else grew, "none", new))
            elif isinstance(old, int | float) and isinstance(new, int | float):
                facts.append(Fact(grew if new > old else shrank, old, new))
        bp, hp = bn.get("pattern"), hn.get("pattern")
        if bp != hp:
            kind = "pattern-added" if bp is None else "pattern-removed" if hp is None else "pattern-changed"
            facts.append(Fact(kind, bp, hp))
        if bn.get("additionalProperties") is not False and hn.get("additionalProperties") is False:
            facts.append(Fact("additional-properties-closed"))
        for fact in facts:
            fact.pointer = h.pointer

    def _properties(self, b: _View, h: _View, diff: SchemaDiff) -> None:
        for name, (sub, ptr) in b.properties.items():
            if name not in h.properties:
                ro, wo = _flags(self.base, sub, ptr)
                required = name in b.required
                diff.facts.append(Fact("property-removed", required, None, name, "base", ptr, ro, wo))
        for name, (sub, ptr) in h.properties.items():
            ro, wo = _flags(self.head, sub, ptr)
            if name not in b.properties:
                diff.facts.append(Fact("property-added", None, name in h.required, name, "head", ptr, ro, wo))
                continue
            if (name in b.required) != (name in h.required):
                kind = "became-required" if name in h.required else "became-optional"
                diff.facts.append(Fact(kind, name=name, pointer=ptr, read_only=ro, write_only=wo))
            child = self.compare(*b.properties[name], sub, ptr)
            diff.edges.append(Edge(name, child, ro, wo))
        for name in sorted(h.required - b.required - set(h.properties)):  # required without a declared property
            diff.facts.append(Fact("became-required", name=name, pointer=h.pointer))

    def _nested(self, b: _View, h: _View, diff: SchemaDiff) -> None:
        for key, label in (("items", "[]"), ("additionalProperties", "*"), ("not", "")):
            bs, hs = b.node.get(key), h.node.get(key)
            if isinstance(bs, dict) and isinstance(hs, dict) and key != "not":
                child = self.compare(bs, (*b.pointer, key), hs, (*h.pointer, key))
                diff.edges.append(Edge(label, child))

    def _branches(self, b: _View, h: _View, diff: SchemaDiff) -> None:
        for key in ("anyOf", "oneOf"):
            bl, hl = b.node.get(key), h.node.get(key)
            bl = [x for x in bl if not _is_null(x)] if isinstance(bl, list) else []
            hl = [x for x in hl if not _is_null(x)] if isinstance(hl, list) else []
            if not bl and not hl:
                continue
            pairs, removed, added = self._pair(bl, hl)
            for i, j in pairs:
                child = self.compare(bl[i], (*b.pointer, key, i), hl[j], (*h.pointer, key, j))
                diff.edges.append(Edge("", child))
            for i in removed:
                diff.facts.append(Fact("branch-removed", _hint(bl[i]), None, key, "base", (*b.pointer, key, i)))
            for j in added:
                diff.facts.append(Fact("branch-added", None, _hint(hl[j]), key, "head", (*h.pointer, key, j)))

    def _pair(self, bl: list[Any], hl: list[Any]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
        """Branches paired by what they are (the target's name, else the type), then by position."""
        bkeys, hkeys = [_hint(x) for x in bl], [_hint(x) for x in hl]
        pairs: list[tuple[int, int]] = []
        free = list(range(len(hl)))
        left = []
        for i, key in enumerate(bkeys):
            match = next((j for j in free if hkeys[j] == key), None)
            if match is None:
                left.append(i)
            else:
                pairs.append((i, match))
                free.remove(match)
        if len(bl) == len(hl):  # same count: the rest pair up by position
            pairs += list(zip(left, free, strict=True))
            left, free = [], []
        return pairs, left, free


def _is_null(node: Any) -> bool:
    return isinstance(node, dict) and (node.get("type") == "null" or node.get("type") == ["null"])


def _has_null_branch(node: dict[str, Any]) -> bool:
    return any(isinstance(node.get(k), list) and any(_is_null(x) for x in node[k]) for k in ("anyOf", "oneOf"))


def _nullable_branch(node: dict[str, Any]) -> tuple[str, int] | None:
    """(keyword, index) of X in a schema that is only `anyOf`/`oneOf` [X, {type: null}] (plus annotations)."""
    if "type" in node or "properties" in node or "allOf" in node or ("anyOf" in node and "oneOf" in node):
        return None
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if isinstance(branches, list) and len(branches) == 2:
            real = [i for i, x in enumerate(branches) if not _is_null(x)]
            if len(real) == 1:
                return key, real[0]
    return None


def _hint(node: Any) -> str:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
        types, _ = _type_set(node)
        return str(node.get("title") or type_name(types, node.get("format")))
    return "any"


def _flags(resolver: Resolver, node: Any, ptr: Ptr) -> tuple[bool, bool]:
    target, _ = resolver.deref(node, list(ptr))
    if not isinstance(target, dict):
        return False, False
    return target.get("readOnly") is True, target.get("writeOnly") is True
