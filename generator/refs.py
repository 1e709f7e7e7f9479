"""Follow `$ref`s inside a loaded document: local only, loops and escapes refused with a clear message."""

from __future__ import annotations

from typing import Any

from generator.errors import InputError
from generator.load import Document


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


class Resolver:
    """Resolves `#/...` references against one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def _fail(self, ref: str, at: list[str | int], why: str) -> InputError:
        line, col = self.doc.locate(at)
        return InputError(f"{self.doc.display}:{line}:{col}: $ref {ref[:200]!r}: {why}")

    def lookup(self, ref: str, at: list[str | int]) -> tuple[Any, list[str | int]]:
        """The value a single `$ref` string points at, and its pointer."""
        if not ref.startswith("#"):
            if ref.startswith(("http://", "https://", "//")):
                raise self._fail(ref, at, "remote references are refused (never fetched)")
            raise self._fail(ref, at, "references to other files are not supported here")
        node: Any = self.doc.data
        pointer: list[str | int] = []
        for raw in ref[1:].split("/")[1:]:
            part = _unescape(raw)
            if isinstance(node, dict) and part in node:
                node = node[part]
                pointer.append(part)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
                pointer.append(int(part))
            else:
                raise self._fail(ref, at, "target does not exist")
        return node, pointer

    def deref(self, value: Any, at: list[str | int]) -> tuple[Any, list[str | int]]:
        """Follow `$ref` chains from `value` (found at `at`) until a non-reference."""
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if ref in seen:
                raise self._fail(ref, at, "reference loop with no schema in it")
            seen.add(ref)
            value, at = self.lookup(ref, at)
        return value, at
