"""`generate --distribution`: a corpus client becomes a project of its own; its wheel installs and calls an API."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from tests.install.conftest import CleanVenv, build_wheel
from tests.install.test_wheel import CORPUS

CALL = """\
import httpx
import petstore3
from petstore3 import models

def answer(request: httpx.Request) -> httpx.Response:
    assert request.url.path == "/api/v3/pet/findByStatus", request.url
    assert request.url.params["status"] == "sold", request.url
    return httpx.Response(200, json=[{"id": 7, "name": "Rex", "photoUrls": [], "status": "sold"}])

with petstore3.Client("https://petstore.example.test/api/v3", transport=httpx.MockTransport(answer)) as client:
    (pet,) = client.find_pets_by_status(status=models.FindPetsByStatusStatus.SOLD)
print(type(pet).__name__, pet.id, pet.name, str(pet.status), petstore3.__file__)
"""


def test_a_generated_corpus_client_builds_installs_and_calls_over_a_mock_transport(
    clean_venv: CleanVenv, tmp_path: Path
) -> None:
    spec = CORPUS / "petstore3.yaml"
    out = tmp_path / "out"
    done = clean_venv.run("specfirst", "generate", str(spec), "--out", str(out), "--distribution", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    project = out / "petstore3"
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (meta["name"], meta["version"], meta["license"]) == ("petstore3", "1.0.27", {"text": "Apache 2.0"})
    assert sorted(meta["dependencies"]) == ["httpx>=0.27,<1", "pydantic>=2.11,<3", "typing-extensions>=4.12"]
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "pip install petstore3" in readme
    assert "| GET | `/pet/findByStatus` | `find_pets_by_status` | Finds Pets by status. |" in readme
    assert (
        clean_venv.run("specfirst", "check", str(spec), "--out", str(out), "--distribution", cwd=tmp_path).returncode
        == 0
    )

    wheel = build_wheel(project, tmp_path / "dist")
    assert wheel.name == "petstore3-1.0.27-py3-none-any.whl"
    clean_venv.pip_install(str(wheel))
    elsewhere = tmp_path / "elsewhere"  # not next to the generated folder: the import comes from the install
    elsewhere.mkdir()
    shutil.rmtree(out)
    called = clean_venv.run(str(clean_venv.python), "-c", CALL, cwd=elsewhere)
    assert called.returncode == 0, called.stderr
    name, pet_id, pet_name, status, location = called.stdout.split()
    assert (name, pet_id, pet_name, status) == ("Pet", "7", "Rex", "sold")
    assert "site-packages" in location
