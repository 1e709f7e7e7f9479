"""Small read-only helpers for walking the raw OpenAPI data, shared by the stages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def iter_operations(data: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation, in document order."""
    paths = data.get("paths") if isinstance(data, dict) else None
    for path, item in (paths or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op


def iter_mappings(node: Any) -> Iterator[dict[Any, Any]]:
    """Every mapping nested anywhere in `node` (itself included), through mappings' values and lists' items."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
