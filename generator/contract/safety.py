"""Data safety on a real server: what will change, a guard on every request Schemathesis sends (read-only,
a destroyed resource stops the run, a run refused with 401/403 stops early), and counts for the diagnostic."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import schemathesis

from ..contract.fixtures import given_names, path_values
from ..contract.options import ContractOptions
from ..contract.target import MUTATING, SpecFacts
from ..errors import UsageError

REFUSED = frozenset({401, 403})
EARLY_REFUSALS = 30  # this many requests, every one refused: stop, the run is misconfigured
NEARLY_EVERY = 0.9


class Stopped(Exception):
    """Raised before a request the guard will not let out (read-only run, or the run was stopped)."""


@dataclass
class Guard:
    """Shared by every thread of one run; inactive (a no-op) outside `specfirst contract`."""

    active: bool = False
    readonly: bool = False
    stop_on_destroy: bool = True
    stopped: str = ""
    destroyed: list[str] = field(default_factory=list)
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    streams: list[Any] = field(default_factory=list)

    def arm(self, options: ContractOptions) -> None:
        """Start guarding the requests of one run."""
        with self.lock:
            self.active, self.readonly, self.stopped = True, options.readonly, ""
            self.destroyed, self.sent, self.statuses, self.streams = [], 0, {}, []

    def disarm(self) -> None:
        with self.lock:
            self.active = False

    def stop(self, reason: str) -> None:
        """Let no further request out, and end every running engine."""
        with self.lock:
            self.stopped = self.stopped or reason
            streams = list(self.streams)
        for stream in streams:
            stream.stop()

    def before(self, case: schemathesis.Case[Any]) -> None:
        if not self.active:
            return
        if self.stopped:
            raise Stopped(f"not sent: the run stopped ({self.stopped})")
        if self.readonly and case.method.upper() in MUTATING:
            raise Stopped(f"not sent: {case.method.upper()} in a --readonly run")

    def after(self, case: schemathesis.Case[Any], status: int) -> None:
        if not self.active:
            return
        method, declared = case.method.upper(), case.operation.method.upper()
        with self.lock:
            self.sent += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            refused_all = self.sent >= EARLY_REFUSALS and sum(self.statuses.get(s, 0) for s in REFUSED) == self.sent
        if method == "DELETE" and method != declared and 200 <= status < 300:
            line = (
                f"DATA DESTROYED: the undeclared DELETE {case.formatted_path} was answered {status}: "
                "the resource is probably gone; no further request was sent"
            )
            with self.lock:
                self.destroyed.append(line)
            if self.stop_on_destroy:
                self.stop("an undeclared DELETE was answered 2xx")
        elif refused_all:
            self.stop("every request was refused")


GUARD = Guard()


@schemathesis.hook
def before_call(context: Any, case: schemathesis.Case[Any], kwargs: dict[str, Any]) -> None:
    """Schemathesis calls this before every request it sends."""
    GUARD.before(case)


@schemathesis.hook
def after_call(context: Any, case: schemathesis.Case[Any], response: Any) -> None:
    """Schemathesis calls this after every answer it gets."""
    GUARD.after(case, int(response.status_code))


def diagnose_refusals(guard: Guard, facts: SpecFacts) -> None:
    """UsageError (exit 2) with one clear line when nearly every request was refused with 401 or 403."""
    refused = {s: guard.statuses.get(s, 0) for s in REFUSED}
    status, count = max(refused.items(), key=lambda item: (item[1], -item[0]))
    if guard.sent == 0 or sum(refused.values()) < NEARLY_EVERY * guard.sent:
        return
    if any(200 <= s < 300 for s in guard.statuses):
        return
    if facts.token_header is not None:
        name, prefix = facts.token_header
        where = f"in header {name}" + (f" as '{prefix}<token>'" if prefix else "")
        hint = f"check --token (the spec's scheme sends it {where})"
    else:
        hint = "check the credentials given with --header (the spec declares no security scheme in a header)"
    every = "every request was" if count == guard.sent else f"{count} of {guard.sent} requests were"
    raise UsageError(f"{every} refused with {status}: {hint}")


def notices(options: ContractOptions, facts: SpecFacts) -> list[str]:
    """One line per operation that will change data on the target (or is skipped by --readonly)."""
    lines: list[str] = []
    for label, op in sorted(facts.operations.items()):
        if op.method not in MUTATING:
            continue
        if options.readonly:
            lines.append(f"data safety: {label} skipped (--readonly)")
            continue
        values = path_values(options, op)
        given = given_names(options, op)
        target = ", ".join(f"{k}={v}" + ("" if k in given else " (spec example)") for k, v in values.items())
        lines.append(f"data safety: {label} will change data on the target" + (f" ({target})" if target else ""))
    if options.allow_unsafe_probes and not options.readonly:
        lines.append("data safety: --allow-unsafe-probes: undeclared DELETE/POST/PATCH/PUT will be sent")
    return lines
