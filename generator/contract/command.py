"""`specfirst contract`: check the inputs, run Schemathesis' phases and our probes, report, pick the exit code."""

from __future__ import annotations

from dataclasses import replace

from ..contract import engine, probes, report
from ..contract.options import ContractOptions
from ..contract.results import Results
from ..contract.settings import schemathesis_config
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
    options = with_tokens(options, facts.token_header)
    check_reachable(options.base_url, options.request_timeout)
    results = Results()
    results.add_secrets(options.headers.values())
    results.add_secrets(options.readonly_headers.values())
    config = schemathesis_config(options, facts)
    accepted = engine.run_phases(config, facts, results, progress)
    if "probes" in options.phases:
        progress.stage(facts.doc.display, "probes")
        probes.run_probes(options, facts, accepted, results)
    progress.done()
    rows = report.coverage(facts, results)
    print(report.summary(facts, results, options.seed, rows))
    if options.report is not None:
        written = report.write(options.report, facts, results, rows)
        print(f"reports: {', '.join(display_path(p) for p in written)}")
    return ExitCode.FINDINGS if results.findings else ExitCode.OK


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
