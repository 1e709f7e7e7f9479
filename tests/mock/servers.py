"""Start `specfirst mock` / `specfirst proxy` as real processes on free loopback ports, and stop them by signal."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT, _env
from tests.reference.server import free_port

SHARED_SPECS = ROOT.parent / "shared" / "specs"
HUAWEI = ROOT / "spec" / "huawei-apig.yaml"
RAINBOND = ROOT / "spec" / "rainbond-console.yaml"
HUAWEI_TOKEN = "dev-huawei-token"
HUAWEI_READONLY = "dev-huawei-readonly-token"
RAINBOND_TOKEN = "dev-rainbond-token"
HUAWEI_APPS = "/v2/0b6fb3f5a1a34c2e9f3f0c3e5d8f2a1b/apigw/instances/eddc4d25480b4cd6b512f270a1b8b341/apps"
HUAWEI_APP = "356de8eb7a8742168586e5daf5339965"


@dataclass
class Running:
    """A started specfirst server: its URL, process, and what it printed."""

    url: str
    process: subprocess.Popen[str]
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for reader in self.readers:
            reader.join(5)  # they drain what was printed last
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return self.process.returncode

    def log(self) -> str:
        return "".join(self.stderr)


def _drain(stream: object, into: list[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        into.append(line)


def start(command: str, *args: str, port: int | None = None, timeout: float = 120) -> Running:
    """`python -m specfirst COMMAND ARGS --port P`, waited for until it prints the URL it serves on."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "specfirst", command, *args, "--port", str(port)],
        cwd=ROOT, env=_env({"XDG_CACHE_HOME": str(ROOT / "test-artifacts" / "cache")}),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    running = Running(f"http://127.0.0.1:{port}", process)
    for stream, into in ((process.stdout, running.stdout), (process.stderr, running.stderr)):
        reader = threading.Thread(target=_drain, args=(stream, into), daemon=True)
        reader.start()
        running.readers.append(reader)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(re.search(r"http://127\.0\.0\.1:\d+", line) for line in running.stdout):
            return running
        if process.poll() is not None:
            break
        time.sleep(0.05)
    running.stop(signal.SIGKILL)
    raise RuntimeError(f"specfirst {command} did not start:\n{''.join(running.stdout)}{running.log()}")


@contextmanager
def serving(command: str, *args: str, port: int | None = None) -> Iterator[Running]:
    running = start(command, *args, port=port)
    try:
        yield running
    finally:
        running.stop()


def tmp_state(folder: Path) -> str:
    return str(folder / "state.sqlite3")


__all__ = ["SHARED_SPECS", "Running", "os", "serving", "start"]
