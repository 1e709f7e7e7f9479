"""Benchmark: the edit loop on a large spec (cold, no-op, small edits with the cache, `check`, `check --full`).

A throw-away project holds a copy of the document; each step is one `specfirst` process run from it, measured by
wall time and by CPU time (the process and its workers: the machine may be shared, CPU time says what the work
cost). Edits are cumulative, as in a working session; ratios are to the cold run. With `--verify`, the output
after every edit is compared with a cold run of the same document (byte for byte).
`python bench/editloop.py --help` lists the options.
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
from dataclasses import dataclass
from pathlib import Path

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


def add_property(text: str, schema: str) -> str:
    """One new string property in one component schema."""
    _, props = _schema_block(text, schema)
    return (
        text[:props]
        + "        zz_bench_note:\n          description: Added by the bench.\n          type: string\n"
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("doc", nargs="?", default="stripe-spec3.yaml", help=f"a document in {CORPUS} or a path")
    parser.add_argument("--schema", default="customer", help="the component schema the edits touch (customer)")
    parser.add_argument("--quick", action="store_true", help="spotify.yaml (ArtistObject) instead: a smoke run")
    parser.add_argument("--verify", action="store_true", help="compare each edit's output with a cold run")
    parser.add_argument("--skip-full", action="store_true", help="leave out `check --full` (a second cold run)")
    args = parser.parse_args()
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

        def edit(label: str, new_text: str) -> None:
            spec.write_text(new_text, encoding="utf-8")
            steps.append(run(label, ["generate"], project))
            if args.verify:
                cold = project / "cold"
                shutil.rmtree(cold, ignore_errors=True)
                run("  (verify: cold run)", ["generate", "--no-cache", "--out", str(cold)], project)
                same = tree(cold) == tree(project / "generated")
                checks.append(f"{label}: output {'identical to' if same else 'DIFFERS from'} a cold run")

        steps.append(run("cold (no cache)", ["generate", "--no-cache", "--out", str(project / "cold-ref")], project))
        steps.append(run("cold, filling the cache", ["generate"], project))
        steps.append(run("no-op", ["generate"], project))
        text = add_property(text, schema)
        edit(f"one property added to {schema}", text)
        text = edit_operation_description(text)
        edit("description edit (an operation)", text)
        text = edit_schema_description(text, schema)
        edit(f"description edit (a property of {schema})", text)
        steps.append(run("check (current)", ["check"], project))
        spec.write_text(text + "\n", encoding="utf-8")
        steps.append(run("check (spec edited)", ["check"], project))
        spec.write_text(text, encoding="utf-8")
        if not args.skip_full:
            steps.append(run("check --full", ["check", "--full"], project))
    cold = steps[0].wall
    cold_cpu = steps[0].cpu
    print(f"\n{doc.name}, {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}\n")
    print("| step | wall time | / cold | CPU time | / cold | result |")
    print("|---|---|---|---|---|---|")
    for s in steps:
        print(
            f"| {s.name} | {s.wall:.2f} s | {s.wall / cold:.0%} | {s.cpu:.2f} s | {s.cpu / cold_cpu:.0%} | "
            f"{s.note if s.ok else 'FAILED: ' + s.note} |"
        )
    for line in checks:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
