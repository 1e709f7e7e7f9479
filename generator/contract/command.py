"""`specfirst contract`: check the inputs, say what will change, run the units of work (Schemathesis' phases,
edge cases, probes), restore what was changed, report, pick the exit code."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

from ..contract import edges, engine, fixtures, probes, report, safety, snapshot, units
from ..contract.options import ContractOptions
from ..contract.results import Results
from ..contract.target import check_reachable, read_spec
from ..errors import ExitCode, UsageError
from ..load import display_path
from ..progress import Progress


def run(options: ContractOptions, progress: Progress | None = None) -> ExitCode:
    """One contract run; prints the summary and returns 0 (conforms) or 1 (violations)."""
    progress = progress or Progress()
    facts = read_spec(options.spec)
    if not facts.operations:
        raise UsageError(f"{facts.doc.display}: the spec has no operations to test")
    fixtures.check_names(options, facts)
    options = with_tokens(options, facts.token_header)
    for line in safety.notices(options, facts):
        print(line, flush=True)
    check_reachable(options.base_url, options.request_timeout)
    results = Results()
    results.count("outside the spec's paths")  # check_reachable's GET of the base URL
    results.add_secrets(options.headers.values())
    results.add_secrets(options.readonly_headers.values())
    mine = units.mine(options, facts)
    if not units.tested(options, facts):
        results.notes.append("--readonly: the spec has no operation that cannot change state; nothing was tested")
    snapshots = snapshot.take(options, facts, results) if mine else []
    safety.GUARD.arm(options)
    try:
        outcomes = engine.run_units(options, facts, mine, after=lambda u, o: _own_phases(options, facts, u, o))
    finally:
        safety.GUARD.disarm()
        restored = snapshot.restore(options, facts, snapshots, results)
    progress.done()
    safety.diagnose_refusals(safety.GUARD, facts)
    for outcome in outcomes:
        results.merge(outcome.results)
    results.destroyed = sorted(set(results.destroyed) | set(safety.GUARD.destroyed))
    return finish(options, facts, results, restored)


def _own_phases(options: ContractOptions, facts: Any, unit: units.Unit, outcome: engine.Outcome) -> None:
    """Edge cases and probes of the unit's operation, after its anchor found an accepted case."""
    if unit.slice != 0 or unit.operation == units.STATEFUL or safety.GUARD.stopped:
        return
    accepted = {k: v for k, v in outcome.accepted.items() if k == unit.operation}
    if "edges" in options.phases:
        edges.run_edges(options, facts, accepted, outcome.results)
    if "probes" in options.phases:
        probes.run_probes(options, facts, accepted, outcome.results, only=[unit.operation])


def finish(options: ContractOptions, facts: Any, results: Results, restored: list[str]) -> ExitCode:
    """Print the summary (and write the reports); the exit code."""
    rows = report.coverage(facts, results)
    for line in results.destroyed:
        print(line, file=sys.stderr)
    print(report.summary(facts, results, options.seed, rows, restored, options.variables, options.shard))
    if options.report is not None:
        written = report.write(options.report, facts, results, rows, options.seed, options.shard)
        print(f"reports: {', '.join(display_path(p) for p in written)}")
    return ExitCode.FINDINGS if results.groups or results.destroyed else ExitCode.OK


def with_tokens(options: ContractOptions, header: tuple[str, str] | None) -> ContractOptions:
    """Turn --token/--readonly-token into headers named by the spec's security scheme."""
    if not (options.token or options.readonly_token):
        return options
    if header is None:
        raise UsageError("specfirst contract: --token needs a spec with an apiKey-in-header or bearer security scheme")
    name, prefix = header
    headers, readonly = dict(options.headers), dict(options.readonly_headers)
    if options.token:
        headers[name] = prefix + options.token
    if options.readonly_token:
        readonly[name] = prefix + options.readonly_token
    return replace(options, headers=headers, readonly_headers=readonly)
