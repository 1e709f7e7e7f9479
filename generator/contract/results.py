"""What a contract run found: failures grouped by root cause, statuses seen and conforming, request counts;
credentials masked. Serialisable, so the shards of one run merge into the report of an unsharded run."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MASK = "[masked]"
EXAMPLES = 3  # examples kept per group of findings
SENT = "<sent>"


@dataclass(frozen=True)
class Finding:
    """One failure: which check, on which operation, what it said, and a curl that reproduces it.

    `status` is the status the request got (None when there was no answer) and `sent` the values the request
    carried: they are normalised out of the message so that one fault seen with many values is one cause."""

    check: str
    operation: str
    title: str
    message: str
    curl: str
    status: int | None = None
    sent: tuple[str, ...] = ()
    context: str = ""  # why the request was sent (a probe, an edge case): shown, but not part of the cause
    hidden: tuple[str, ...] = ()  # sensitive values the request carried: masked in messages (not in the curl)

    @property
    def key(self) -> tuple[str, str, str]:
        """The root cause: check + operation + status + message with the sent values normalised away."""
        status = "-" if self.status is None else str(self.status)
        text = f"{self.title}\n{essence(self.message)}"
        return (self.check, self.operation, f"{status}\n{normalise(text, self.sent)}")


def essence(message: str) -> str:
    """A failure message up to the value it quotes, so one fault seen with many values counts once."""
    kept: list[str] = []
    for line in message.splitlines():
        if line.strip() in VALUE_SECTIONS:
            break
        if not line.strip().startswith("Hint:"):  # hints quote the generated values
            kept.append(line)
    return "\n".join(kept).strip()


VALUE_SECTIONS = frozenset({"Value:", "Instance:", "Response:", "Body:", "Values:"})


def normalise(text: str, sent: Iterable[str]) -> str:
    """`text` with every value the request carried replaced by a placeholder: quoted wherever it is, bare only
    when it is long enough not to be part of the message's own words."""
    for value in sorted(set(sent), key=len, reverse=True):
        forms = [repr(value), json.dumps(value, ensure_ascii=False), json.dumps(value)]
        bare = len(value) >= BARE and not value.isidentifier()  # never a word the message itself uses
        for form in [*forms, value] if bare else forms:
            text = text.replace(form, SENT)
    return text


BARE = 8


def hide(text: str, values: Iterable[str]) -> str:
    """`text` with each sensitive value masked (its length kept out too)."""
    for value in sorted({v for v in values if len(v) >= 3}, key=len, reverse=True):
        for form in (repr(value), json.dumps(value, ensure_ascii=False), json.dumps(value), value):
            text = text.replace(form, MASK)
    return text


@dataclass
class Example:
    """One occurrence of a cause, as a person reproduces it."""

    message: str
    status: int | None
    curl: str


@dataclass
class Group:
    """One root cause: its first finding, how often it was seen, and a few distinct examples."""

    check: str
    operation: str
    title: str
    status: int | None
    key: tuple[str, str, str]
    count: int = 0
    examples: list[Example] = field(default_factory=list)

    def add(self, example: Example) -> None:
        self.count += 1
        if all(e.curl != example.curl for e in self.examples):
            self.examples = sorted([*self.examples, example], key=lambda e: (e.curl, e.message))[:EXAMPLES]


