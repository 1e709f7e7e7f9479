"""Property names Python would normalize (NFKC) keep their wire name as an alias."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from tests.conftest import run_specfirst

SPEC = """
openapi: 3.1.0
info: {title: units, version: '1'}
paths: {}
components:
  schemas:
    Reading:
      type: object
      properties:
        µ: {type: number}
        ﬁx: {type: string}
        μ: {type: string}
"""


def test_normalizing_property_names_keep_their_wire_name(tmp_path: Path) -> None:
    (tmp_path / "units_nfkc.yaml").write_text(SPEC, encoding="utf-8")
    done = run_specfirst("generate", str(tmp_path / "units_nfkc.yaml"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        models = importlib.import_module("units_nfkc.models")
    finally:
        sys.path.remove(str(tmp_path / "out"))
    reading = models.Reading.model_validate({"µ": 1.5, "ﬁx": "a", "μ": "greek"})
    assert reading.model_dump(by_alias=True) == {"µ": 1.5, "ﬁx": "a", "μ": "greek"}
