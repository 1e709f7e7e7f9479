"""Request and response shapes of schemas with readOnly/writeOnly properties, as plain-data schema copies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

PREFIX = "#/components/schemas/"
_ONE = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames")
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
_NAMED = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def local_name(ref: Any) -> str | None:
    """The schema name a `#/components/schemas/NAME` reference points to."""
    if isinstance(ref, str) and ref.startswith(PREFIX) and "/" not in ref[len(PREFIX) :]:
        return ref[len(PREFIX) :].replace("~1", "/").replace("~0", "~")
    return None


def _pointer(name: str) -> str:
    return PREFIX + name.replace("~", "~0").replace("/", "~1")


def _children(node: dict[str, Any]) -> Iterator[Any]:
    for key in (*_ONE, *_MANY, *_NAMED):
        value = node.get(key)
        if isinstance(value, list):
            yield from value
        elif isinstance(value, dict):
            yield from value.values() if key in _NAMED else [value]


class Shaper:
    """Knows which schemas differ by direction and makes their request ("NAMEInput") and response copies."""

    def __init__(self, schemas: dict[str, Any], taken: set[str]) -> None:
        self.schemas = schemas
        self.taken = taken
        refs: dict[str, set[str]] = {}
        split = set()
        for name, schema in schemas.items():  # one walk of each schema for both
            refs[name] = set()
            if self._scan(schema, refs[name]):
                split.add(name)
        grew = True
        while grew:
            more = {name for name, targets in refs.items() if name not in split and targets & split}
            split |= more
            grew = bool(more)
        self.split = split
        self.variants: dict[str, str] = {}  # schema name -> its request variant's name
        self._pending: list[str] = []

    def marked(self, schema: Any, key: str, depth: int = 0) -> bool:
        """Whether a property schema is readOnly/writeOnly (`key`), itself or through a `$ref`."""
        if not isinstance(schema, dict) or depth > 10:
            return False
        if schema.get(key) is True:
            return True
        name = local_name(schema.get("$ref"))
        return name is not None and self.marked(self.schemas.get(name), key, depth + 1)

    def _scan(self, node: Any, refs: set[str]) -> bool:
        """Whether `node` declares a readOnly/writeOnly property, itself or in a schema inside it; the schema names
        it references (discriminator mappings too), at any depth, are added to `refs`."""
        if not isinstance(node, dict):
            return False
        if (name := local_name(node.get("$ref"))) is not None:
            refs.add(name)
        mapping = node["discriminator"].get("mapping") if isinstance(node.get("discriminator"), dict) else None
        for ref in mapping.values() if isinstance(mapping, dict) else ():
            if (target := local_name(ref)) is not None:
                refs.add(target)
        props = node.get("properties")
        found = isinstance(props, dict) and any(
            self.marked(p, "readOnly") or self.marked(p, "writeOnly") for p in props.values()
        )
        for child in _children(node):
            found = self._scan(child, refs) or found  # every child is walked: its references count
        return found

    def _hidden(self, node: Any, key: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """Names of `key`-marked properties a schema declares, its allOf parents included."""
        if not isinstance(node, dict):
            return set()
        name = local_name(node.get("$ref"))
        if name is not None:
            return set() if name in seen else self._hidden(self.schemas.get(name), key, seen | {name})
        props = node.get("properties")
        found = {k for k, v in props.items() if self.marked(v, key)} if isinstance(props, dict) else set()
        parts = node.get("allOf")
        for part in parts if isinstance(parts, list) else []:
            found |= self._hidden(part, key, seen)
        return found

    def _variant(self, name: str) -> str:
        if name not in self.variants:
            variant = name + "Input"
            n = 1
            while variant in self.taken:
                n += 1
                variant = f"{name}Input{n}"
            self.taken.add(variant)
            self.variants[name] = variant
            self._pending.append(name)
        return self.variants[name]

    def reshape(self, node: Any, *, request: bool, hidden: frozenset[str] = frozenset(), closed: bool = False) -> Any:
        """A copy without readOnly (request) or writeOnly (response) properties; request refs go to variants.

        Dropped properties leave `required` too (`hidden`: those an allOf sibling declares). A closed response
        schema (`closed`: its own or a combining parent's additional/unevaluatedProperties is false) keeps its
        writeOnly properties, optional, so that a server echoing one still parses.
        """
        if isinstance(node, list):
            return [self.reshape(v, request=request, hidden=hidden, closed=closed) for v in node]
        if not isinstance(node, dict):
            return node
        key = "readOnly" if request else "writeOnly"
        drop = hidden | self._hidden({k: v for k, v in node.items() if k != "$ref"}, key)
        closed = not request and (
            closed or node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False
        )
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k == "$ref" and request and local_name(v) in self.split:
                out[k] = _pointer(self._variant(str(local_name(v))))
            elif k == "discriminator" and request and isinstance(v, dict) and isinstance(v.get("mapping"), dict):
                mapping = {m: self.reshape({"$ref": r}, request=True)["$ref"] for m, r in v["mapping"].items()}
                out[k] = {**v, "mapping": mapping}
            elif k in _NAMED and isinstance(v, dict):
                kept = {p: s for p, s in v.items() if k != "properties" or closed or not self.marked(s, key)}
                out[k] = {p: self.reshape(s, request=request) for p, s in kept.items()}
            elif k in _MANY:
                inherited = frozenset(drop) if k == "allOf" else frozenset()
                out[k] = self.reshape(v, request=request, hidden=inherited, closed=closed)
            elif k in _ONE:
                out[k] = self.reshape(v, request=request)
            elif k == "required" and isinstance(v, list):
                out[k] = [r for r in v if r not in drop]
            else:
                out[k] = v
        if out.get("required") == [] and node.get("required") != []:
            del out["required"]
        return out

    def request_variants(self) -> dict[str, Any]:
        """The request copy of every split schema a request shape referred to so far (and what those refer to)."""
        made: dict[str, Any] = {}
        while self._pending:
            name = self._pending.pop(0)
            made[self.variants[name]] = self.reshape(self.schemas[name], request=True)
        return made
