"""A generation that fails or is killed mid-way leaves the previous output as it was (per package, old or new)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import GENERATED, ROOT, run_specfirst

PACKAGES = ("huawei_apig", "rainbond_console", "docs")  # the docs folder is old or new with the packages
KILLS = 6


def snapshot(root: Path) -> dict[str, dict[str, bytes]]:
    """Each package's (and the docs folder's) files by relative path; staging leftovers and caches ignored."""
    out: dict[str, dict[str, bytes]] = {}
    for package in PACKAGES:
        folder = root / package
        out[package] = {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts
        }
    return out


def changed_specs(tmp: Path) -> list[Path]:
    """Copies of the real specs with a changed description, so that every package must be rewritten."""
    folder = tmp / "spec"
    folder.mkdir()
    specs = []
    for spec in sorted((ROOT / "spec").glob("*.yaml")):
        text = spec.read_text(encoding="utf-8")
        target = folder / spec.name
        target.write_text(text.replace("info:\n", "info:\n  x-changed: true\n", 1), encoding="utf-8")
        specs.append(target)
    return specs


def start(specs: list[Path], out: Path) -> subprocess.Popen[bytes]:
    scratch = out.parent / "tmp"  # a killed run's worker scratch folders land here, not in the machine's /tmp
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": f"{GENERATED}{os.pathsep}{ROOT}", "TMPDIR": str(scratch)}
    return subprocess.Popen(
        [sys.executable, "-m", "specfirst", "generate", *map(str, specs), "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_generation_leaves_the_tree_old_or_new(tmp_path: Path) -> None:
    specs = changed_specs(tmp_path)
    fresh = tmp_path / "fresh"
    assert run_specfirst("generate", *map(str, specs), "--out", str(fresh)).returncode == 0
    new = snapshot(fresh)
    out = tmp_path / "generated"
    for package in PACKAGES:
        shutil.copytree(GENERATED / package, out / package)
    old = snapshot(out)
    assert all(old[p] != new[p] for p in PACKAGES)
    rng = random.Random(20261124)
    staged_seen = 0
    for _ in range(KILLS):
        for package in PACKAGES:  # back to the old tree for every round
            shutil.rmtree(out / package)
            shutil.copytree(GENERATED / package, out / package)
        proc = start(specs, out)
        deadline = time.monotonic() + 120
        while proc.poll() is None and not any(tmp_path.glob(".specfirst-tmp-*")) and time.monotonic() < deadline:
            time.sleep(0.005)
        if any(tmp_path.glob(".specfirst-tmp-*")):
            staged_seen += 1
        time.sleep(rng.uniform(0, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = snapshot(out)
        assert after in (old, new), "the tree is a mix of old and new after SIGKILL"  # all packages together
    assert staged_seen >= KILLS // 2
    # the next run cleans leftovers and finishes the job; check ignores nothing but caches
    done = run_specfirst("generate", *map(str, specs), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert not any(out.glob(".specfirst-tmp-*"))
    assert not any(tmp_path.glob(".specfirst-tmp-*"))
    assert snapshot(out) == new
    assert run_specfirst("check", *map(str, specs), "--out", str(out)).returncode == 0


def test_failed_generation_leaves_the_tree_byte_identical(tmp_path: Path) -> None:
    specs = changed_specs(tmp_path)
    broken = specs[-1]
    broken.write_text(broken.read_text(encoding="utf-8") + "\n  broken: [\n", encoding="utf-8")
    out = tmp_path / "generated"
    for package in PACKAGES:
        shutil.copytree(GENERATED / package, out / package)
    before = snapshot(out)
    done = run_specfirst("generate", *map(str, specs), "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.startswith(f"{broken}:")
    assert snapshot(out) == before
    assert not any(out.glob(".specfirst-tmp-*"))
