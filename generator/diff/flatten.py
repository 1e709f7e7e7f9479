"""A schema diff graph turned into Events: each changed node once per root, at the shortest property path."""

from __future__ import annotations

from typing import Any

from .model import Event
from .schema import Fact, SchemaDiff

_NAMED = ("property-", "became-required", "became-optional")  # facts about one named property of the node


class Flattener:
    """Walks diff graphs breadth first; the walk below one root is made once per direction."""

    def __init__(self) -> None:
        self.reached: dict[tuple[int, str], list[tuple[Fact, tuple[str, ...]]]] = {}

    def events(self, root: SchemaDiff, area: str, label: str, subject: str, status: str, required: bool) -> list[Event]:
        """Each changed node reachable from `root` reported once, at the shortest property path that reaches it."""
        skip_flag = "read_only" if area in ("request", "parameter") else "write_only"
        success = status.startswith("2")
        out: list[Event] = []
        for fact, named in self.reachable(root, skip_flag):
            out.append(
                Event(
                    fact.kind,
                    area,
                    label,
                    _subject(area, subject, named, status),
                    fact.side,
                    fact.pointer,
                    fact.old,
                    fact.new,
                    root=not named,
                    required=_required(fact.kind, fact.old, fact.new, required),
                    read_only=fact.read_only,
                    write_only=fact.write_only,
                    success=success,
                )
            )
        return out

    def reachable(self, root: SchemaDiff, skip_flag: str) -> list[tuple[Fact, tuple[str, ...]]]:
        """(fact, property path) below `root`, breadth first; computed once per root and direction."""
        key = (id(root), skip_flag)
        known = self.reached.get(key)
        if known is not None:
            return known
        found: list[tuple[Fact, tuple[str, ...]]] = []
        seen = {id(root)}
        queue: list[tuple[SchemaDiff, tuple[str, ...]]] = [(root, ())]
        for diff, path in queue:
            for fact in diff.facts:
                if not getattr(fact, skip_flag):
                    named = (*path, fact.name) if fact.kind.startswith(_NAMED) else path
                    found.append((fact, named))
            for edge in diff.edges:
                if getattr(edge, skip_flag) or id(edge.diff) in seen:
                    continue
                seen.add(id(edge.diff))
                queue.append((edge.diff, (*path, edge.label) if edge.label else path))
        self.reached[key] = found
        return found


def _required(kind: str, old: Any, new: Any, context: bool) -> bool:
    """A property fact says whether the property is required; any other fact inherits its context's."""
    if kind == "property-added":
        return bool(new)
    if kind == "property-removed":
        return bool(old)
    return context


def _subject(area: str, subject: str, path: tuple[str, ...], status: str) -> str:
    dotted = "/".join(path)
    if area == "parameter":
        return f"{subject} property '{dotted}'" if path else subject
    if area == "request":
        return f"request property '{dotted}'" if path else "request body"
    return f"response property '{dotted}' (status {status})" if path else f"response body (status {status})"
