"""Start the reference server, or one of its faulty variants, as a real process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import yaml

from tests.conftest import ROOT, run_specfirst
from tests.reference.server import (
    CORRUPT_APP_ID,
    HUAWEI_READONLY_TOKEN,
    HUAWEI_TOKEN,
    RAINBOND_TOKEN,
    TOKEN_VARIABLES,
    Server,
    free_port,
)

HUAWEI = "spec/huawei-apig.yaml"
RAINBOND = "spec/rainbond-console.yaml"
SEED = "20240601"
MAX_EXAMPLES = "15"

#: The options that authenticate (and exercise 401/403/500) for each spec against the reference server.
AUTH: dict[str, list[str]] = {
    HUAWEI: [
        "--header", f"X-Auth-Token: {HUAWEI_TOKEN}",
        "--readonly-header", f"X-Auth-Token: {HUAWEI_READONLY_TOKEN}",
        "--probe", f"500:app_id={CORRUPT_APP_ID}",
    ],
    RAINBOND: ["--header", f"Authorization: {RAINBOND_TOKEN}"],
}  # fmt: skip


def start_module(module: str, db: Path, env: Mapping[str, str] | None = None, timeout: float = 30.0) -> Server:
    """`python -m MODULE --host 127.0.0.1 --port <free> --db DB`, waited for until it accepts connections."""
    environment = {k: v for k, v in os.environ.items() if k not in TOKEN_VARIABLES}
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT / "generated"), str(ROOT)])
    environment.update(env or {})
    port = free_port()
    log = db.with_name(f"{db.name}.{port}.log")
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port), "--db", str(db)],
            cwd=ROOT, env=environment, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", db, log, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{module} did not start on port {port}:\n{server.output()}")


@contextmanager
def serving(module: str, db: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """`start_module` as a context manager."""
    server = start_module(module, db, env)
    try:
        yield server
    finally:
        server.stop()


def with_get(tmp: Path) -> Path:
    """spec/rainbond-console.yaml plus the documented GET of the same region (served by faulty/with_get.py)."""
    data = yaml.safe_load((ROOT / RAINBOND).read_text(encoding="utf-8"))
    path = data["paths"]["/openapi/v2/manage/regions/{region_id}"]
    responses = {k: v for k, v in path["put"]["responses"].items() if k in ("200", "401", "404")}
    path["get"] = {
        "operationId": "get_region",
        "summary": "查询数据中心",
        "security": [{"token": []}],
        "parameters": path["put"]["parameters"],
        "responses": responses,
    }
    spec = tmp / "rainbond-with-get.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return spec


def contract(
    spec: str, base_url: str, *extra: str, report: Path | None = None, auth: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`specfirst contract SPEC` against `base_url` with the reference credentials, a fixed seed and few examples
    (`auth`: whose credentials, when SPEC is not one of the two seed specs)."""
    args: Sequence[str] = [
        "contract",
        spec,
        "--base-url",
        base_url,
        *AUTH[auth or spec],
        "--seed",
        SEED,
        "--max-examples",
        MAX_EXAMPLES,
        *extra,
    ]
    if report is not None:
        args = [*args, "--report", str(report)]
    return run_specfirst(*args, timeout=600)
