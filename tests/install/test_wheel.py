"""The wheel, installed alone into a clean venv: one import package, the command, generation, a missing extra."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.install.conftest import CleanVenv

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "specs"


def test_the_wheel_adds_one_import_package_specfirst(clean_venv: CleanVenv) -> None:
    with zipfile.ZipFile(clean_venv.wheel) as wheel:
        names = wheel.namelist()
        top_level = next(n for n in names if n.endswith(".dist-info/top_level.txt"))
        declared = wheel.read(top_level).decode().split()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"specfirst"}
    assert declared == ["specfirst"]
    assert not [n for n in names if n.startswith(("reference/", "generator/", "specfirst/reference"))]
    assert "specfirst/templates/client.py.jinja" in names
    assert "specfirst/scaffold/templates/spec.yaml.jinja" in names


def test_the_command_and_the_module_report_the_version(clean_venv: CleanVenv, tmp_path: Path) -> None:
    script = clean_venv.run("specfirst", "--version", cwd=tmp_path)
    module = clean_venv.run(str(clean_venv.python), "-m", "specfirst", "--version", cwd=tmp_path)
    assert script.returncode == module.returncode == 0, script.stderr + module.stderr
    assert script.stdout.strip() == module.stdout.strip() == "specfirst 0.1.0"


def test_without_extras_a_corpus_document_validates_generates_checks_and_publishes_docs(
    clean_venv: CleanVenv, tmp_path: Path
) -> None:
    spec = CORPUS / "petstore3.yaml"
    assert spec.is_file(), f"the corpus is missing: {spec}"
    out = tmp_path / "out"
    for args in (("validate",), ("generate", "--out", str(out)), ("check", "--out", str(out))):
        done = clean_venv.run("specfirst", *args[:1], str(spec), *args[1:], cwd=tmp_path)
        assert done.returncode == 0, f"{args}: {done.stderr}"
    assert (out / "petstore3" / "client.py").is_file()
    docs = clean_venv.run("specfirst", "docs", str(spec), "--out", str(tmp_path / "docs"), cwd=tmp_path)
    assert docs.returncode == 0, docs.stderr
    assert (tmp_path / "docs" / "petstore3.html").is_file()
    imported = clean_venv.run(str(clean_venv.python), "-c", "import petstore3; print(petstore3.Client)", cwd=out)
    assert imported.returncode == 0, imported.stderr


def test_a_command_whose_extra_is_missing_names_the_extra_in_one_line(clean_venv: CleanVenv, tmp_path: Path) -> None:
    spec = CORPUS / "petstore3.yaml"
    done = clean_venv.run("specfirst", "contract", str(spec), "--base-url", "http://127.0.0.1:9", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "specfirst contract: needs the 'contract' extra (schemathesis is not installed): "
        "pip install 'specfirst[contract]'"
    ]
