"""Our own probe phase: requests whose right answer is known (no or wrong credentials, read-only identity,
unknown resource, user-given triggers), checked for the expected status and against the spec."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import requests
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..contract import curl
from ..contract.checks import no_internal_leak, says_nothing
from ..contract.engine import sensitive_values, sent_values
from ..contract.options import ContractOptions, Probe
from ..contract.results import Finding, Results
from ..contract.target import MUTATING, Operation, SpecFacts

WRONG_CREDENTIAL = "specfirst-wrong-credential"
SPEC_CHECKS = (
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    no_internal_leak,
)


@dataclass(frozen=True)
class Plan:
    """One probe: its check name, why it is sent, the case, the headers, and the statuses that are right."""

    check: str
    why: str
    case: schemathesis.Case[Any]
    headers: dict[str, str]
    expected: frozenset[int]


def _documented(op: Operation) -> set[int]:
    return {int(s) for s in op.statuses if s.isdigit()}


def _expect(op: Operation, preferred: int, fallback: set[int]) -> frozenset[int]:
    """The preferred status when the spec documents it, else any of the fallbacks."""
    return frozenset({preferred} if preferred in _documented(op) else fallback)


def _with(case: schemathesis.Case[Any], values: dict[str, str]) -> schemathesis.Case[Any] | None:
    """A copy of `case` with parameters replaced by name; None when a name is not a parameter of it."""
    path, query, headers = dict(case.path_parameters or {}), dict(case.query or {}), dict(case.headers or {})
    for name, value in values.items():
        target = path if name in path else query if name in query else headers if name in headers else None
        if target is None:
            return None
        target[name] = value
    changed: schemathesis.Case[Any] = case.operation.Case(
        path_parameters=path, query=query, headers=headers, body=case.body, media_type=case.media_type
    )
    return changed


def plans(options: ContractOptions, facts: SpecFacts, accepted: dict[str, schemathesis.Case[Any]]) -> Iterator[Plan]:
    """Every probe for every operation that has a case the server accepted."""
    auth = {k: v for k, v in options.headers.items() if k.lower() in facts.auth_headers}
    others = {k: v for k, v in options.headers.items() if k.lower() not in facts.auth_headers}
    for label, op in sorted(facts.operations.items()):
        case = accepted.get(label)
        if case is None:
            continue
        if op.secured and auth:
            denied = _expect(op, 401, {401, 403})
            yield Plan("auth_probe", "request without credentials", case, others, denied)
            wrong = {**others, **{k: WRONG_CREDENTIAL for k in auth}}
            yield Plan("auth_probe", "request with wrong credentials", case, wrong, denied)
        if op.method in MUTATING and options.readonly_headers:
            readonly = {**others, **options.readonly_headers}
            yield Plan(
                "readonly_probe",
                "change requested by a read-only identity",
                case,
                readonly,
                _expect(op, 403, {401, 403, 404, 405}),
            )
        if op.path_params:
            last = op.path_params[-1]
            unknown = _with(case, {last: f"specfirstunknown{options.seed:x}"})
            if unknown is not None:
                yield Plan(
                    "unknown_resource_probe",
                    f"{last} that does not exist",
                    unknown,
                    options.headers,
                    _expect(op, 404, {404, 400}),
                )
        for probe in options.probes:
            changed = _with(case, dict(probe.values))
            if changed is not None:
                yield Plan("status_probe", f"--probe {probe}", changed, options.headers, frozenset({probe.status}))


def run_probes(
    options: ContractOptions,
    facts: SpecFacts,
    accepted: dict[str, schemathesis.Case[Any]],
    results: Results,
    only: Iterable[str] | None = None,
) -> None:
    """Send every probe once and record what it got (for the operations in `only`, default all)."""
    labels = set(facts.operations if only is None else only)
    for missing in sorted(labels - set(accepted)):
        results.notes.append(f"{missing}: no request was accepted, so the probes (401/403/404/--probe) were skipped")
    chosen = {k: v for k, v in accepted.items() if k in labels}
    with requests.Session() as session:
        for plan in plans(options, facts, chosen):
            send(session, options, facts, plan, results, "probes")


def send(
    session: requests.Session,
    options: ContractOptions,
    facts: SpecFacts,
    plan: Plan,
    results: Results,
    phase: str,
    checks: tuple[Any, ...] = SPEC_CHECKS,
) -> None:
    """Send one planned request; check its status is expected and its answer is as documented."""
    label = plan.case.operation.label
    kwargs: dict[str, Any] = plan.case.as_transport_kwargs(base_url=options.base_url)
    replaced = facts.auth_headers | {h.lower() for h in (*options.headers, *options.readonly_headers)}
    kept = {k: v for k, v in kwargs["headers"].items() if k.lower() not in replaced}
    kept.pop("X-Schemathesis-TestCaseId", None)
    kwargs["headers"] = {**kept, **plan.headers}
    sent = sent_values(plan.case)
    hidden = tuple(sensitive_values(plan.case.body, facts.sensitive))
    prepared = session.prepare_request(requests.Request(**{k: v for k, v in kwargs.items() if k in REQUEST_ARGS}))
    headers = {k: str(v) for k, v in prepared.headers.items()}
    command = curl.command(prepared.method or "", prepared.url or "", headers, _bytes(prepared.body), options.variables)
    results.ran(label, plan.check)
    try:
        response = session.send(prepared, timeout=options.request_timeout, allow_redirects=False)
    except requests.RequestException as exc:
        results.add(Finding(plan.check, label, f"No answer: {plan.why}", type(exc).__name__, command, None, sent))
        return
    failed = _spec_checks(plan, response, results, command, sent, checks, hidden)
    results.saw(label, response.status_code, phase, conforming=not (failed & CONFORMANCE))
    if response.status_code not in plan.expected and "not_a_server_error" not in failed:
        want = "2xx" if all(200 <= s < 300 for s in plan.expected) else " or ".join(map(str, sorted(plan.expected)))
        results.add(
            Finding(
                plan.check,
                label,
                f"Unexpected status: {plan.why}",
                f"Got {response.status_code}, expected {want}",
                command,
                response.status_code,
                sent,
            )
        )


REQUEST_ARGS = frozenset({"method", "url", "headers", "params", "data", "json", "files", "cookies", "auth"})
CONFORMANCE = frozenset({"content_type_conformance", "response_schema_conformance"})


def _bytes(body: Any) -> bytes | None:
    if body is None or isinstance(body, bytes):
        return body
    return str(body).encode("utf-8")


def _spec_checks(
    plan: Plan,
    response: requests.Response,
    results: Results,
    command: str,
    sent: tuple[str, ...],
    checks: Any,
    hidden: tuple[str, ...] = (),
) -> set[str]:
    failed: set[str] = set()
    label = plan.case.operation.label
    for check in checks:
        if says_nothing(check.__name__, plan.case.operation):
            continue
        results.ran(label, check.__name__)
        try:
            excluded: list[Any] = [] if check is not_a_server_error else [not_a_server_error]
            plan.case.validate_response(response, checks=[check], excluded_checks=excluded)
        except FailureGroup as group:
            for failure in group.exceptions:
                failed.add(check.__name__)
                found = Finding(
                    check.__name__, label, failure.title, failure.message, command, response.status_code, sent
                )
                results.add(replace(found, context=plan.why, hidden=hidden))
        except AssertionError as exc:
            failed.add(check.__name__)
            found = Finding(
                check.__name__, label, str(exc).splitlines()[0], str(exc), command, response.status_code, sent
            )
            results.add(replace(found, context=plan.why, hidden=hidden))
    return failed


__all__ = ["Plan", "Probe", "plans", "run_probes", "send"]
