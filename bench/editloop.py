"""Benchmark: the edit loop on a large spec (cold, no-op, small edits with the cache, `check`, `check --full`).

A throw-away project holds a copy of the document; each step is one `specfirst` process run from it, measured by
wall time and by CPU time (the process and its workers: the machine may be shared, CPU time says what the work
cost). Edits are cumulative, as in a working session. With `--verify`, the output after each kind of edit is
compared with a cold run of the same document (byte for byte).
The machine's speed drifts over minutes: the cold run is made three times (before, between and after the edits)
and each kind of edit `--rounds` times, and the ratios are of medians. `python bench/editloop.py --help` lists
the options.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SPECFIRST_CORPUS", ROOT.parent / "shared" / "specs"))


@dataclass
class Step:
    """One measured process."""

    name: str
    wall: float
    cpu: float
    ok: bool
    note: str = ""


def run(name: str, args: list[str], cwd: Path) -> Step:
    """`specfirst ARGS` in `cwd`: wall time and the CPU time of the process tree."""
    env = {k: v for k, v in os.environ.items() if k not in {"SPECFIRST_NO_CACHE", "SPECFIRST_CACHE_DIR"}}
    env["PYTHONPATH"] = str(ROOT)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "specfirst", *args]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ok = done.returncode in (0, 1) if args[0] == "check" else done.returncode == 0
    note = " ".join((done.stdout.strip().splitlines() or [""])[-1:]) if ok else done.stderr.strip()[-200:]
    step = Step(name, wall, cpu, ok, note[:90])
    print(f"  {name}: {wall:.2f} s wall, {cpu:.2f} CPU-s{'' if ok else ' FAILED ' + note}", file=sys.stderr, flush=True)
    return step


def _schema_block(text: str, schema: str) -> tuple[int, int]:
    """Where the component schema `schema` of a block-style YAML document starts, and its `properties:` line ends."""
    found = re.search(rf"^    {re.escape(schema)}:\n", text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"no component schema {schema!r} at 4 spaces in the document")
    props = text.index("\n      properties:\n", found.end() - 1) + len("\n      properties:\n")
    return found.start(), props


def add_property(text: str, schema: str, number: int = 1) -> str:
    """One new string property in one component schema (`number` names it: each round adds another)."""
    _, props = _schema_block(text, schema)
    return (
        text[:props]
        + f"        zz_bench_note{number}:\n          description: Added by the bench.\n          type: string\n"
        + text[props:]
    )


def edit_operation_description(text: str) -> str:
    """The first operation description under paths: one word more."""
    paths = text.index("\npaths:\n")
    found = re.compile(r"^      description: (?:>-|\|-?|>)?\n?( +)?(\S)", re.MULTILINE).search(text, paths)
    if found is None:
        raise SystemExit("no operation description found under paths:")
    return text[: found.start(2)] + "Edited. " + text[found.start(2) :]


def edit_schema_description(text: str, schema: str) -> str:
    """The description of a property of one component schema: one word more."""
    _, props = _schema_block(text, schema)
    found = re.compile(r"^          description: (?:>-|\|-?|>)?\n?( +)?(\S)", re.MULTILINE).search(text, props)
    if found is None:
        raise SystemExit(f"no property description in schema {schema!r}")
    return text[: found.start(2)] + "Edited. " + text[found.start(2) :]


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _median(label: str, made: list[Step]) -> Step:
    """One figure for rounds of an edit: their median wall and CPU times."""
    rounds = ", ".join(f"{s.wall:.2f}" for s in made)
    wall, cpu = median(s.wall for s in made), median(s.cpu for s in made)
    return Step(label, wall, cpu, all(s.ok for s in made), f"median of {rounds} s")


def report(name: str, steps: list[Step], colds: list[Step], rounds: int) -> None:
    """The table: each step, and its ratios to the median cold run (the machine's speed drifts)."""
    cold_wall = median(s.wall for s in colds)  # the machine's speed drifts: the ratios are to the median cold run
    cold_cpu = median(s.cpu for s in colds)
    print(f"\n{name}, {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}; each edit {rounds} times")
    print(f"cold: the median of {len(colds)} cold runs, {cold_wall:.2f} s ({cold_cpu:.2f} CPU-s)\n")
    print("| step | wall time | / cold | CPU time | / cold | result |")
    print("|---|---|---|---|---|---|")
    for s in steps:
        print(
            f"| {s.name} | {s.wall:.2f} s | {s.wall / cold_wall:.0%} | {s.cpu:.2f} s | {s.cpu / cold_cpu:.0%} | "
            f"{s.note if s.ok else 'FAILED: ' + s.note} |"
        )


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("doc", nargs="?", default="stripe-spec3.yaml", help=f"a document in {CORPUS} or a path")
    parser.add_argument("--schema", default="customer", help="the component schema the edits touch (customer)")
    parser.add_argument("--quick", action="store_true", help="spotify.yaml (ArtistObject) instead: a smoke run")
    parser.add_argument("--verify", action="store_true", help="compare each edit's output with a cold run")
    parser.add_argument("--skip-full", action="store_true", help="leave out `check --full` (another cold run)")
    parser.add_argument("--rounds", type=int, default=3, help="each kind of edit this many times, the median kept (3)")
    return parser.parse_args()


def main() -> int:
    args = _options()
    name, schema = ("spotify.yaml", "ArtistObject") if args.quick else (args.doc, args.schema)
    doc = Path(name) if Path(name).is_file() else CORPUS / name
    text = doc.read_text(encoding="utf-8")
    steps: list[Step] = []
    checks: list[str] = []
    with tempfile.TemporaryDirectory(prefix="specfirst-editloop-") as tmp:
        project = Path(tmp)
        (project / "spec").mkdir()
        spec = project / "spec" / ("api" + doc.suffix)
        spec.write_text(text, encoding="utf-8")
        (project / "pyproject.toml").write_text('[tool.specfirst]\nspec_dir = "spec"\nout_dir = "generated"\n')

        colds: list[Step] = []

        def cold(label: str) -> None:
            out = project / "cold-ref"
            shutil.rmtree(out, ignore_errors=True)
            colds.append(run(label, ["generate", "--no-cache", "--out", str(out)], project))
            steps.append(colds[-1])

        def edits(label: str, change: Callable[[str, int], str]) -> None:
            """`rounds` edits of one kind, each regenerated with the cache; their median is the figure."""
            nonlocal text
            made = []
            for number in range(1, args.rounds + 1):
                text = change(text, number)
                spec.write_text(text, encoding="utf-8")
                made.append(run(f"{label} ({number}/{args.rounds})", ["generate"], project))
            steps.append(_median(label, made))
            if args.verify:
                out = project / "cold"
                shutil.rmtree(out, ignore_errors=True)
                run("  (verify: cold run)", ["generate", "--no-cache", "--out", str(out)], project)
                same = tree(out) == tree(project / "generated")
                checks.append(f"{label}: output {'identical to' if same else 'DIFFERS from'} a cold run")

        cold("cold (no cache)")
        steps.append(run("cold, filling the cache", ["generate"], project))
        steps.append(run("no-op", ["generate"], project))
        edits(f"one property added to {schema}", lambda t, n: add_property(t, schema, n))
        cold("cold (no cache), between the edits")
        edits("description edit (an operation)", lambda t, n: edit_operation_description(t))
        edits(f"description edit (a property of {schema})", lambda t, n: edit_schema_description(t, schema))
        cold("cold (no cache), after the edits")
        steps.append(run("check (current)", ["check"], project))
        spec.write_text(text + "\n", encoding="utf-8")
        steps.append(run("check (spec edited)", ["check"], project))
        spec.write_text(text, encoding="utf-8")
        if not args.skip_full:
            steps.append(run("check --full", ["check", "--full"], project))
    report(doc.name, steps, colds, args.rounds)
    for line in checks:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
