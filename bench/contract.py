"""Benchmark `specfirst contract`: time to verdict and cases per second for 1, 2 and 4 workers against the
reference server (both seed specs, default settings), and shard balance (planned cases per shard) on a large
spec for N = 2, 4 and 8. `python bench/contract.py --help` lists the options; `--quick` uses small sizes."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from specfirst.contract.options import ContractOptions  # noqa: E402
from specfirst.contract.target import read_spec  # noqa: E402
from specfirst.contract.units import partition, plan  # noqa: E402
from tests.reference.server import (  # noqa: E402
    CORRUPT_APP_ID,
    HUAWEI_READONLY_TOKEN,
    HUAWEI_TOKEN,
    RAINBOND_TOKEN,
    running,
)

CORPUS = Path(os.environ.get("SPECFIRST_CORPUS", ROOT.parent / "shared" / "specs"))
SPECS = {
    "spec/huawei-apig.yaml": ["--token", HUAWEI_TOKEN, "--readonly-token", HUAWEI_READONLY_TOKEN,
                              "--probe", f"500:app_id={CORRUPT_APP_ID}"],
    "spec/rainbond-console.yaml": ["--token", RAINBOND_TOKEN],
}  # fmt: skip


def contract_run(spec: str, base_url: str, workers: int, max_examples: int, seed: int) -> tuple[float, int, int]:
    """One `specfirst contract` process: wall seconds, requests sent, exit code."""
    cmd = [sys.executable, "-m", "specfirst", "contract", spec, "--base-url", base_url, *SPECS[spec],
           "--seed", str(seed), "--max-examples", str(max_examples), "--workers", str(workers)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT)])}
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    found = re.search(r": (\d+) requests \(", done.stdout)
    return seconds, int(found[1]) if found else 0, done.returncode


def workers_table(workers: list[int], max_examples: int, rounds: int) -> list[str]:
    lines = [f"{'spec':<28} {'workers':>7} {'verdict s':>10} {'requests':>9} {'cases/s':>8} {'speed-up':>9}"]
    with tempfile.TemporaryDirectory() as tmp, running(Path(tmp) / "ref.sqlite3") as server:
        for spec in SPECS:
            base = 0.0
            for n in workers:
                samples = [contract_run(spec, server.base_url, n, max_examples, seed) for seed in range(1, rounds + 1)]
                seconds = statistics.median(s for s, _, _ in samples)
                requests = int(statistics.median(r for _, r, _ in samples))
                bad = [code for _, _, code in samples if code != 0]
                base = base or seconds
                flag = f"  exit {bad}" if bad else ""
                lines.append(f"{spec:<28} {n:>7} {seconds:>10.2f} {requests:>9} {requests / seconds:>8.1f} "
                             f"{base / seconds:>8.2f}x{flag}")  # fmt: skip
    return lines


def shard_table(document: Path, counts: list[int], max_examples: int) -> list[str]:
    start = time.perf_counter()
    facts = read_spec(document)
    options = ContractOptions(spec=document, base_url="http://127.0.0.1:9", max_examples=max_examples)
    units = plan(options, facts)
    total = sum(u.cost for u in units)
    lines = [f"{document.name}: {len(facts.operations)} operations, {len(units)} units, {total} planned cases "
             f"(--max-examples {max_examples}; planned in {time.perf_counter() - start:.1f}s)",
             f"{'shards':>6} {'min':>7} {'max':>7} {'mean':>8} {'max/mean':>9}"]  # fmt: skip
    for n in counts:
        loads = [sum(u.cost for u in shard) for shard in partition(units, n)]
        mean = total / n
        lines.append(f"{n:>6} {min(loads):>7} {max(loads):>7} {mean:>8.1f} {max(loads) / mean:>9.3f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: --max-examples 5, one round")
    parser.add_argument("--rounds", type=int, default=3, help="seeds per measurement; the median is shown (3)")
    parser.add_argument("--workers", default="1,2,4", help="comma list of --workers values (1,2,4)")
    parser.add_argument("--large", default=str(CORPUS / "github-api.json"), help="the spec for shard balance")
    parser.add_argument("--shards", default="2,4,8", help="comma list of shard counts (2,4,8)")
    args = parser.parse_args()
    max_examples = 5 if args.quick else 25
    rounds = 1 if args.quick else args.rounds
    print(f"specfirst contract against the reference server (median of {rounds} seed(s)), cpus={os.cpu_count()}")
    print("\n".join(workers_table([int(w) for w in args.workers.split(",")], max_examples, rounds)))
    print()
    large = Path(args.large)
    if large.exists():
        print("\n".join(shard_table(large, [int(n) for n in args.shards.split(",")], 25)))
    else:
        print(f"shard balance: {large} not found (set --large)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
