"""Run Schemathesis' phases through its engine and collect every failure and every observed status."""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder

from ..contract import checks as _checks  # registers our checks with Schemathesis
from ..contract.results import Finding, Results
from ..contract.target import SpecFacts
from ..errors import InputError
from ..progress import Progress

OUR_CHECKS = (_checks.no_internal_leak.__name__, _checks.update_applied.__name__)


def run_phases(
    config: schemathesis.Config, facts: SpecFacts, results: Results, progress: Progress
) -> dict[str, schemathesis.Case[Any]]:
    """Run the configured phases; return, per operation, one valid case the server accepted (for our probes)."""
    try:
        schema = schemathesis.openapi.from_path(facts.doc.path, config=config)
    except Exception as exc:  # Schemathesis refuses a spec our own validation let through
        raise InputError(f"{facts.doc.display}: Schemathesis cannot load it: {str(exc).splitlines()[0]}") from None
    accepted: dict[str, schemathesis.Case[Any]] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.PhaseStarted):
            progress.stage(facts.doc.display, f"{event.phase.name.value} phase ({results.cases} requests so far)")
        elif isinstance(event, events.ScenarioFinished):
            _collect(event.recorder, event.phase.value, facts, results, accepted)
        elif isinstance(event, events.NonFatalError):
            results.add(Finding("error", event.label, "Error during the run", _first_lines(str(event.value)), ""))
        elif isinstance(event, events.FatalError):
            raise InputError(f"{facts.doc.display}: contract run aborted: {_first_lines(str(event.exception), 1)}")
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                results.add(Finding("run", failure.operation or "", failure.title, failure.message, ""))
    return accepted


def _first_lines(text: str, count: int = 3) -> str:
    return "\n".join(text.strip().splitlines()[:count])


def _collect(
    recorder: ScenarioRecorder, phase: str, facts: SpecFacts, results: Results, accepted: dict[str, Any]
) -> None:
    for case_id, interaction in recorder.interactions.items():
        if interaction.response is None:
            continue
        node = recorder.cases.get(case_id)
        label = node.value.operation.label if node else recorder.label
        status = interaction.response.status_code
        if interaction.request.method.upper() != label.split(" ", 1)[0]:
            results.cases += 1  # an undeclared-method probe: counted, but not a status of this operation
            results.per_phase[phase] = results.per_phase.get(phase, 0) + 1
            continue
        results.saw(label, status, phase)
        if node is None or label in accepted or not 200 <= status < 300:
            continue
        meta = node.value.meta
        if meta is not None and meta.generation.mode == schemathesis.GenerationMode.POSITIVE:
            accepted[label] = node.value
    for case_id, nodes in recorder.checks.items():
        for check in nodes:
            info = check.failure_info
            if info is None:
                continue
            node = recorder.cases.get(case_id)
            if node is not None:
                results.add_secrets(_sensitive_values(node.value.body, facts.sensitive))
            curl = info.steps[-1].curl if info.steps else info.code_sample
            failure = info.failure
            results.add(Finding(check.name, failure.operation or recorder.label, failure.title, failure.message, curl))


def _sensitive_values(body: Any, names: set[str]) -> list[str]:
    """Values of sensitive fields anywhere in a request body, so a curl never shows them."""
    found: list[str] = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key in names and isinstance(value, str):
                found.append(value)
            found += _sensitive_values(value, names)
    elif isinstance(body, list):
        for value in body:
            found += _sensitive_values(value, names)
    return found
