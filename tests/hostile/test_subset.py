"""Generating a subset of the specs never removes what belongs to the specs that were not given."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import SPEC_DIR, run_specfirst

HUAWEI = SPEC_DIR / "huawei-apig.yaml"
RAINBOND = SPEC_DIR / "rainbond-console.yaml"
RAINBOND_DOCS = ("rainbond_console.md", "rainbond_console.en.md", "rainbond_console.html")


def _generate(*args: str) -> None:
    done = run_specfirst("generate", *args)
    assert done.returncode == 0, done.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_generating_one_spec_keeps_the_other_apis_docs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _generate(str(RAINBOND), "--out", str(out))
    rainbond_docs = {name: (out / "docs" / name).read_bytes() for name in RAINBOND_DOCS}
    changed = tmp_path / "spec" / HUAWEI.name  # a changed spec, so that the docs must be written again
    changed.parent.mkdir()
    changed.write_text(HUAWEI.read_text(encoding="utf-8").replace("info:\n", "info:\n  x-changed: true\n", 1))
    _generate(str(changed), "--out", str(out))
    docs = out / "docs"
    assert {name: (docs / name).read_bytes() for name in RAINBOND_DOCS} == rainbond_docs
    assert (docs / "huawei_apig.html").is_file() and (out / "rainbond_console").is_dir()
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert 'href="huawei_apig.html"' in index and 'href="rainbond_console.html"' in index
    assert sorted(json.loads((docs / ".manifest.json").read_text())["apis"]) == ["huawei_apig", "rainbond_console"]
    # the same tree as generating both specs together, and `check` on the subset agrees
    both = tmp_path / "both"
    _generate(str(changed), str(RAINBOND), "--out", str(both))
    assert _files(both / "docs") == _files(docs)
    assert run_specfirst("check", str(changed), "--out", str(out)).returncode == 0
    # a second subset run is a no-op
    again = run_specfirst("generate", str(changed), "--out", str(out))
    assert again.returncode == 0 and "docs: up to date" in again.stdout


def test_docs_of_a_subset_keep_the_others_and_a_removed_package_leaves_the_index(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _generate(str(HUAWEI), str(RAINBOND), "--out", str(out))
    before = _files(out / "docs")
    done = run_specfirst("docs", str(HUAWEI), "--out", str(out / "docs"))
    assert done.returncode == 0, done.stderr
    assert _files(out / "docs") == before
    shutil.rmtree(out / "rainbond_console")  # the package is gone: so are its docs, at the next generation
    changed = tmp_path / HUAWEI.name
    changed.write_text(HUAWEI.read_text(encoding="utf-8").replace("info:\n", "info:\n  x-changed: true\n", 1))
    _generate(str(changed), "--out", str(out))
    assert not any((out / "docs").glob("rainbond_console*"))
    assert "rainbond_console" not in (out / "docs" / "index.html").read_text(encoding="utf-8")
