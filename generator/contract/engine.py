"""Run the units of work through Schemathesis' engine (on --workers threads) and collect every failure, every
observed status (and whether the body conformed), and one accepted case per operation for our own phases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder

from ..astlock import serialize_ast
from ..contract import checks as _checks  # registers our checks with Schemathesis
from ..contract import curl
from ..contract.options import ContractOptions
from ..contract.results import Finding, Results
from ..contract.safety import GUARD
from ..contract.settings import schemathesis_config
from ..contract.target import SpecFacts
from ..contract.units import STATEFUL, Unit
from ..errors import InputError
from ..regexcache import install as _reuse_regex_strategies

OUR_CHECKS = (_checks.no_internal_leak.__name__, _checks.update_applied.__name__)
CONFORMANCE = frozenset({"content_type_conformance", "response_schema_conformance"})


@dataclass
class Outcome:
    """What one unit found, and the first valid case the server accepted (the anchor's, for edges and probes)."""

    results: Results = field(default_factory=Results)
    accepted: dict[str, schemathesis.Case[Any]] = field(default_factory=dict)


def run_units(options: ContractOptions, facts: SpecFacts, units: list[Unit], after: Any = None) -> list[Outcome]:
    """Every unit, `options.workers` at a time; outcomes in unit order. `after(unit, outcome)` runs in the worker."""
    _reuse_regex_strategies()

    def one(unit: Unit) -> Outcome:
        outcome = run_unit(options, facts, unit)
        if after is not None:
            after(unit, outcome)
        return outcome

    if options.workers <= 1 or len(units) <= 1:
        return [one(u) for u in units]
    serialize_ast()
    with ThreadPoolExecutor(max_workers=options.workers, thread_name_prefix="specfirst-contract") as pool:
        return list(pool.map(one, units))


def run_unit(options: ContractOptions, facts: SpecFacts, unit: Unit) -> Outcome:
    """One engine run over one unit's operation, phases and cases."""
    config = schemathesis_config(options, facts, unit)
    schema: Any
    try:
        schema = schemathesis.openapi.from_path(facts.doc.path, config=config)
    except Exception as exc:  # Schemathesis refuses a spec our own validation let through
        raise InputError(f"{facts.doc.display}: Schemathesis cannot load it: {str(exc).splitlines()[0]}") from None
    if unit.operation != STATEFUL:
        schema = schema.include(name=unit.operation)
    elif options.readonly:
        schema = schema.include(method=["GET", "HEAD", "OPTIONS", "TRACE"])
    outcome = Outcome()
    if not GUARD.stopped:
        _execute(schema, options.variables, facts, outcome)
    return outcome


def run_phases(
    config: schemathesis.Config, facts: SpecFacts, results: Results, progress: Any = None
) -> dict[str, schemathesis.Case[Any]]:
    """The first version's entry point (kept for other callers): one engine run over the whole spec with
    `config`; fills `results` and returns, per operation, one valid case the server accepted."""
    _reuse_regex_strategies()
    try:
        schema = schemathesis.openapi.from_path(facts.doc.path, config=config)
    except Exception as exc:
        raise InputError(f"{facts.doc.display}: Schemathesis cannot load it: {str(exc).splitlines()[0]}") from None
    outcome = Outcome(results=results)
    _execute(schema, {}, facts, outcome)
    return outcome.accepted


def _execute(schema: Any, variables: dict[str, str], facts: SpecFacts, outcome: Outcome) -> None:
    stream = from_schema(schema).execute()
    with GUARD.lock:
        GUARD.streams.append(stream)
    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            _collect(event.recorder, event.phase.value, variables, facts, outcome)
        elif isinstance(event, events.NonFatalError):
            if not GUARD.stopped:
                message = _first_lines(str(event.value))
                outcome.results.add(Finding("error", event.label, "Error during the run", message, ""))
        elif isinstance(event, events.FatalError):
            raise InputError(f"{facts.doc.display}: contract run aborted: {_first_lines(str(event.exception), 1)}")
        elif isinstance(event, events.EngineFinished) and not GUARD.stopped:
            for failure in event.failures:
                outcome.results.add(Finding("run", failure.operation or "", failure.title, failure.message, ""))


def _first_lines(text: str, count: int = 3) -> str:
    return "\n".join(text.strip().splitlines()[:count])


def sent_values(case: schemathesis.Case[Any]) -> tuple[str, ...]:
    """Every value a case carried, as text (normalised out of failure messages)."""
    values = _values(case.body)
    for container in (case.path_parameters, case.query, case.headers):
        values += _values(dict(container or {}))
    return tuple(sorted(set(values)))


def _values(node: Any) -> list[str]:
    """Every leaf value (never a key: keys are field names, which messages name too), as text."""
    if isinstance(node, dict):
        return [s for v in node.values() for s in _values(v)]
    if isinstance(node, list | tuple):
        return [s for v in node for s in _values(v)]
    if isinstance(node, str):
        return [node]
    if isinstance(node, int | float) and not isinstance(node, bool):
        return [str(node)]
    return []


def _label(method: str, declared: str) -> str:
    """The label of what was sent: the operation, or `DELETE /path (undeclared)` for an undeclared method."""
    verb, _, path = declared.partition(" ")
    return declared if method.upper() == verb else f"{method.upper()} {path} (undeclared)"


def _collect(
    recorder: ScenarioRecorder, phase: str, variables: dict[str, str], facts: SpecFacts, outcome: Outcome
) -> None:
    results = outcome.results
    failed: dict[str, set[str]] = {}
    for case_id, nodes in recorder.checks.items():
        failed[case_id] = {n.name for n in nodes if n.failure_info is not None}
    for case_id, interaction in recorder.interactions.items():
        if interaction.response is None:
            continue
        node = recorder.cases.get(case_id)
        declared = node.value.operation.label if node else recorder.label
        label = _label(interaction.request.method, declared)
        status = interaction.response.status_code
        if label != declared:
            results.count(phase)  # an undeclared-method probe: counted, but not a status of this operation
            continue
        results.saw(label, status, phase, conforming=not (failed.get(case_id, set()) & CONFORMANCE))
        if node is None or label in outcome.accepted or not 200 <= status < 300:
            continue
        meta = node.value.meta
        if meta is not None and meta.generation.mode == schemathesis.GenerationMode.POSITIVE:
            outcome.accepted[label] = node.value
    for case_id, nodes in recorder.checks.items():
        sent_as = recorder.interactions.get(case_id)
        node = recorder.cases.get(case_id)
        declared = node.value.operation.label if node else recorder.label
        label = _label(sent_as.request.method, declared) if sent_as else declared
        for check in nodes:
            results.ran(label, check.name)
            info = check.failure_info
            if info is None or (node is not None and _checks.says_nothing(check.name, node.value.operation)):
                continue
            if sent_as is not None:
                request = sent_as.request
                if node is not None and facts.wire.misread(check.name, node.value, dict(request.headers), request.body):
                    continue  # the verdict rests on a value the bytes sent could not carry
                command = curl.command(request.method, request.uri, request.headers, request.body, variables)
            else:
                command = info.code_sample
            got = sent_as.response.status_code if sent_as and sent_as.response else None
            sent = sent_values(node.value) if node is not None else ()
            hidden = tuple(sensitive_values(node.value.body, facts.sensitive)) if node is not None else ()
            failure = info.failure
            found = Finding(check.name, label, failure.title, failure.message, command, got, sent, hidden=hidden)
            results.add(found)


def sensitive_values(body: Any, names: set[str]) -> list[str]:
    """Values of sensitive fields anywhere in a request body (masked in messages)."""
    found: list[str] = []
    if isinstance(body, dict):
        for key, value in body.items():
            if key in names and isinstance(value, str):
                found.append(value)
            found += sensitive_values(value, names)
    elif isinstance(body, list):
        for value in body:
            found += sensitive_values(value, names)
    return found