@dataclass
class Results:
    """Everything a run collected, filled by the Schemathesis phases, the edge cases and our own probes."""

    secrets: set[str] = field(default_factory=set)
    groups: dict[tuple[str, str, str], Group] = field(default_factory=dict)
    seen: dict[str, dict[int, int]] = field(default_factory=dict)
    conforming: dict[str, dict[int, int]] = field(default_factory=dict)
    checks: dict[str, set[str]] = field(default_factory=dict)
    cases: int = 0
    per_phase: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    destroyed: list[str] = field(default_factory=list)

    # -- kept for the callers of the first version (mock, proxy) --
    @property
    def statuses(self) -> dict[str, set[int]]:
        """Per operation, every status seen."""
        return {label: set(counts) for label, counts in self.seen.items()}

    @property
    def findings(self) -> dict[tuple[str, str, str], Finding]:
        """One representative finding per root cause."""
        return {key: self._representative(g) for key, g in self.groups.items()}

    @property
    def occurrences(self) -> dict[tuple[str, str, str], int]:
        """How often each root cause was seen."""
        return {key: g.count for key, g in self.groups.items()}

    def mask(self, text: str) -> str:
        """`text` with every known secret value replaced."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if len(secret) >= 3:
                text = text.replace(secret, MASK)
        return text

    def add_secrets(self, values: Iterable[str]) -> None:
        """Remember values that must never be printed."""
        self.secrets.update(v for v in values if v)

    def add(self, finding: Finding) -> None:
        """Record one occurrence of a failure under its root cause."""
        title, message = finding.title, finding.message
        if title.startswith("Custom check failed") and message.strip():  # our checks: their first line says it
            title, _, message = message.strip().partition("\n")
            message = message.strip()
        masked = Finding(
            check=finding.check,
            operation=finding.operation,
            title=self.mask(hide(title, finding.hidden)),
            message=self.mask(hide(message, finding.hidden)),
            curl=self.mask(finding.curl),
            status=finding.status,
            sent=finding.sent,
        )
        message = f"({finding.context}) {masked.message}" if finding.context else masked.message
        group = self.groups.get(masked.key)
        if group is None:
            group = Group(masked.check, masked.operation, masked.title, masked.status, masked.key)
            self.groups[masked.key] = group
        group.add(Example(message, masked.status, masked.curl))

    def ran(self, operation: str, check: str) -> None:
        """Remember that `check` ran on `operation` (one JUnit test case each)."""
        self.checks.setdefault(operation, set()).add(check)

    def saw(self, operation: str, status: int, phase: str, conforming: bool = True) -> None:
        """Count one request of `phase` to `operation` that got `status` (conforming: body as documented)."""
        counts = self.seen.setdefault(operation, {})
        counts[status] = counts.get(status, 0) + 1
        if conforming:
            ok = self.conforming.setdefault(operation, {})
            ok[status] = ok.get(status, 0) + 1
        self.count(phase)

    def count(self, phase: str, requests: int = 1) -> None:
        """Count requests that are not a status of a documented operation (probes of undeclared methods, ...)."""
        self.cases += requests
        self.per_phase[phase] = self.per_phase.get(phase, 0) + requests

    def sorted_groups(self) -> list[Group]:
        """Root causes in a stable order."""
        return sorted(self.groups.values(), key=lambda g: g.key)

    def sorted_findings(self) -> list[Finding]:
        """One finding per root cause, in a stable order."""
        return [self._representative(g) for g in self.sorted_groups()]

    @staticmethod
    def _representative(g: Group) -> Finding:
        first = g.examples[0] if g.examples else Example("", g.status, "")
        return Finding(g.check, g.operation, g.title, first.message, first.curl, g.status)

    def merge(self, other: Results) -> None:
        """Add `other` (another shard, or another unit of work) into this one."""
        self.secrets |= other.secrets
        for key, g in other.groups.items():
            mine = self.groups.setdefault(key, Group(g.check, g.operation, g.title, g.status, key))
            count = mine.count + g.count
            for example in g.examples:
                mine.add(example)
            mine.count = count
        for source, target in ((other.seen, self.seen), (other.conforming, self.conforming)):
            for label, counts in source.items():
                mine_counts = target.setdefault(label, {})
                for status, n in counts.items():
                    mine_counts[status] = mine_counts.get(status, 0) + n
        for label, names in other.checks.items():
            self.checks.setdefault(label, set()).update(names)
        for phase, n in other.per_phase.items():
            self.count(phase, n)
        self.notes = sorted(set(self.notes) | set(other.notes))
        self.destroyed = sorted(set(self.destroyed) | set(other.destroyed))

    def to_json(self) -> dict[str, Any]:
        """Everything but the secrets, as JSON data (the shard file `contract-merge` reads)."""
        return {
            "groups": [
                {
                    "check": g.check,
                    "operation": g.operation,
                    "title": g.title,
                    "status": g.status,
                    "key": list(g.key),
                    "count": g.count,
                    "examples": [{"message": e.message, "status": e.status, "curl": e.curl} for e in g.examples],
                }
                for g in self.sorted_groups()
            ],
            "seen": _counts(self.seen),
            "conforming": _counts(self.conforming),
            "checks": {label: sorted(names) for label, names in sorted(self.checks.items())},
            "per_phase": dict(sorted(self.per_phase.items())),
            "notes": sorted(set(self.notes)),
            "destroyed": sorted(set(self.destroyed)),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Results:
        """The inverse of `to_json`."""
        results = cls()
        for g in data["groups"]:
            key = (g["key"][0], g["key"][1], g["key"][2])
            group = Group(g["check"], g["operation"], g["title"], g["status"], key, g["count"])
            group.examples = [Example(e["message"], e["status"], e["curl"]) for e in g["examples"]]
            results.groups[key] = group
        results.seen = {k: {int(s): n for s, n in v.items()} for k, v in data["seen"].items()}
        results.conforming = {k: {int(s): n for s, n in v.items()} for k, v in data["conforming"].items()}
        results.checks = {k: set(v) for k, v in data["checks"].items()}
        for phase, n in data["per_phase"].items():
            results.count(phase, n)
        results.notes = list(data["notes"])
        results.destroyed = list(data["destroyed"])
        return results


def _counts(table: dict[str, dict[int, int]]) -> dict[str, dict[str, int]]:
    return {label: {str(s): n for s, n in sorted(counts.items())} for label, counts in sorted(table.items())}
