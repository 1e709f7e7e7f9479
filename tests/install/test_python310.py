"""Generated packages work on Python 3.10 and later: ruff and mypy --strict, both targeting 3.10, find nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import GENERATED, generate_into, import_generated

PACKAGES = sorted(p.name for p in GENERATED.iterdir() if (p / "__init__.py").is_file())


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=GENERATED,
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_there_are_generated_packages() -> None:
    assert PACKAGES == ["huawei_apig", "rainbond_console"]


def test_ruff_targeting_python_310_finds_nothing() -> None:
    # --isolated: the repository's own settings (py311, generated/ excluded) must not apply; ruff reports syntax
    # newer than the target version whatever the selected rules, and UP/F catch the rest
    done = _run(
        "ruff", "check", "--isolated", "--no-cache", "--target-version", "py310", "--select", "F,UP,E9", *PACKAGES
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_mypy_strict_for_python_310_finds_nothing() -> None:
    targets = [arg for name in PACKAGES for arg in ("-p", name)]
    done = _run("mypy", "--strict", "--python-version", "3.10", "--no-incremental", "--cache-dir", os.devnull, *targets)
    assert done.returncode == 0, done.stdout[-3000:]


ENUMS = """\
openapi: 3.0.3
info: {title: Enums, version: "1"}
paths:
  /runs:
    get:
      operationId: listRuns
      parameters:
        - {name: level, in: query, required: true, schema: {$ref: "#/components/schemas/Level"}}
        - {name: speed, in: query, required: true, schema: {$ref: "#/components/schemas/Speed"}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Speed"}}}
components:
  schemas:
    Level: {type: integer, enum: [1, 2, 3]}
    Speed: {type: string, enum: [fast, slow]}
"""


def test_enums_without_strenum_keep_their_wire_values(tmp_path: Path) -> None:
    """Python 3.10 has no StrEnum/IntEnum str(): the generated `str, Enum`/`int, Enum` members still print values."""
    spec = tmp_path / "enums.yaml"
    spec.write_text(ENUMS, encoding="utf-8")
    out = generate_into(spec, tmp_path / "out")
    source = (out / "enums" / "models.py").read_text(encoding="utf-8")
    assert "import StrEnum" not in source
    assert "class Speed(str, Enum):" in source
    enums, models = import_generated(out, "enums", "enums.models")
    assert (str(models.Level(2)), f"{models.Speed.FAST}", str(models.Speed("turbo"))) == ("2", "fast", "turbo")
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.query, "ascii"))
        return httpx.Response(200, json="slow")

    with enums.Client("http://enums.test", transport=httpx.MockTransport(answer)) as client:
        assert client.list_runs(level=models.Level(2), speed=models.Speed.FAST) is models.Speed.SLOW
    assert seen == ["level=2&speed=fast"]
