"""The plain data of linting: severities, rules, findings, and the per-document context rules write to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from ..load import Document

Ptr = tuple[str | int, ...]
IGNORE_KEY = "x-specfirst-lint-ignore"


class Severity(IntEnum):
    """How much a finding matters; `--fail-on` compares against it."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


SEVERITIES = {s.label: s for s in Severity}


@dataclass(frozen=True)
class Rule:
    """One row of the rule table: a stable id (users put it in configuration), its default, and its handler.

    `kind` names the node the walker hands to `check`: document, path, operation, parameter, response,
    media, schema, text (a description, summary or title), server, tag.
    """

    id: str
    severity: Severity  # its default severity (when enabled)
    kind: str
    summary: str
    check: Callable[..., None]
    origin: str = "specfirst"  # which peer ruleset has it: spectral, redocly, both, specfirst
    also: tuple[tuple[str, Callable[..., None]], ...] = ()  # further (kind, handler) pairs that report it
    enabled: bool = True  # off by default (as in its peer ruleset) until configured "on" or a severity

    def handlers(self) -> tuple[tuple[str, Callable[..., None]], ...]:
        """Every (kind, handler) pair that reports this rule."""
        return ((self.kind, self.check), *self.also)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, at a node of one document."""

    file: str
    line: int
    col: int
    rule: str
    severity: Severity = field(compare=False)
    message: str
    pointer: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity.label} {self.rule}: {self.message}"


@dataclass
class Raw:
    """A finding before it is located: the rule, the node's pointer, the message."""

    rule: str
    pointer: Ptr
    message: str
    where: tuple[int, int] | None = None  # set when a check already knows line:col (validator problems)


@dataclass
class Context:
    """What the rules of one document share during the walk, and what they report into."""

    doc: Document
    version: str  # '3.0' or '3.1'
    active: frozenset[str]
    raws: list[Raw] = field(default_factory=list)
    refs: set[str] = field(default_factory=set)  # every local $ref string seen
    # component schema name -> refs seen inside it; refs seen in request positions
    schema_refs: dict[str, set[str]] = field(default_factory=dict)
    request_refs: set[str] = field(default_factory=set)
    deferred: list[tuple[str, str, Ptr, str]] = field(default_factory=list)  # (component, rule, pointer, msg)
    finishers: list[Callable[[Context], None]] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data  # type: ignore[no-any-return]

    def emit(self, rule: str, pointer: Ptr, message: str) -> None:
        """Report a finding of `rule` at `pointer` (dropped when the rule is not active)."""
        if rule in self.active:
            self.raws.append(Raw(rule, pointer, message))
