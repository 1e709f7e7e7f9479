"""The docs folder, built once per session through the CLI into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_specfirst


@pytest.fixture(scope="session")
def docs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "docs"
    result = run_specfirst("docs", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(": written")
    return out
