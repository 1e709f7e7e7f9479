"""Hostile and broken specs fail well: one line with a location, exit 2, bounded memory, nothing written."""

from __future__ import annotations

import http.server
import os
import resource
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import GENERATED, ROOT

HOSTILE = ROOT / "tests" / "specs-hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if p.is_file() and p.suffix in {".yaml", ".json"})
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB of address space: a runaway expansion dies, a bounded one passes


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def specfirst(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess with 1 GiB of memory and a generous time bound (a hang fails the test)."""
    env = {**os.environ, "PYTHONPATH": f"{GENERATED}{os.pathsep}{ROOT}"}
    return subprocess.run(
        [sys.executable, "-m", "specfirst", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_limit_memory,
    )


def expected(spec: Path) -> tuple[int, str]:
    code, message = spec.with_name(spec.name + ".expected").read_text(encoding="utf-8").split("\n", 1)
    return int(code.removeprefix("exit ")), message.rstrip("\n")


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 20
    for spec in CASES:
        assert spec.with_name(spec.name + ".expected").is_file(), spec.name


@pytest.mark.parametrize("spec", CASES, ids=[p.name for p in CASES])
def test_validate_fails_with_one_located_line(spec: Path) -> None:
    code, message = expected(spec)
    done = specfirst("validate", str(spec.relative_to(ROOT)))
    assert (done.returncode, done.stderr.rstrip("\n")) == (code, message)
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("spec", CASES, ids=[p.name for p in CASES])
def test_generate_fails_and_leaves_the_output_alone(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED / "huawei_apig", out / "huawei_apig")
    before = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    code, message = expected(spec)
    done = specfirst("generate", str(spec.relative_to(ROOT)), "--out", str(out))
    assert (done.returncode, done.stderr.rstrip("\n").splitlines()[-1]) == (code, message)
    after = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before


def test_missing_file_and_directory_are_one_line(tmp_path: Path) -> None:
    done = specfirst("validate", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2
    assert done.stderr == f"{tmp_path / 'nope.yaml'}: cannot read: No such file or directory\n"
    done = specfirst("validate", str(tmp_path))
    assert (done.returncode, done.stderr) == (2, f"{tmp_path}: is a directory, not a spec file\n")


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    spec = tmp_path / "huge.yaml"
    with spec.open("wb") as f:
        f.truncate(64 * 1024 * 1024 + 1)  # sparse: costs no disk
    done = specfirst("validate", str(spec))
    assert (done.returncode, done.stderr) == (2, f"{spec}:1:1: file is larger than 64 MiB\n")


def test_many_operations_stay_bounded(tmp_path: Path) -> None:
    """A large but flat document (20,000 paths) validates within the memory bound."""
    lines = ["openapi: 3.0.3", "info: {title: t, version: '1'}", "paths:"]
    op = "{get: {operationId: op%d, responses: {'200': {description: ok}}}}"
    lines += [f"  /p{i}: {op % i}" for i in range(20000)]
    spec = tmp_path / "wide.yaml"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = specfirst("validate", str(spec))
    assert (done.returncode, done.stdout) == (0, "1 spec(s) valid\n"), done.stderr


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A static file server on 127.0.0.1 serving pet.yaml; yields its base URL and the paths requested."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "pet.yaml").write_text("Pet:\n  type: object\n  properties:\n    name: {type: string}\n", "utf-8")
    requested: list[str] = []

    class Handler(_Handler):
        def do_GET(self) -> None:
            requested.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _remote_spec(tmp_path: Path, base: str) -> Path:
    spec = tmp_path / "spec" / "remote.yaml"
    spec.parent.mkdir()
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "paths:\n  /pet:\n    get:\n      operationId: getPet\n      responses:\n        '200':\n"
        "          description: ok\n          content:\n            application/json:\n"
        f"              schema: {{$ref: '{base}/pet.yaml#/Pet'}}\n",
        encoding="utf-8",
    )
    return spec


def test_remote_ref_is_never_fetched_without_the_option(tmp_path: Path, remote: tuple[str, list[str]]) -> None:
    base, requested = remote
    spec = _remote_spec(tmp_path, base)
    for command in (["validate", str(spec)], ["generate", str(spec), "--out", str(tmp_path / "out")]):
        done = specfirst(*command)
        assert done.returncode == 2
        assert done.stderr == (
            f"{spec}:12:30: $ref '{base}/pet.yaml#/Pet': remote references are refused (never fetched); "
            "see --allow-remote-refs\n"
        )
    assert requested == []
    assert not (tmp_path / "out" / "remote").exists()


def test_remote_ref_is_fetched_and_bundled_with_the_option(tmp_path: Path, remote: tuple[str, list[str]]) -> None:
    base, requested = remote
    spec = _remote_spec(tmp_path, base)
    done = specfirst("generate", str(spec), "--out", str(tmp_path / "out"), "--allow-remote-refs")
    assert done.returncode == 0, done.stderr
    assert "class Pet(BaseModel):" in (tmp_path / "out" / "remote" / "models.py").read_text("utf-8")
    assert requested == ["/pet.yaml"] * len(requested) and requested
