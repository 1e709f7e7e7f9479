"""What a rule is: an id, a level, a message template and a predicate over one Event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import Event

Predicate = Callable[[Event], bool]
B, W, N = "breaking", "warning", "info"  # N: notice (info)


@dataclass(frozen=True)
class Rule:
    """A stable kebab-case id (users filter on it), its level, its message, and which Events it judges."""

    id: str
    level: str
    template: str  # str.format fields: subject, old, new, operation
    applies: Predicate


def on(area: str, *kinds: str, root: bool | None = None, **flags: bool) -> Predicate:
    """Events of `area` whose kind is one of `kinds` (and, when given, at the root or not, with these flags)."""

    def test(event: Event) -> bool:
        return (
            event.area == area
            and event.kind in kinds
            and (root is None or event.root == root)
            and all(getattr(event, k) == v for k, v in flags.items())
        )

    return test
