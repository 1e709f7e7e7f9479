"""What a contract run found: distinct failures, observed statuses, case counts; secrets masked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

MASK = "[masked]"


@dataclass(frozen=True)
class Finding:
    """One distinct failure: which check, on which operation, what it said, and a curl that reproduces it."""

    check: str
    operation: str
    title: str
    message: str
    curl: str

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity for de-duplication: check + operation + message (without the offending value it quotes)."""
        return (self.check, self.operation, f"{self.title}\n{essence(self.message)}")


def essence(message: str) -> str:
    """A failure message up to the value it quotes, so one fault seen with many values counts once."""
    kept: list[str] = []
    for line in message.splitlines():
        if line.strip() in VALUE_SECTIONS:
            break
        if not line.strip().startswith("Hint:"):  # hints quote the generated values
            kept.append(line)
    return "\n".join(kept).strip()


VALUE_SECTIONS = frozenset({"Value:", "Instance:", "Response:", "Body:"})


@dataclass
class Results:
    """Everything a run collected, filled by the Schemathesis phases and by our own probes."""

    secrets: set[str] = field(default_factory=set)
    findings: dict[tuple[str, str, str], Finding] = field(default_factory=dict)
    statuses: dict[str, set[int]] = field(default_factory=dict)
    cases: int = 0
    per_phase: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    occurrences: dict[tuple[str, str, str], int] = field(default_factory=dict)

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
        """Record a failure unless an identical one is already known."""
        masked = Finding(
            check=finding.check,
            operation=finding.operation,
            title=self.mask(finding.title),
            message=self.mask(finding.message),
            curl=self.mask(finding.curl),
        )
        self.findings.setdefault(masked.key, masked)
        self.occurrences[masked.key] = self.occurrences.get(masked.key, 0) + 1

    def saw(self, operation: str, status: int, phase: str) -> None:
        """Count one request of `phase` to `operation` that got `status`."""
        self.statuses.setdefault(operation, set()).add(status)
        self.cases += 1
        self.per_phase[phase] = self.per_phase.get(phase, 0) + 1

    def sorted_findings(self) -> list[Finding]:
        """Findings in a stable order."""
        return sorted(self.findings.values(), key=lambda f: f.key)
