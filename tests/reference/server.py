"""Start the reference server (`python -m reference`) as a real process on 127.0.0.1 for tests.

    from tests.reference.server import running, HUAWEI_TOKEN
    with running(tmp_path / "ref.sqlite3") as server:
        client = huawei_apig.Client(server.base_url, token=HUAWEI_TOKEN)

`running(db, env=None, args=())` yields a `Server` (base_url, db, process, output()); `start`/`Server.stop`
do the same by hand. The database is created and seeded on first start and kept across restarts.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The development defaults the server uses when no REFERENCE_*_TOKEN is set.
HUAWEI_TOKEN = "dev-huawei-token"
HUAWEI_READONLY_TOKEN = "dev-huawei-readonly-token"
RAINBOND_TOKEN = "dev-rainbond-token"

# Seeded records (the specs' path-parameter examples), and the app whose corrupt row answers 500 APIG.9999.
PROJECT_ID = "0b6fb3f5a1a34c2e9f3f0c3e5d8f2a1b"
INSTANCE_ID = "eddc4d25480b4cd6b512f270a1b8b341"
APP_ID = "356de8eb7a8742168586e5daf5339965"
CORRUPT_APP_ID = "0badc0de0badc0de0badc0de0badc0de"
REGION_ID = "2b1e6b6d1c7c4f4f9f8a3f0e5d6c7b8a"

TOKEN_VARIABLES = ("REFERENCE_HUAWEI_TOKEN", "REFERENCE_HUAWEI_READONLY_TOKEN", "REFERENCE_RAINBOND_TOKEN")


@dataclass
class Server:
    """A running server process; its stdout and stderr go to `log`."""

    base_url: str
    db: Path
    log: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        """Everything the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited after 10 seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(db: Path, *, env: Mapping[str, str] | None = None, args: Sequence[str] = (), timeout: float = 30.0) -> Server:
    """Start `python -m reference --port <free> --db DB ARGS` and wait until it accepts connections.

    `env` is added to a copy of os.environ from which the REFERENCE_*_TOKEN variables are removed, so the
    dev tokens above apply unless `env` sets them.
    """
    environment = {k: v for k, v in os.environ.items() if k not in TOKEN_VARIABLES}
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT / "generated"), str(ROOT)])
    environment.update(env or {})
    for attempt in range(3):
        port = free_port()
        log = db.with_name(f"{db.name}.{port}.log")
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "reference", "--host", "127.0.0.1", "--port", str(port), "--db", str(db), *args],
                cwd=ROOT,
                env=environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        server = Server(f"http://127.0.0.1:{port}", db, log, process)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return server
            except OSError:
                time.sleep(0.05)
        server.stop()
        if attempt == 2 or process.returncode is None:
            raise RuntimeError(f"reference server did not start on port {port}:\n{server.output()}")
    raise AssertionError("unreachable")


@contextmanager
def running(
    db: Path, *, env: Mapping[str, str] | None = None, args: Sequence[str] = (), timeout: float = 30.0
) -> Iterator[Server]:
    """`start` as a context manager: the process is stopped on exit."""
    server = start(db, env=env, args=args, timeout=timeout)
    try:
        yield server
    finally:
        server.stop()
