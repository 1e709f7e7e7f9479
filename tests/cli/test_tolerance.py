"""Invalid `default`s (annotations) in real-world shapes: warnings in `generate`, problems under --strict and in
`validate`; structural problems stay errors. tests/specs-annotations/NAME.yaml.expected holds `validate`'s lines."""

from __future__ import annotations

import inspect
from pathlib import Path

from tests.conftest import ROOT, import_generated, run_specfirst

FOLDER = ROOT / "tests" / "specs-annotations"
JOBS = FOLDER / "jobs-api.yaml"
EXPECTED = (FOLDER / "jobs-api.yaml.expected").read_text(encoding="utf-8").splitlines()
SPEC = str(JOBS.relative_to(ROOT))


def test_generate_warns_once_per_invalid_default_leaves_it_out_and_succeeds(tmp_path: Path) -> None:
    done = run_specfirst("generate", SPEC, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"{line.split(': ', 1)[0]}: warning: {line.split(': ', 1)[1]}; left out of the generated code"
        for line in EXPECTED
    ]
    jobs, models = import_generated(tmp_path, "jobs_api", "jobs_api.models")
    fields = models.Job.model_fields
    assert fields["sort"].default is None
    assert fields["retries"].default is None
    assert fields["timeout"].default == 60  # a valid default stays
    assert fields["default"].default is False  # a property named `default` is not a default
    params = inspect.signature(jobs.Client.list_jobs).parameters
    assert params["mode"].default is None
    assert params["page_size"].default is None
    assert "ascending" not in (tmp_path / "jobs_api" / "models.py").read_text(encoding="utf-8")
    english_page = tmp_path / "docs" / "jobs_api.md"  # an English spec: its default-language page
    assert "['auto']" not in english_page.read_text(encoding="utf-8")


def test_validate_and_generate_strict_report_them_as_problems(tmp_path: Path) -> None:
    assert len(EXPECTED) == 4
    assert EXPECTED[0].endswith(": default ['auto'] is not a string (the schema allows one of 'auto', 'manual')")
    validate = run_specfirst("validate", SPEC)
    assert (validate.returncode, validate.stderr.splitlines()) == (1, EXPECTED)
    strict = run_specfirst("generate", "--strict", SPEC, "--out", str(tmp_path / "out"))
    assert (strict.returncode, strict.stderr.splitlines()) == (1, EXPECTED)
    assert not (tmp_path / "out" / "jobs_api").exists()


def test_a_structural_problem_stays_an_error_next_to_a_tolerated_default(tmp_path: Path) -> None:
    spec = str((FOLDER / "structural.yaml").relative_to(ROOT))
    done = run_specfirst("generate", spec, "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{spec}:10:44: warning: default 'ten' is not an integer; left out of the generated code",
        f'{spec}:9:11: "in" is a required property',
    ]
    assert not (tmp_path / "out" / "structural").exists()
