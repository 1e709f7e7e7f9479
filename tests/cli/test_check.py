"""`specfirst check` compares the manifests with the specs and the files (fast); `--full` regenerates and compares."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import GENERATED, ROOT, run_specfirst


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this project's specs and generated/ tree, current."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "spec", root / "spec")
    shutil.copytree(GENERATED, root / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "pyproject.toml").write_text('[tool.specfirst]\nspec_dir = "spec"\nout_dir = "generated"\n')
    return root


def _check(project: Path, *args: str) -> tuple[int, list[str]]:
    done = run_specfirst("check", *args, cwd=project)
    assert done.stderr == ""
    return done.returncode, done.stdout.splitlines()


def test_a_current_tree_passes_both_ways(project: Path) -> None:
    assert _check(project) == (0, ["generated is up to date"])
    assert _check(project, "--full") == (0, ["generated is up to date"])


def test_a_spec_edited_without_regenerating_names_the_stale_folders(project: Path) -> None:
    spec = project / "spec" / "huawei-apig.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("修改APP", "修改APP（新）", 1), encoding="utf-8")
    code, lines = _check(project)
    assert code == 1
    stale = "stale: spec/huawei-apig.yaml changed since it was generated"
    assert lines[:-1] == [f"generated/huawei_apig: {stale}", f"generated/docs: {stale}"]
    assert lines[-1].startswith("2 difference(s)")
    code, lines = _check(project, "--full")  # the full check names the files the edit changes
    assert code == 1
    assert "generated/huawei_apig/client.py: changed" in lines
    assert "generated/rainbond_console/client.py: changed" not in lines


def test_a_hand_edited_generated_file_is_named(project: Path) -> None:
    client = project / "generated" / "huawei_apig" / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    html = project / "generated" / "docs" / "rainbond_console.html"
    html.write_bytes(html.read_bytes().replace(b"<", b" <", 1))
    code, lines = _check(project)
    assert code == 1
    assert lines[:-1] == ["generated/huawei_apig/client.py: changed", "generated/docs/rainbond_console.html: changed"]


def test_a_deleted_file_and_an_extra_file_are_named(project: Path) -> None:
    (project / "generated" / "rainbond_console" / "errors.py").unlink()
    (project / "generated" / "huawei_apig" / "notes.py").write_text("x = 1\n", encoding="utf-8")
    (project / "generated" / "docs" / "index.html").unlink()
    code, lines = _check(project)
    assert code == 1
    assert lines[:-1] == [
        "generated/huawei_apig/notes.py: extra",
        "generated/rainbond_console/errors.py: missing",
        "generated/docs/index.html: missing",
    ]
    assert run_specfirst("generate", cwd=project).returncode == 0  # generate repairs it
    assert _check(project) == (0, ["generated is up to date"])


def test_a_missing_or_broken_manifest_is_stale(project: Path) -> None:
    (project / "generated" / "huawei_apig" / ".manifest.json").unlink()
    (project / "generated" / "docs" / ".manifest.json").write_text("{", encoding="utf-8")
    shutil.rmtree(project / "generated" / "rainbond_console")
    code, lines = _check(project)
    assert code == 1
    assert lines[:-1] == [
        "generated/huawei_apig/.manifest.json: missing",
        "generated/rainbond_console: missing",
        "generated/docs/.manifest.json: unreadable",
    ]


def test_full_regenerates_where_the_manifest_cannot_tell(project: Path) -> None:
    # a hand edit whose manifest was edited to match: only regenerating finds it
    folder = project / "generated" / "huawei_apig"
    client = folder / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    manifest = json.loads((folder / ".manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["client.py"] = hashlib.sha256(client.read_bytes()).hexdigest()
    (folder / ".manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _check(project)[0] == 0
    code, lines = _check(project, "--full")
    assert code == 1
    assert lines[:-1] == ["generated/huawei_apig/.manifest.json: changed", "generated/huawei_apig/client.py: changed"]


API = """openapi: 3.0.3
info: {title: Split, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'schemas/pet.yaml#/Pet'}
"""
PET = """Pet:
  type: object
  properties:
    name: {type: string, description: The pet's name.}
"""


def test_an_edit_to_a_refd_file_makes_the_output_stale(tmp_path: Path) -> None:
    root = tmp_path / "split"
    (root / "spec" / "schemas").mkdir(parents=True)
    (root / "spec" / "api.yaml").write_text(API, encoding="utf-8")
    pet = root / "spec" / "schemas" / "pet.yaml"
    pet.write_text(PET, encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.specfirst]\nspec_dir = "spec"\nout_dir = "generated"\n')
    assert run_specfirst("generate", cwd=root).returncode == 0
    assert _check(root) == (0, ["generated is up to date"])
    pet.write_text(PET.replace("    name:", "    age: {type: integer}\n    name:"), encoding="utf-8")
    code, lines = _check(root)
    assert code == 1
    stale = "stale: spec/schemas/pet.yaml ($ref'd by spec/api.yaml) changed since it was generated"
    assert lines[:-1] == [f"generated/api: {stale}", f"generated/docs: {stale}"]
    done = run_specfirst("generate", cwd=root)
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["generated/api: written", "generated/docs: written"]
    assert "age: int | None" in (root / "generated" / "api" / "models.py").read_text(encoding="utf-8")
    assert _check(root) == (0, ["generated is up to date"])
    assert run_specfirst("generate", cwd=root).stdout.splitlines() == [
        "generated/api: up to date",
        "generated/docs: up to date",
    ]
    pet.unlink()  # a $ref'd file removed: stale too, and generate says which $ref cannot load
    code, lines = _check(root)
    assert code == 1
    assert lines[0] == f"generated/api: {stale}"
    done = run_specfirst("generate", cwd=root)
    assert done.returncode == 2
    assert "schemas/pet.yaml" in done.stderr
