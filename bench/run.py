"""Benchmark: specfirst (cold and no-op) against openapi-python-client and datamodel-codegen, same documents.

Each measurement is a fresh process; wall time by the clock, peak memory from the kernel (ru_maxrss of the
process tree). The tools alternate within every round (the order rotates), and the table shows medians.
`python bench/run.py --help` lists the options; `make bench` runs it with the defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CORPUS = Path(os.environ.get("SPECFIRST_CORPUS", ROOT.parent / "shared" / "specs"))
DEFAULT_DOCS = ["petstore3.yaml", "spotify.yaml", "github-api.json", "stripe-spec3.yaml"]


@dataclass
class Sample:
    """One measured process."""

    seconds: float
    peak_mb: float
    ok: bool
    detail: str = ""


def measure(cmd: list[str], cwd: Path) -> Sample:
    """Run `cmd` from a fresh helper process: wall time, and peak RSS of the largest process in its tree."""
    probe = (
        "import json,resource,subprocess,sys,time\n"
        "t=time.perf_counter();d=subprocess.run(sys.argv[1:],capture_output=True,text=True)\n"
        "s=time.perf_counter()-t;m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([s,m,d.returncode,(d.stderr or d.stdout)[-400:]]))\n"
    )
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # peers run ruff from PATH
    done = subprocess.run(
        [sys.executable, "-c", probe, *cmd], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    seconds, maxrss, code, tail = json.loads(done.stdout)
    return Sample(seconds, maxrss / 1024, code == 0, "" if code == 0 else " ".join(tail.split())[-200:])


def tools(doc: Path, work: Path) -> dict[str, Callable[[int], list[str]]]:
    """Tool name -> a function of the round number giving the command line."""
    noop_out = work / "noop"
    opc_config = work / "opc.yaml"  # literal enums: its Enum classes refuse Stripe's (GMT0 twice in one enum)
    opc_config.write_text("literal_enums: true\n", encoding="utf-8")
    return {
        "specfirst generate (cold)": lambda n: [
            str(BIN / "specfirst"),
            "generate",
            str(doc),
            "--out",
            str(work / f"cold{n}"),
            "--no-cache",  # cold: no model group from an earlier round or run
        ],
        "specfirst generate (no-op)": lambda n: [str(BIN / "specfirst"), "generate", str(doc), "--out", str(noop_out)],
        "openapi-python-client": lambda n: [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(doc),
            "--meta",
            "none",
            "--output-path",
            str(work / f"opc{n}"),
            "--overwrite",
            "--config",
            str(opc_config),
        ],
        "datamodel-codegen alone": lambda n: [
            str(BIN / "datamodel-codegen"),
            "--input",
            str(doc),
            "--input-file-type",
            "openapi",
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--output",
            str(work / f"dmcg{n}"),  # a folder: large documents make a package of modules
            "--formatters",
            "ruff-check",
            "ruff-format",
            "--disable-timestamp",
        ],
    }


def bench(doc: Path, runs: int, only: set[str] | None) -> dict[str, list[Sample]]:
    """Every tool `runs` times on `doc`, alternating, the order rotating each round."""
    results: dict[str, list[Sample]] = {}
    with tempfile.TemporaryDirectory(prefix="specfirst-bench-") as tmp:
        work = Path(tmp)
        commands = {k: v for k, v in tools(doc, work).items() if only is None or k in only}
        if "specfirst generate (no-op)" in commands:  # the no-op needs an up-to-date output first
            subprocess.run(commands["specfirst generate (no-op)"](0), cwd=ROOT, capture_output=True, check=True)
        names = list(commands)
        for n in range(runs):
            order = names[n % len(names) :] + names[: n % len(names)]
            for name in order:
                sample = measure(commands[name](n), ROOT)
                results.setdefault(name, []).append(sample)
                print(
                    f"  {doc.name} round {n + 1}/{runs}: {name}: {sample.seconds:.2f}s"
                    f"{'' if sample.ok else ' FAILED ' + sample.detail}",
                    file=sys.stderr,
                    flush=True,
                )
                for leftover in work.glob(f"*{n}*"):
                    shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink()
    return results


def table(all_results: dict[str, dict[str, list[Sample]]]) -> str:
    """A Markdown table: median wall time, median peak memory, and each tool's time over specfirst's."""
    lines = [
        "| document | tool | wall time (median) | peak memory (median) | time / specfirst cold | runs |",
        "|---|---|---|---|---|---|",
    ]
    for doc, results in all_results.items():
        base = results.get("specfirst generate (cold)")
        base_time = statistics.median(s.seconds for s in base) if base else None
        for name, samples in results.items():
            ok = [s for s in samples if s.ok]
            if not ok:
                lines.append(f"| {doc} | {name} | failed: {samples[0].detail[:80]} | | | {len(samples)} |")
                continue
            t = statistics.median(s.seconds for s in ok)
            mem = statistics.median(s.peak_mb for s in ok)
            ratio = f"{t / base_time:.2f}x" if base_time else "-"
            lines.append(f"| {doc} | {name} | {t:.2f} s | {mem:.0f} MB | {ratio} | {len(ok)}/{len(samples)} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*", default=DEFAULT_DOCS, help=f"documents in {CORPUS} (default: the largest)")
    parser.add_argument("--runs", type=int, default=3, help="rounds per document (default 3)")
    parser.add_argument("--tool", action="append", help="measure only this tool (repeatable)")
    args = parser.parse_args()
    results = {}
    for name in args.docs:
        doc = Path(name) if Path(name).is_file() else CORPUS / name
        results[doc.name] = bench(doc, args.runs, set(args.tool) if args.tool else None)
    print(f"\n{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}, {args.runs} run(s) per tool\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
