"""`specfirst contract-merge DIR...`: the shards of one run (each `--report DIR`'s <spec>.run.json) combined into
the report an unsharded run would have written: summary, JUnit, coverage and failures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..contract import report
from ..contract.results import Results
from ..contract.target import read_spec
from ..errors import ExitCode, InputError
from ..load import display_path


def _runs(directories: list[Path]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for directory in directories:
        files = sorted(directory.glob("*.run.json"))
        if not files:
            raise InputError(f"{display_path(directory)}: no <spec>.run.json here (run contract with --report)")
        for path in files:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(f"{display_path(path)}: cannot read it ({type(exc).__name__})") from None
            if not isinstance(data, dict) or data.get("format") != report.RUN_FORMAT:
                raise InputError(f"{display_path(path)}: not a specfirst contract run file")
            found.setdefault(str(data["spec"]), []).append(data)
    return found


def merge(directories: list[Path], out: Path | None) -> ExitCode:
    """Print each spec's merged summary (and write its reports into `out`); 1 when any failure was found."""
    status = ExitCode.OK
    for spec, runs in sorted(_runs(directories).items()):
        seeds = {r["seed"] for r in runs}
        if len(seeds) > 1:
            raise InputError(f"{spec}: the shards ran with different seeds ({', '.join(map(str, sorted(seeds)))})")
        results = Results()
        for run in runs:
            results.merge(Results.from_json(run))
        shards = sorted({tuple(r["shard"]) for r in runs if r.get("shard")})
        counts = {n for _, n in shards}
        if shards and (len(counts) > 1 or len(shards) != next(iter(counts))):
            got = ", ".join(f"{k}/{n}" for k, n in shards)
            results.notes.append(f"incomplete: merged shards {got}; the missing shards' cases are not in this report")
        facts = read_spec(Path(spec))
        rows = report.coverage(facts, results)
        print(report.summary(facts, results, seeds.pop(), rows))
        if out is not None:
            written = report.write(out, facts, results, rows, runs[0]["seed"], None)
            print(f"reports: {', '.join(display_path(p) for p in written)}")
        if results.groups or results.destroyed:
            status = ExitCode.FINDINGS
    return status
