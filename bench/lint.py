"""Time `specfirst lint` against Redocly CLI and Spectral on the same documents, in the same run.

    python bench/lint.py                 # petstore3, github, stripe; 3 runs each; peers when Node is there
    python bench/lint.py --quick         # petstore3 only, one run
    python bench/lint.py DOC... --runs N --no-node

Redocly (`redocly lint`, its recommended ruleset) and Spectral (`spectral lint` with a ruleset that extends
`spectral:oas`) are installed with npm into test-artifacts/bench-node/ on first use. Each tool runs as a
fresh process, alternating, so all see the same machine load; the table shows the median wall time, the CPU
time (user + system) of that run, peak memory, the number of findings (specfirst), and each peer's wall time
as a ratio to specfirst's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SPECFIRST_CORPUS", ROOT.parent / "shared" / "specs"))
DOCS = ["petstore3.yaml", "github-api.json", "stripe-spec3.yaml"]
NODE_DIR = ROOT / "test-artifacts" / "bench-node"
PEERS = ["@redocly/cli", "@stoplight/spectral-cli"]
TIMEOUT = 600


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int
    stdout: bytes


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    """One run of `command`: wall time, CPU time and peak RSS of that child alone (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env={**os.environ, **(env or {})}
    )
    watchdog = threading.Timer(TIMEOUT, proc.kill)
    watchdog.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    watchdog.cancel()
    proc.stdout.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode < 0:
        return Run(float("inf"), float("inf"), 0, -1, b"")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, out)


def node_tools(install: bool) -> dict[str, list[str]]:
    """The peer commands (installing them with npm when asked and missing); empty without Node."""
    bin_dir = NODE_DIR / "node_modules" / ".bin"
    if install and not all((bin_dir / b).exists() for b in ("redocly", "spectral")) and shutil.which("npm"):
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        if not (NODE_DIR / "package.json").exists():
            (NODE_DIR / "package.json").write_text('{"name": "specfirst-bench-node", "private": true}\n')
        print(f"installing {' and '.join(PEERS)} into {NODE_DIR.relative_to(ROOT)} ...", file=sys.stderr)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *PEERS],
            cwd=NODE_DIR,
            check=False,
            timeout=1800,
        )
    ruleset = NODE_DIR / ".spectral.yaml"
    tools: dict[str, list[str]] = {}
    if (bin_dir / "redocly").exists():
        tools["redocly"] = [str(bin_dir / "redocly"), "lint", "--format=json"]
    if (bin_dir / "spectral").exists():
        ruleset.write_text('extends: ["spectral:oas"]\n')
        tools["spectral"] = [str(bin_dir / "spectral"), "lint", "--ruleset", str(ruleset), "--format", "json"]
    return tools


def _version(command: list[str]) -> str:
    done = subprocess.run([command[0], "--version"], capture_output=True, text=True, check=False, timeout=120)
    return (done.stdout.strip().splitlines() or ["?"])[-1]


def _findings(out: bytes) -> str:
    try:
        return str(len(json.loads(out)["findings"]))
    except (ValueError, KeyError, TypeError):
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("docs", nargs="*", help=f"documents (default: {', '.join(DOCS)} from {CORPUS})")
    parser.add_argument("--runs", type=int, help="runs per tool and document (default 3, --quick 1)")
    parser.add_argument("--quick", action="store_true", help="petstore3 only, one run")
    parser.add_argument("--no-node", action="store_true", help="do not time (or install) Redocly and Spectral")
    args = parser.parse_args()
    docs = [Path(d) for d in args.docs] or [CORPUS / d for d in (DOCS[:1] if args.quick else DOCS)]
    runs = args.runs or (1 if args.quick else 3)
    peers = {} if args.no_node else node_tools(install=True)
    env = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true", "NO_UPDATE_NOTIFIER": "1"}
    specfirst = [sys.executable, "-m", "specfirst", "lint", "--format", "json"]

    print(f"specfirst lint vs {', '.join(f'{n} {_version(c)}' for n, c in peers.items()) or 'no peers (no Node)'}")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, {runs} run(s) each, medians\n")
    header = "| document | specfirst lint | " + " | ".join(peers) + " |"
    print(header)
    print("|" + "---|" * (2 + len(peers)))
    for doc in docs:
        times: dict[str, list[Run]] = {"specfirst": [], **{n: [] for n in peers}}
        for _ in range(runs):
            times["specfirst"].append(measure([*specfirst, str(doc)]))
            for name, command in peers.items():
                times[name].append(measure([*command, str(doc)], env))
        cells = []
        base = statistics.median(r.wall for r in times["specfirst"])
        for name, results in times.items():
            middle = sorted(results, key=lambda r: r.wall)[len(results) // 2]
            cell = f"{middle.wall:.2f} s (CPU {middle.cpu:.2f} s), {middle.peak_mb:.0f} MB"
            if name == "specfirst":
                cell += f", {_findings(middle.stdout)} findings"
            else:
                cell += f" ({middle.wall / base:.2f}x)" if middle.code >= 0 else " (timed out)"
            cells.append(cell)
        size = doc.stat().st_size / 1024
        shown = f"{doc.name} ({size / 1024:.1f} MB)" if size > 1024 else f"{doc.name} ({size:.0f} KB)"
        print(f"| {shown} | " + " | ".join(cells) + " |", flush=True)
    print("\nratio: the peer's wall time over specfirst's (above 1: specfirst is faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
