"""Time `specfirst diff` on the real revision pairs: wall time and peak memory (the whole process tree).

    python bench/diff.py            # train-travel and Stripe (two 4 MB documents; target: < 15 s, < 1 GB)
    python bench/diff.py --quick    # train-travel only

oasdiff is a Go binary (not on npm) and is not timed here; the issue measured the installable peers crashing
or running out of memory on the Stripe pair.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REVISIONS = ROOT.parent / "shared" / "specs" / "revisions"
PAIRS = {
    "train-travel": ("train-travel-1ae5e51.yaml", "train-travel-414c323.yaml"),
    "stripe": ("stripe-d374dec3.yaml", "stripe-ef16c287.yaml"),
}
TARGETS = {"stripe": (15.0, 1024.0)}


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants (Linux /proc), in MiB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


def measure(base: Path, head: Path) -> tuple[float, float, int, float]:
    """(wall seconds, peak MiB of the process tree, number of changes, CPU seconds) of one `specfirst diff`."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'generated'}{os.pathsep}{ROOT}"}
    command = [sys.executable, "-m", "specfirst", "diff", str(base), str(head), "--format", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]

    def poll() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)  # the workers' time included
    if proc.returncode not in (0, 1):
        raise SystemExit(f"specfirst diff failed ({proc.returncode}): {err.strip()}")
    return wall, peak[0], len(json.loads(out)["changes"]), cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="train-travel only (skip the 4 MB Stripe pair)")
    parser.add_argument("--runs", type=int, default=1, help="runs per pair; the best wall time is shown")
    args = parser.parse_args()
    names = ["train-travel"] if args.quick else list(PAIRS)
    print(f"{'pair':<14} {'MB':>6} {'wall s':>8} {'CPU s':>7} {'peak MiB':>9} {'changes':>8}  target")
    for name in names:
        base, head = (REVISIONS / f for f in PAIRS[name])
        size = (base.stat().st_size + head.stat().st_size) / 2 / 1e6
        runs = [measure(base, head) for _ in range(max(1, args.runs))]
        wall = min(r[0] for r in runs)
        cpu = min(r[3] for r in runs)
        peak = max(r[1] for r in runs)
        target = ""
        if name in TARGETS:
            seconds, mib = TARGETS[name]
            verdict = "met" if wall < seconds and peak < mib else "MISSED"
            target = f"< {seconds:.0f} s, < {mib:.0f} MiB: {verdict} ({wall / seconds:.2f}x of the time budget)"
        print(f"{name:<14} {size:>6.2f} {wall:>8.2f} {cpu:>7.2f} {peak:>9.0f} {runs[0][2]:>8}  {target}")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPU(s) (wall time is only meaningful near 0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
