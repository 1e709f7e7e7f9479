"""Schema reading for the docs: type notation (`string¦null`), constraints, JSON sketches, property rows."""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Mapping
from typing import Any

from ..docs.model import Alternative, Field, Model, TypePart
from ..errors import InputError
from ..load import Document
from ..refs import Resolver

Pointer = list[str | int]
MAX_DEPTH = 6
# JSON Schema keywords shown in the 约束 column, in this order.
CONSTRAINTS = (
    "format", "minLength", "maxLength", "pattern", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
    "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "enum", "const",
    "default", "readOnly", "writeOnly", "deprecated",
)  # fmt: skip
_PLACEHOLDER: dict[str, Any] = {"string": "string", "integer": 0, "number": 0, "boolean": True, "null": None}


def slug(name: str) -> str:
    """The anchor a Markdown renderer gives a heading `name` (GitHub style), never empty."""
    text = re.sub(r"[^\w\- ]", "", name.strip().lower()).replace(" ", "-")
    return text or "model"


def dump(value: Any) -> str:
    """Pretty JSON for sketches and examples (Chinese kept readable, keys in spec order)."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def constraints(schema: Any) -> tuple[str, ...]:
    """`keyword: value` for every constraint keyword the schema states."""
    if not isinstance(schema, dict):
        return ()
    out = []
    for key in CONSTRAINTS:
        if key not in schema:
            continue
        value = schema[key]
        if key == "enum" and isinstance(value, list):
            out.append("enum: " + ", ".join(_value(v) for v in value))
        elif key in {"pattern", "format"} and isinstance(value, str):
            out.append(f"{key}: {value}")
        elif key in {"readOnly", "writeOnly", "deprecated"}:
            if value is True:
                out.append(key)
        else:
            out.append(f"{key}: {_value(value)}")
    return tuple(out)


def _digest(value: Any) -> bytes:
    """A digest of plain data: equal for equal data (unlike a pickle's, whatever objects it shares)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).digest()


class _Noting(Resolver):
    """A resolver that notes every reference it follows while `reads` is a set."""

    reads: set[str] | None = None

    def lookup(self, ref: str, at: list[str | int]) -> tuple[Any, list[str | int]]:
        if self.reads is not None:
            self.reads.add(ref)
        return super().lookup(ref, at)


# a model as stored: the model, each reference read making it with its target's digest, and the models it named
# (first-seen order) with their references
_Stored = tuple[Model, tuple[tuple[str, bytes], ...], tuple[tuple[str, str], ...]]


class Schemas:
    """Reads schemas of one document; remembers every named model the docs link to, in first-seen order."""

    def __init__(self, doc: Document) -> None:
        self.resolver = _Noting(doc)
        self.named: dict[str, tuple[Any, Pointer]] = {}
        self.kept: dict[bytes, bytes] = {}  # this run's models by digest, after `models(known)`
        self._naming: list[tuple[str, str]] | None = None  # models named (and their references), while noted
        self._targets: dict[str, bytes] = {}  # digests of reference targets, this run

    def _component(self, schema: Any, at: Pointer) -> str | None:
        """The model name when `schema` is a `$ref` to components/schemas/<name>; registers it."""
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return None
        target, pointer = self.resolver.lookup(schema["$ref"], at)
        if len(pointer) == 3 and pointer[:2] == ["components", "schemas"]:
            name = str(pointer[2])
            self.named.setdefault(name, (target, pointer))
            if self._naming is not None:
                self._naming.append((name, schema["$ref"]))
            return name
        return None

    def register(self, name: str, schema: Any, at: Pointer) -> str:
        """Document an inline schema as a model of its own (e.g. an inline request body)."""
        base, n = name, 1
        while name in self.named:
            n += 1
            name = f"{base}{n}"
        self.named[name] = (schema, at)
        return name

    def deref(self, schema: Any, at: Pointer) -> tuple[Any, Pointer]:
        return self.resolver.deref(schema, at)

    def types(self, schema: Any, at: Pointer, depth: int = 0) -> tuple[TypePart, ...]:
        """The document's type notation as parts: `string`, `null`, a model link, `[item]` for arrays."""
        name = self._component(schema, at)
        if name is not None:
            return (TypePart(name, slug(name)),)
        schema, at = self.deref(schema, at)
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return (TypePart("any"),)
        for key in ("oneOf", "anyOf"):
            alternatives = schema.get(key)
            if isinstance(alternatives, list) and alternatives:
                parts: list[TypePart] = []
                for i, alt in enumerate(alternatives):
                    parts += [p for p in self.types(alt, [*at, key, i], depth + 1) if p not in parts]
                return tuple(parts)
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and "properties" not in schema:
            return self.types(all_of[0], [*at, "allOf", 0], depth + 1)
        kinds = schema.get("type")
        names = [k for k in kinds if isinstance(k, str)] if isinstance(kinds, list) else [kinds] if kinds else []
        if not names:
            names = ["object"] if "properties" in schema or "allOf" in schema else ["any"]
        out = []
        for kind in names:
            if kind == "array":
                items = self.types(schema.get("items", {}), [*at, "items"], depth + 1)
                out += [TypePart(p.text, p.ref, p.arrays + 1) for p in items]
            else:
                out.append(TypePart(str(kind)))
        if schema.get("nullable") is True and TypePart("null") not in out:
            out.append(TypePart("null"))
        return tuple(out)

    def flatten(self, schema: Any, at: Pointer, depth: int = 0) -> tuple[dict[str, Any], list[str], Pointer]:
        """(properties, required, pointer) of an object schema, allOf parts merged."""
        schema, at = self.deref(schema, at)
        props: dict[str, Any] = {}
        required: list[str] = []
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return props, required, at
        for i, part in enumerate(schema.get("allOf") or []):
            p, r, _ = self.flatten(part, [*at, "allOf", i], depth + 1)
            props.update(p)
            required += r
        if isinstance(schema.get("properties"), dict):
            props.update({k: (v, [*at, "properties", k]) for k, v in schema["properties"].items()})
        if isinstance(schema.get("required"), list):
            required += [r for r in schema["required"] if isinstance(r, str)]
        return props, required, at

    def fields(self, schema: Any, at: Pointer, depth: int = 0) -> tuple[Field, ...]:
        """The 属性 rows of an object schema; inline nested objects follow their parent with depth + 1."""
        props, required, _ = self.flatten(schema, at)
        rows: list[Field] = []
        for name, (prop, where) in props.items():
            resolved, rat = self.deref(prop, where)
            info = resolved if isinstance(resolved, dict) else {}
            is_ref = isinstance(prop, dict) and "$ref" in prop
            rows.append(
                Field(
                    name=str(name),
                    types=self.types(prop, where),
                    required=name in required,
                    constraints=() if is_ref else constraints(info),
                    title=str(info.get("title", "")) if not is_ref else "",
                    description=str(info.get("description", "")) if not is_ref else "",
                    depth=depth,
                )
            )
            if not is_ref and depth < 3:
                inner, inner_at = info, rat
                if info.get("type") == "array" and isinstance(info.get("items"), dict) and "$ref" not in info["items"]:
                    inner, inner_at = info["items"], [*rat, "items"]
                if isinstance(inner, dict) and ("properties" in inner or "allOf" in inner):
                    rows += self.fields(inner, inner_at, depth + 1)
        return tuple(rows)

    def sketch(self, schema: Any, at: Pointer, seen: frozenset[str] = frozenset()) -> Any:
        """A placeholder value of the schema's shape, as the documents show before the real examples."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            if schema["$ref"] in seen or len(seen) > MAX_DEPTH:
                return {}
            seen = seen | {schema["$ref"]}
        schema, at = self.deref(schema, at)
        if not isinstance(schema, dict):
            return None
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        for key in ("oneOf", "anyOf"):
            alternatives = schema.get(key)
            if isinstance(alternatives, list) and alternatives:
                first = next((a for a in alternatives if not (isinstance(a, dict) and a.get("type") == "null")), None)
                return self.sketch(first, [*at, key, 0], seen)
        props, _, _ = self.flatten(schema, at)
        if props:
            return {str(k): self.sketch(v, w, seen) for k, (v, w) in props.items()}
        kinds = [p.text for p in self.types(schema, at) if p.text != "null" and not p.ref]
        if schema.get("type") == "array" or (isinstance(schema.get("type"), list) and "array" in schema["type"]):
            return [self.sketch(schema.get("items", {}), [*at, "items"], seen)]
        return _PLACEHOLDER.get(kinds[0], {}) if kinds else {}

    def alternatives(self, schema: Any, at: Pointer) -> tuple[str, tuple[Alternative, ...]]:
        """The oneOf/anyOf/allOf members of a schema (the first of those keywords it has)."""
        schema, at = self.deref(schema, at)
        if not isinstance(schema, dict):
            return "", ()
        for key in ("oneOf", "anyOf", "allOf"):
            members = schema.get(key)
            if isinstance(members, list) and members and not (key == "allOf" and len(members) == 1):
                out = []
                for i, member in enumerate(members):
                    where = [*at, key, i]
                    inline = not (isinstance(member, dict) and "$ref" in member)
                    info = member if isinstance(member, dict) else {}
                    fields = self.fields(member, where) if inline else ()
                    out.append(Alternative(self.types(member, where), str(info.get("title", "")), fields))
                return key, tuple(out)
        return "", ()

    def _model(self, name: str, schema: Any, at: Pointer) -> Model:
        info = schema if isinstance(schema, dict) else {}
        combinator, alternatives = self.alternatives(schema, at)
        return Model(
            name=name,
            anchor=slug(name),
            description=str(info.get("description", "")),
            sketch=dump(self.sketch(schema, at)),
            types=self.types(schema, at) if "$ref" not in info else (TypePart("any"),),
            constraints=constraints(info),
            fields=self.fields(schema, at),
            combinator=combinator,
            alternatives=alternatives,
        )

    def _target(self, ref: str) -> bytes:
        """The digest of what `ref` points at now (empty when nothing: a stored model reading it is stale)."""
        found = self._targets.get(ref)
        if found is None:
            try:
                found = _digest(self.resolver.lookup(ref, [])[0])
            except InputError:
                found = b""
            self._targets[ref] = found
        return found

    def _noted(self, name: str, schema: Any, at: Pointer) -> _Stored:
        """The model made, noting every reference it reads (with its target's digest) and every model it names."""
        reads: set[str] = set()
        naming: list[tuple[str, str]] = []
        self.resolver.reads, self._naming = reads, naming
        try:
            model = self._model(name, schema, at)
        finally:
            self.resolver.reads, self._naming = None, None
        return model, tuple((ref, self._target(ref)) for ref in sorted(reads)), tuple(naming)

    def _known(self, stored: bytes | None) -> _Stored | None:
        """A stored model, when every target it read is as it was (then the models it named are named again)."""
        try:
            model, reads, naming = pickle.loads(stored) if stored is not None else (None, (), ())
        except Exception:  # a damaged entry is a miss
            return None
        if not isinstance(model, Model) or any(self._target(ref) != digest for ref, digest in reads):
            return None
        for named, ref in naming:
            self.named.setdefault(named, self.resolver.lookup(ref, []))
        return model, reads, naming

    def models(self, known: Mapping[bytes, bytes] | None = None) -> tuple[Model, ...]:
        """Every model reached so far (and those they reach), in first-seen order.

        Given `known` (a cache's models by digest, maybe empty), a model whose schema, and every schema it read,
        is as it was when it was made is taken from there (a model is plain data made from those alone);
        `self.kept` then holds this run's, to give as `known` next time."""
        done: dict[str, Model] = {}
        while len(done) < len(self.named):
            name = next(n for n in self.named if n not in done)
            schema, at = self.named[name]
            if known is None:
                done[name] = self._model(name, schema, at)
                continue
            digest = _digest((name, at, schema))
            stored = known.get(digest)
            made = self._known(stored)
            if made is None or stored is None:
                made = self._noted(name, schema, at)
                stored = pickle.dumps(made, protocol=5)
            self.kept[digest] = stored
            done[name] = made[0]
        return tuple(done.values())
