"""Two slow spots of openapi-spec-validator's stack made fast, verdicts unchanged, and one of its errors made
placeable (`apply` once, before use).

- Its schema walk remembers the schemas it has seen in lists, so every lookup scans them: quadratic in the
  number of schemas (Stripe's 10,000 make it a third of the validation). `_Seen` is a list that looks up in a set.
- pathable asks `isinstance(node, Subscriptable)` of every node it steps into, a runtime Protocol check (tens of
  microseconds); for the dicts and lists a loaded document is made of, the answer is known.
- A schema that breaks the JSON Schema meta-schema (`description: 7`) is reported with a path inside the schema
  only, not where the schema is; the error now keeps the schema itself as `schema_node` (`placed_schema` finds it).
- The meta-schema check of every schema is half of a large document's validation, and its verdict depends on the
  schema's value alone: within `remembering(memo)`, a schema whose value passed it before (earlier in the run, or
  in an earlier run: the memo is kept in the cache) is not checked again.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

_APPLIED: list[bool] = []
_DIGEST = 20


class MetaMemo:
    """Digests of the schema values (with the OpenAPI version) that passed the meta-schema check: those an earlier
    run found (`known`) and those found in this one (`passed`, what is worth keeping)."""

    def __init__(self, stored: bytes | None = None) -> None:
        raw = stored or b""
        self.known = {raw[i : i + _DIGEST] for i in range(0, len(raw) - len(raw) % _DIGEST, _DIGEST)}
        self.passed: set[bytes] = set()

    def dump(self) -> bytes:
        """What to store for the next run: the digests this run's schemas passed with."""
        return b"".join(sorted(self.passed))


_MEMO: list[tuple[str, MetaMemo]] = []  # the memo (and OpenAPI version) of the validation running, if any


@contextmanager
def remembering(memo: MetaMemo | None, version: str) -> Iterator[None]:
    """Validate a document with `memo` (None: none) answering for the schemas that passed before (`version`: the
    document's OpenAPI version and its JSON Schema dialect, part of each digest)."""
    if memo is None:
        yield
        return
    _MEMO.append((version, memo))
    try:
        yield
    finally:
        _MEMO.pop()


class _Seen(list[int]):
    """A list of ids whose `in` is a set lookup (only `append` adds to it, as the walk does)."""

    def __init__(self, items: Iterable[int] = ()) -> None:
        super().__init__(items)
        self._set = set(self)

    def append(self, item: int) -> None:
        super().append(item)
        self._set.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._set


def placed_schema(error: Any) -> Any:
    """The schema a meta-schema error of the validator was found in (`apply` records it), or None."""
    return getattr(error, "schema_node", None)


def apply() -> None:
    """Install the fixes (once)."""
    if _APPLIED:
        return
    from openapi_spec_validator.validation import keywords
    from pathable import accessors

    schema_init = keywords.SchemaValidator.__init__

    def init(self: Any, registry: Any) -> None:
        schema_init(self, registry)
        self.visited_schema_ids = _Seen()
        self.meta_checked_schema_ids = _Seen()

    keywords.SchemaValidator.__init__ = init  # type: ignore[method-assign]

    meta = keywords.SchemaValidator._validate_schema_meta

    def validate_meta(self: Any, schema: Any, schema_value: Any) -> Any:
        digest = b""
        if _MEMO:
            version, memo = _MEMO[-1]
            digest = hashlib.blake2b(pickle.dumps((version, schema_value), protocol=5), digest_size=_DIGEST).digest()
            if digest in memo.known or digest in memo.passed:
                memo.passed.add(digest)
                return None
        error: Any = meta(self, schema, schema_value)
        if error is not None:
            error.schema_node = schema_value
        elif digest:
            _MEMO[-1][1].passed.add(digest)
        return error

    keywords.SchemaValidator._validate_schema_meta = validate_meta  # type: ignore[method-assign]

    subnode = accessors.SubscriptableAccessor._get_subnode.__func__  # type: ignore[attr-defined]

    def get_subnode(cls: Any, node: Any, part: Any) -> Any:
        if type(node) is dict or type(node) is list:  # Subscriptable: what the original checks first
            try:
                return node[part]
            except (KeyError, IndexError, TypeError) as exc:
                raise KeyError(part) from exc
        return subnode(cls, node, part)

    accessors.SubscriptableAccessor._get_subnode = classmethod(get_subnode)  # type: ignore[method-assign,assignment]
    _APPLIED.append(True)
