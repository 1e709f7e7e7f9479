"""`specfirst init` next to a user's own files: merged without clobbering, or left alone with a reason."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

from tests.conftest import SPEC_DIR, run_specfirst

PYPROJECT = """\
[project]
name = "shop"   # the user's comment stays
version = "1.0"

[tool.ruff]
line-length = 100
"""

PRECOMMIT = """\
repos:
-   repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.6.0
    hooks:
    -   id: ruff
"""


def test_init_merges_into_a_users_pyproject_makefile_and_pre_commit_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "Makefile").write_text("test:\n\tpytest\n", encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text(PRECOMMIT, encoding="utf-8")
    source = SPEC_DIR / "huawei-apig.yaml"
    done = run_specfirst("init", str(tmp_path), "--from", str(source))
    assert done.returncode == 0, done.stderr
    pyproject = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert pyproject.startswith(PYPROJECT)
    parsed = tomllib.loads(pyproject)
    assert parsed["project"] == {"name": "shop", "version": "1.0"}
    assert parsed["tool"]["ruff"] == {"line-length": 100}
    assert parsed["tool"]["specfirst"]["apis"]["huawei_apig"]["spec"] == "spec/huawei-apig.yaml"
    assert (tmp_path / "spec" / "huawei-apig.yaml").read_bytes() == source.read_bytes()
    assert (tmp_path / "Makefile").read_text(encoding="utf-8") == "test:\n\tpytest\n\ninclude specfirst.mk\n"
    precommit = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert precommit.startswith(PRECOMMIT)
    repos = yaml.safe_load(precommit)["repos"]
    assert [r["repo"] for r in repos] == ["https://github.com/astral-sh/ruff-pre-commit", "local"]
    assert repos[1]["hooks"][0]["entry"] == "specfirst check"


def test_a_makefile_that_defines_a_target_of_ours_is_left_alone_and_the_user_told(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text("check: lint\n\tpytest\n", encoding="utf-8")
    done = run_specfirst("init", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "Makefile").read_text(encoding="utf-8") == "check: lint\n\tpytest\n"
    assert (tmp_path / "specfirst.mk").is_file()
    assert "to do by hand: " in done.stdout
    assert "it defines check itself; specfirst.mk not included" in done.stdout


def test_force_overwrites_the_files_init_owns_and_only_those(tmp_path: Path) -> None:
    assert run_specfirst("init", str(tmp_path)).returncode == 0
    (tmp_path / "specfirst.mk").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.specfirst]\nspec_dir = "api"\n', encoding="utf-8")
    kept = run_specfirst("init", str(tmp_path))
    assert (tmp_path / "specfirst.mk").read_text(encoding="utf-8") == "# mine\n"
    assert "specfirst.mk: exists, skipped (--force overwrites it)" in kept.stdout
    forced = run_specfirst("init", str(tmp_path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "specfirst.mk: overwritten" in forced.stdout
    assert "generate:" in (tmp_path / "specfirst.mk").read_text(encoding="utf-8")
    assert (tmp_path / "pyproject.toml").read_text(encoding="utf-8") == '[tool.specfirst]\nspec_dir = "api"\n'


def test_a_spec_that_cannot_be_read_stops_init_with_one_line(tmp_path: Path) -> None:
    done = run_specfirst("init", str(tmp_path / "p"), "--from", str(tmp_path / "missing.yaml"))
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "p").exists()


SHOP = """\
openapi: 3.0.3
info: {title: Shop, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'schemas/item.yaml#/Item'}
"""


def test_init_from_a_split_spec_copies_the_files_its_refs_pull_in(tmp_path: Path) -> None:
    source = tmp_path / "theirs" / "shop.yaml"
    item = source.parent / "schemas" / "item.yaml"
    item.parent.mkdir(parents=True)
    source.write_text(SHOP, encoding="utf-8")
    item.write_text("Item:\n  type: object\n  properties:\n    sku: {type: string}\n", encoding="utf-8")
    project = tmp_path / "project"
    done = run_specfirst("init", str(project), "--from", str(source))
    assert done.returncode == 0, done.stderr
    copy = project / "spec" / "schemas" / "item.yaml"
    assert copy.read_bytes() == item.read_bytes()
    assert f"{copy}: written" in done.stdout
    generated = run_specfirst("generate", cwd=project)  # the copy stands on its own
    assert generated.returncode == 0, generated.stderr
    assert "sku: str | None" in (project / "generated" / "shop" / "models.py").read_text(encoding="utf-8")
