"""`specfirst diff`: what a spec change breaks, on the wire (rules over one structural diff) and for Python callers."""

from __future__ import annotations

import sys

from ..load import Document
from .compare import Differ
from .model import Change, rank
from .rules import judge

__all__ = ["Change", "compare"]


def compare(base: Document, head: Document) -> list[Change]:
    """Every change from `base` to `head`, judged by the rules and located (HEAD's line, BASE's for removals)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))  # a schema graph is walked depth-first, one frame chain per level
    try:
        events = Differ(base, head).events()
    finally:
        sys.setrecursionlimit(limit)
    docs = {"base": base, "head": head}
    changes: dict[tuple[str, str, str, str], Change] = {}
    for event in events:
        rule, message = judge(event)
        line, col = docs[event.side].locate(event.pointer)
        change = Change(rule.id, rule.level, event.operation, f"{docs[event.side].display}:{line}:{col}", message)
        changes.setdefault((change.id, change.operation, change.message, change.location), change)
    return sorted(changes.values(), key=lambda c: (-rank(c.level), c.operation, c.id, c.message))
