"""Benchmark of adoption costs: the invalid-default scan that `generate` now runs, the startup of the command,
and (without --quick) building the wheel and installing it without extras into a clean venv, offline.

`python bench/adopt.py --quick` takes a few seconds; the full run takes a minute or two.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = Path(os.environ.get("SPECFIRST_CORPUS", ROOT.parent / "shared" / "specs"))
QUICK_DOCS = ["petstore3.yaml", "spotify.yaml"]
FULL_DOCS = [*QUICK_DOCS, "github-api.json", "stripe-spec3.yaml"]


def _median(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scan_rows(docs: list[str], runs: int) -> list[str]:
    from specfirst import annotations
    from specfirst.load import load

    rows = []
    for name in docs:
        path = CORPUS / name
        load_s = _median(lambda p=path: load(p), 1)
        doc = load(path)
        scan_s = _median(lambda d=doc: annotations.invalid_defaults(d), runs)
        sites = sum(1 for _ in annotations._sites(doc.data))
        found = len(annotations.invalid_defaults(doc))
        ratio = scan_s / load_s if load_s else 0.0
        rows.append(f"| {name} | {sites} | {found} | {scan_s:.3f} s | {load_s:.2f} s | {ratio:.2f}x |")
    return rows


def run(*args: str, cwd: Path | None = None) -> float:
    """Wall time of a command in the clean venv's world: no PYTHONPATH (make's holds the checkout, whose
    specfirst.egg-info would make pip skip the wheel and `specfirst` import the checkout)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    start = time.perf_counter()
    subprocess.run(list(args), cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def install_rows() -> list[str]:
    from tests.install import wheelhouse
    from tests.install.conftest import build_wheel

    with tempfile.TemporaryDirectory(prefix="specfirst-bench-") as tmp:
        base = Path(tmp)
        source = base / "src"
        source.mkdir()
        for name in ("pyproject.toml", "README.md"):
            (source / name).write_bytes((ROOT / name).read_bytes())
        subprocess.run(["cp", "-r", str(ROOT / "generator"), str(source / "generator")], check=True)
        start = time.perf_counter()
        wheel = build_wheel(source, base / "dist")
        build_s = time.perf_counter() - start
        deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
        start = time.perf_counter()
        wheels = wheelhouse.build(deps, base / "wheels")
        house_s = time.perf_counter() - start
        venv = base / "venv"
        install_s = run(sys.executable, "-m", "venv", "--without-pip", str(venv))
        install_s += run(
            sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
            "--no-compile", "--no-index", "--find-links", str(base / "wheels"), str(wheel),
        )  # fmt: skip
        version_s = statistics.median(run(str(venv / "bin" / "specfirst"), "--version") for _ in range(3))
        size = sum(w.stat().st_size for w in wheels) / 2**20
        return [
            f"| wheel build (pip wheel --no-deps) | {build_s:.1f} s | {wheel.stat().st_size / 1024:.0f} KiB |",
            f"| wheelhouse from this venv | {house_s:.1f} s | {len(wheels)} wheels, {size:.0f} MiB |",
            f"| clean venv + offline install, no extras | {install_s:.1f} s | |",
            f"| `specfirst --version` there (first runs compile) | {version_s:.2f} s | |",
        ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two small documents, no wheel or venv")
    parser.add_argument("--runs", type=int, default=3, help="runs per scan measurement (median)")
    args = parser.parse_args()
    print("| document | schemas with a default | invalid | default scan | load | scan/load |")
    print("|---|---|---|---|---|---|")
    for row in scan_rows(QUICK_DOCS if args.quick else FULL_DOCS, args.runs):
        print(row)
    if not args.quick:
        print()
        print("| step | time | size |")
        print("|---|---|---|")
        for row in install_rows():
            print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
