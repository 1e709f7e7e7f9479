"""generated/ is the golden record: current, reproducible byte for byte, and checked for staleness."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import GENERATED, ROOT, run_specfirst

PACKAGES = ["huawei_apig", "rainbond_console"]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_committed_generated_tree_is_current() -> None:
    done = run_specfirst("check", "--full")  # regenerates and compares the bytes, docs included
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout


def test_regenerating_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__"))
    before = _snapshot(out)
    done = run_specfirst("generate", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert _snapshot(out) == before
    for package in PACKAGES:
        assert f"{package}: up to date" in done.stdout


def test_fresh_generation_is_byte_identical_to_the_committed_tree(tmp_path: Path) -> None:
    out = tmp_path / "fresh"
    done = run_specfirst("generate", "--out", str(out))
    assert done.returncode == 0, done.stderr
    for package in PACKAGES:
        assert _snapshot(out / package) == _snapshot(GENERATED / package), package
        assert f"{package}: written" in done.stdout


def test_check_fails_on_a_hand_edit_and_names_the_file(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__"))
    client = out / "huawei_apig" / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    (out / "rainbond_console" / "errors.py").unlink()
    done = run_specfirst("check", "--out", str(out))
    assert done.returncode == 1
    assert "huawei_apig/client.py: changed" in done.stdout
    assert "rainbond_console/errors.py: missing" in done.stdout
    # and generate repairs it, even though the spec did not change
    assert run_specfirst("generate", "--out", str(out)).returncode == 0
    assert run_specfirst("check", "--out", str(out)).returncode == 0


def test_check_fails_when_the_spec_changes(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "spec", project / "spec")
    shutil.copytree(GENERATED, project / "generated", ignore=shutil.ignore_patterns("__pycache__", "docs"))
    (project / "pyproject.toml").write_text('[tool.specfirst]\nspec_dir = "spec"\nout_dir = "generated"\n')
    spec = project / "spec" / "huawei-apig.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("修改APP", "修改APP（新）", 1), encoding="utf-8")
    done = run_specfirst("check", "--full", "spec/huawei-apig.yaml", cwd=project)
    assert done.returncode == 1
    assert "generated/huawei_apig/client.py: changed" in done.stdout


def test_generated_code_passes_mypy_strict() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *PACKAGES],
        cwd=GENERATED,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout
