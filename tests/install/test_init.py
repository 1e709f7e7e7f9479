"""`specfirst init` in an empty folder, then `make generate` and `make check` there, with the wheel installed."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

from tests.install.conftest import CleanVenv


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_then_make_generate_and_make_check(clean_venv: CleanVenv, tmp_path: Path) -> None:
    project = tmp_path / "shop"
    done = clean_venv.run("specfirst", "init", str(project), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(snapshot(project)) == [
        ".github/workflows/specfirst.yml",
        ".pre-commit-config.yaml",
        "Makefile",
        "pyproject.toml",
        "spec/shop.yaml",
        "specfirst.mk",
    ]
    settings = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["specfirst"]
    assert settings["apis"]["shop"] == {
        "spec": "spec/shop.yaml",
        "package": "shop",
        "outputs": ["models", "clients", "docs"],
    }
    workflow = yaml.safe_load((project / ".github/workflows/specfirst.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert {"specfirst check", "specfirst lint"} <= set(runs)
    assert any(r.startswith("specfirst diff --base-ref") for r in runs)
    assert any(r.startswith("make contract") for r in runs)
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert [h["id"] for h in hooks] == ["specfirst-check"]

    generate = clean_venv.run("make", "generate", cwd=project)
    assert generate.returncode == 0, generate.stdout + generate.stderr
    assert (project / "generated" / "shop" / "client.py").is_file()
    assert (project / "generated" / "docs" / "shop.html").is_file()
    check = clean_venv.run("make", "check", cwd=project)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "generated is up to date" in check.stdout
    # a change to the spec makes `make check` fail until `make generate` runs again
    spec = project / "spec" / "shop.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("List items", "List the items"), encoding="utf-8")
    assert clean_venv.run("make", "check", cwd=project).returncode != 0

    before = snapshot(project)
    again = clean_venv.run("specfirst", "init", str(project), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert snapshot(project) == before
    assert "spec/shop.yaml: exists, skipped (--force overwrites it)" in again.stdout
    assert "pyproject.toml: left alone: already has [tool.specfirst]" in again.stdout
