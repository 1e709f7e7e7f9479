"""The Python samples of the docs are real code: the seeds' run against the reference server, the corpus' type-check.

Each sample is read back from the published HTML (`<pre class="python">`), as a reader would copy it.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import GENERATED, ROOT, SPEC_DIR, mypy_strict, run_specfirst
from tests.reference.server import HUAWEI_TOKEN, RAINBOND_TOKEN, Server, running

CORPUS = ROOT.parent / "shared" / "specs"
_PRE = re.compile(r'<pre id="([^"]+)" class="python">(.*?)</pre>', re.S)
SEEDS = {
    "huawei_apig": ("huawei-apig.yaml", HUAWEI_TOKEN),
    "rainbond_console": ("rainbond-console.yaml", RAINBOND_TOKEN),
}


def samples(page: Path) -> dict[str, str]:
    """Every Python sample of a page, by its block id."""
    return {m.group(1): html.unescape(m.group(2)) for m in _PRE.finditer(page.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running(tmp_path_factory.mktemp("ref") / "ref.sqlite3") as found:
        yield found


def test_issue_example_shape() -> None:
    code = samples(GENERATED / "docs" / "huawei_apig.html")["update_app-py"]
    assert "apig.update_app(" in code
    assert 'body=models.AppCreate(name="app_demo", remark="Demo app")' in code.replace("'", '"')


@pytest.mark.parametrize("package", sorted(SEEDS))
def test_seed_samples_run_against_the_reference_server(server: Server, package: str) -> None:
    spec_file, token = SEEDS[package]
    spec = yaml.safe_load((SPEC_DIR / spec_file).read_text(encoding="utf-8"))
    url = spec["servers"][0]["url"]
    found = samples(GENERATED / "docs" / f"{package}.html")
    assert sorted(found) == sorted(f"{op['operationId']}-py{s}" for item in spec["paths"].values()
                                   for op in item.values() for s in ("", "-async"))  # fmt: skip
    for name, code in found.items():
        assert code.count(repr(url)) == 1 and code.count("'<token>'") == 1, code
        runnable = code.replace(repr(url), repr(server.base_url)).replace("'<token>'", repr(token))
        env = {**os.environ, "PYTHONPATH": f"{GENERATED}{os.pathsep}{ROOT}"}
        done = subprocess.run(
            [sys.executable, "-c", runnable], capture_output=True, text=True, timeout=60, env=env, check=False
        )
        assert done.returncode == 0, f"{name}:\n{code}\n{done.stderr}"
        assert done.stdout.strip(), name  # the parsed result is printed


def test_corpus_samples_pass_mypy_strict(tmp_path: Path) -> None:
    """Every sample (sync and async) of petstore3, train-travel and spotify type-checks against its package."""
    out = tmp_path / "out"
    checks = tmp_path / "out" / "docs_samples"
    checks.mkdir(parents=True)
    (checks / "__init__.py").write_text("")
    packages = []
    specs = [str(CORPUS / spec) for spec in ("petstore3.yaml", "train-travel-3.1.yaml", "spotify.yaml")]
    done = run_specfirst("generate", *specs, "--out", str(out))
    assert done.returncode == 0, done.stderr
    for page in sorted((out / "docs").glob("*.html")):
        if page.name == "index.html":
            continue
        found = samples(page)
        assert found, page.name
        packages.append(page.stem)
        for name, code in found.items():
            module = re.sub(r"\W", "_", f"{page.stem}__{name}")
            (checks / f"{module}.py").write_text(code, encoding="utf-8")
    assert len(packages) == 3, packages  # English specs: one page each, in English
    checked = mypy_strict(out, "docs_samples")
    assert checked.returncode == 0, checked.stdout[-4000:]
