"""Generation: schema instances from Schemathesis' Hypothesis-based JSON Schema engine, deterministic per seed."""

from __future__ import annotations

import hashlib
import random
import threading
from typing import Any

from .spec import MockSpec

_DROP = frozenset({"example", "examples", "xml", "discriminator", "externalDocs", "x-sensitive", "deprecated"})
_MAX_INLINE = 6
BUDGET = 2000  # schema nodes one prepared schema may inline (Stripe's schemas reach each other everywhere)
ATTEMPTS = 6


class Generator:
    """Instances of response schemas: the same (seed, key) gives the same value; each is checked by the validator."""

    def __init__(self, spec: MockSpec, seed: int, errors: Any) -> None:
        self.spec = spec
        self.seed = seed
        self._errors = errors  # Validators.errors: every instance is checked with the same validator as requests
        self._strategies: dict[int, Any] = {}
        self._keep: list[Any] = []
        self._lock = threading.Lock()
        self._left = BUDGET

    def warm(self) -> None:
        """Import the engine ahead of the first request that needs it (it takes seconds)."""
        with self._lock:  # a request must not import the engine half-way with this thread
            from schemathesis.generation.jsonschema import builder  # noqa: F401

            from ..regexcache import install

            install()

    def instance(self, schema: Any, key: str) -> Any:
        """A value valid against `schema` (readOnly kept, writeOnly dropped), the same for the same key and seed."""
        schema = self.spec.resolve(schema)
        if not isinstance(schema, dict) or not schema:
            return {}
        with self._lock:
            strategy = self._strategy(schema)
            if strategy is None:
                return None
            for attempt in range(ATTEMPTS):
                digest = hashlib.sha256(f"{self.seed}:{key}:{attempt}".encode()).digest()
                value = _draw(strategy, int.from_bytes(digest[:8], "big"))
                if value is not _FAILED and not self._errors(schema, value):
                    return value
        return None

    def _strategy(self, schema: dict[str, Any]) -> Any:
        cached = self._strategies.get(id(schema))
        if cached is None:
            from schemathesis.generation.jsonschema.builder import build
            from schemathesis.specs.openapi.formats import format_lengths_for, get_default_format_strategies

            from ..regexcache import install

            install()
            formats = get_default_format_strategies()
            self._left = BUDGET
            prepared = self._prepare(schema, 0, ())
            try:
                cached = build(
                    prepared,
                    draft=20 if self.spec.version == "3.1" else 4,
                    formats=formats,
                    format_lengths=format_lengths_for(formats),
                )
            except Exception:  # a schema the engine does not model: callers fall back to examples
                cached = False
            self._strategies[id(schema)] = cached
            self._keep.append(schema)
        return None if cached is False else cached

    def _prepare(self, node: Any, depth: int, chain: tuple[str, ...], branch: bool = False) -> Any:
        """The schema with $refs inlined (recursion cut), writeOnly properties dropped, objects closed (except the
        branches of an allOf, which would then contradict each other), 3.0 nullable left out (a value is always
        generated)."""
        if isinstance(node, list):
            return [self._prepare(v, depth, chain, branch) for v in node]
        if not isinstance(node, dict):
            return node
        self._left -= 1
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in chain or depth > _MAX_INLINE or self._left <= 0:
                return {}
            return self._prepare(self.spec.resolve(node), depth + 1, (*chain, ref), branch)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP or key == "nullable":
                continue
            if key in ("anyOf", "oneOf") and isinstance(value, list) and depth >= 1:
                plain = [b for b in value if not (isinstance(b, dict) and "$ref" in b)]
                value = plain or value[:1]  # deeper down, the simplest branch (an id rather than the object)
            if key == "properties" and isinstance(value, dict):
                if depth >= 2 or self._left <= BUDGET // 2:  # deeper down, only what is required
                    found = node.get("required")
                    required = found if isinstance(found, list) else []
                    value = {k: v for k, v in value.items() if k in required}
                props = {k: self.spec.resolve(v) for k, v in value.items()}
                kept = {
                    k: v for k, v in value.items() if not (isinstance(props[k], dict) and props[k].get("writeOnly"))
                }
                cut = {k for k, v in value.items() if isinstance(v, dict) and v.get("$ref") in chain}
                out[key] = {k: self._prepare(v, depth, chain) for k, v in kept.items() if k not in cut}
            elif key in ("not",):
                continue
            elif key == "allOf" and isinstance(value, list):
                out[key] = _close_together(self._prepare(value, depth, chain, branch=True), node.get("properties"))
            else:
                out[key] = self._prepare(value, depth, chain)
        bounds = _INT_FORMATS.get(str(out.get("format")))
        if bounds is not None:  # the validator checks int32/int64 ranges; tell the generator about them
            if not isinstance(out.get("minimum"), int | float) or out["minimum"] < bounds[0]:
                out["minimum"] = bounds[0]
            if not isinstance(out.get("maximum"), int | float) or out["maximum"] > bounds[1]:
                out["maximum"] = bounds[1]
        if isinstance(out.get("required"), list) and isinstance(out.get("properties"), dict):
            out["required"] = [r for r in out["required"] if r in out["properties"]]
        if "properties" in out and "additionalProperties" not in out and "allOf" not in out and not branch:
            out["additionalProperties"] = False
        return out


def _close_together(branches: list[Any], own: Any) -> list[Any]:
    """allOf branches closed to the union of their property names (closing each to its own would contradict)."""
    names: dict[str, None] = dict.fromkeys(own) if isinstance(own, dict) else {}  # ordered: same seed, same value
    for branch in branches:
        if isinstance(branch, dict):
            if "allOf" in branch or branch.get("additionalProperties") not in (None, False):
                return branches  # a nested or open branch: leave them all open
            names.update(dict.fromkeys(branch.get("properties") or {}))
    for branch in branches:
        if isinstance(branch, dict) and "properties" in branch and "additionalProperties" not in branch:
            branch["properties"] = {**{name: {} for name in names}, **branch["properties"]}
            branch["additionalProperties"] = False
    return branches


_FAILED = object()
_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _draw(strategy: Any, seed: int) -> Any:
    from hypothesis.control import BuildContext
    from hypothesis.errors import HypothesisException, StopTest
    from hypothesis.internal.conjecture.data import ConjectureData

    data = ConjectureData(random=random.Random(seed), max_choices=5000)
    try:
        with BuildContext(data, is_final=True, wrapped_test=lambda: None):
            return data.draw(strategy)
    except (HypothesisException, StopTest, Exception):  # filters exhausted, an empty strategy: try another seed
        return _FAILED
