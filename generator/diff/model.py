"""The plain data between the structural diff and the rules: Events in, Changes out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LEVELS = ("info", "warning", "breaking")  # in rising order


@dataclass(frozen=True)
class Event:
    """One structural difference, with the context a rule needs to judge it (and nothing more).

    `area` is where in an operation it happened: `path`, `operation`, `parameter`, `request` (the request body
    and its properties), `response` (a response body and its properties) or `security`. Schema events have the
    kinds of `schema.Fact` and say whether they are at the body's root (`root`) or at a named property.
    """

    kind: str
    area: str
    operation: str
    subject: str
    side: str = "head"  # the document `pointer` is in: head, or base for what was removed
    pointer: tuple[str | int, ...] = ()
    old: Any = None
    new: Any = None
    root: bool = False  # a schema event about the parameter's or body's schema itself
    required: bool = False  # the parameter, body or property is required (in the side `pointer` names)
    read_only: bool = False
    write_only: bool = False
    success: bool = False  # a response event under a 2xx status
    deprecated: bool = False  # a removed operation was deprecated in BASE


@dataclass(frozen=True)
class Change:
    """One judged change: what the JSON output says about it."""

    id: str
    level: str
    operation: str
    location: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "level": self.level,
            "operation": self.operation,
            "location": self.location,
            "message": self.message,
        }


def rank(level: str) -> int:
    """info 0, warning 1, breaking 2 (never 3: `never` is above every level)."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)
