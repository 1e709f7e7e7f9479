"""Real-world constructs through `specfirst generate`: a package that imports and passes mypy --strict, or a refusal.

tests/specs-real-shapes/ holds documents that must generate; tests/specs-unsupported/ holds documents that must be
refused with exit 2 and the one line in their `.expected` file (the construct named, at file:line:col), writing nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_specfirst

SHAPES = ROOT / "tests" / "specs-real-shapes"
SUPPORTED = sorted(p for p in SHAPES.iterdir() if p.suffix in {".yaml", ".json"})
UNSUPPORTED = sorted((ROOT / "tests" / "specs-unsupported").glob("*.yaml"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Every supported document generated in one run; the output folder and its package names."""
    out = tmp_path_factory.mktemp("constructs") / "out"
    done = run_specfirst("generate", *(str(p.relative_to(ROOT)) for p in SUPPORTED), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    packages = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name != "docs" and not p.name.startswith("."))
    assert len(packages) == len(SUPPORTED)
    return out, packages


def test_supported_documents_import_without_warnings(generated: tuple[Path, list[str]]) -> None:
    out, packages = generated
    imports = "; ".join(f"import {p}, {p}.models, {p}.client, {p}.errors" for p in packages)
    env = {**os.environ, "PYTHONPATH": str(out)}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", imports], cwd=out, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_supported_documents_pass_mypy_strict(generated: tuple[Path, list[str]]) -> None:
    out, packages = generated
    args = [arg for p in packages for arg in ("-p", p)]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, *args],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_supported_documents_keep_their_shapes(generated: tuple[Path, list[str]]) -> None:
    """A few constructs that used to break, checked in the generated models themselves."""
    out, _ = generated
    models = {p.parent.name: p.read_text("utf-8") for p in out.glob("*/models.py")}
    assert models["no_schemas_31"] == ""  # an API without schemas
    assert "next: Main | None = None" in models["anchor_31"]  # $ref: '#main' ($anchor)
    assert "inner: Inner | None = None" in models["defs_id_31"]  # '#/$defs/Inner' inside a schema with $id
    assert "on: Any | None = None" in models["jsonschema_31"]  # YAML 1.2: `on` is a string key
    assert "field_model_dump: " in models["property_names"]  # pydantic's protected namespace
    assert 'alias="model_dump"' in models["property_names"]
    assert "fromPath: Schema | None = None" in models["refs_odd_30"]  # a $ref into paths/ is a model, not Any
    assert 'regex_engine="python-re"' in models["nullable_and_enums_30"]  # lookahead pattern


@pytest.mark.parametrize("spec", UNSUPPORTED, ids=[p.name for p in UNSUPPORTED])
def test_unsupported_document_is_refused_at_its_line(spec: Path, tmp_path: Path) -> None:
    code, line = spec.with_name(spec.name + ".expected").read_text("utf-8").rstrip("\n").split("\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("untouched", encoding="utf-8")
    done = run_specfirst("generate", str(spec.relative_to(ROOT)), "--out", str(out))
    assert (done.returncode, done.stderr) == (int(code.removeprefix("exit ")), line + "\n")
    assert line.startswith(f"{spec.relative_to(ROOT)}:")
    assert done.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert (out / "keep.txt").read_text("utf-8") == "untouched"
