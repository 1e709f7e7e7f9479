"""The worker processes that make a large document's models never outlive `generate` nor talk over it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.bigspec import grouped_spec
from tests.conftest import GENERATED, ROOT, run_specfirst


def _children(pid: int) -> set[int]:
    """The live processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start(tmp_path: Path, **extra: str) -> tuple[subprocess.Popen[str], Path]:
    spec = tmp_path / "big.json"
    spec.write_text(json.dumps(grouped_spec(300)), encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": f"{GENERATED}{os.pathsep}{ROOT}", **extra}
    proc = subprocess.Popen(
        [sys.executable, "-m", "specfirst", "generate", str(spec), "--out", str(out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        restore_signals=True,
    )
    return proc, out


def _workers_of(proc: subprocess.Popen[str]) -> set[int]:
    """Wait until the model workers are running; return their pids (or fail, leaving no process behind)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        found = _children(proc.pid)
        if found:
            return found
        time.sleep(0.02)
    proc.kill()
    _, stderr = proc.communicate()
    raise AssertionError(f"no worker process appeared; stderr: {stderr[-2000:]}")


def test_killing_generate_kills_its_workers_silently(tmp_path: Path) -> None:
    (tmp_path / "tmp").mkdir()
    proc, out = _start(tmp_path, TMPDIR=str(tmp_path / "tmp"))  # its scratch folder stays: not in the real /tmp
    workers = _workers_of(proc)
    proc.kill()
    _, stderr = proc.communicate(timeout=60)  # returns only once no worker holds the pipes open
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
    assert stderr == ""  # no worker wrote a traceback about its lost parent
    assert not (out / "big").exists()


def test_interrupting_generate_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    proc, out = _start(tmp_path)
    workers = _workers_of(proc)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group, workers included
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr == "specfirst: interrupted; nothing was written\n"
    assert stdout == ""
    assert not any(_alive(w) for w in workers)
    assert not (out / "big").exists()


def _note_warm() -> None:
    Path(os.environ["SPECFIRST_TEST_WARM"], str(os.getpid())).write_text("warm")


def _pid(_: int) -> int:
    return os.getpid()


def test_a_pool_warms_as_many_workers_as_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import workers

    if workers.cpus() < 2:
        monkeypatch.setattr(workers, "cpus", lambda: 2)
    monkeypatch.setenv("SPECFIRST_TEST_WARM", str(tmp_path))
    for warmed in (0, 1, 2):
        for old in tmp_path.iterdir():
            old.unlink()
        with workers.pool(2, _note_warm, warmed) as pool:
            pool.map(_pid, range(40), chunksize=1)  # a worker takes work only once its warm-up is done
            time.sleep(0.2)  # the other one too
            warm = {int(p.name) for p in tmp_path.iterdir()}
            assert len(warm) == warmed
            assert warm <= _children(os.getpid())  # the pool's own workers


def test_stopped_workers_leave_no_temporary_files(tmp_path: Path) -> None:
    """The second run finds every model group in the cache and stops its workers half-way through their warm-up."""
    spec = tmp_path / "big.json"
    spec.write_text(json.dumps(grouped_spec(300)), encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"TMPDIR": str(scratch), "SPECFIRST_CACHE_DIR": str(tmp_path / "cache"), "SPECFIRST_NO_CACHE": ""}
    for out in ("first", "second"):
        done = run_specfirst("generate", str(spec), "--out", str(tmp_path / out), env=env)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / out / "big" / "models.py").is_file()
        assert sorted(p.name for p in scratch.iterdir()) == []


def _age(folder: Path) -> None:
    past = time.time() - 3600
    os.utime(folder, (past, past))


def test_a_killed_runs_scratch_folder_goes_with_the_next_run(tmp_path: Path) -> None:
    from generator.workers import SCRATCH

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc, _ = _start(tmp_path, TMPDIR=str(scratch))
    _workers_of(proc)
    proc.kill()
    proc.communicate(timeout=60)
    left = sorted(scratch.iterdir())
    assert [p.name[: len(SCRATCH)] for p in left] == [SCRATCH]  # nothing could remove it
    _age(left[0])  # (a folder younger than a minute is never taken for a dead run's)
    env = {"TMPDIR": str(scratch), "SPECFIRST_NO_CACHE": "1"}
    done = run_specfirst("generate", str(tmp_path / "big.json"), "--out", str(tmp_path / "next"), env=env)
    assert done.returncode == 0, done.stderr
    assert sorted(scratch.iterdir()) == []  # the dead run's folder, and this run's own


def test_a_live_pools_scratch_folder_is_never_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from generator import workers

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stray = tmp_path / f"{workers.SCRATCH}unrelated"  # no lock file: not a pool's (an older version's) - kept
    stray.mkdir()
    _age(stray)
    with workers.pool(1) as pool:
        assert pool.apply(_pid, (0,)) != os.getpid()
        (mine,) = [p for p in tmp_path.iterdir() if p != stray]
        _age(mine)
        check = [sys.executable, "-c", "import sys; from generator import workers; print(workers.sweep(sys.argv[1]))"]
        swept = subprocess.run([*check, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=True)
        assert swept.stdout == "[]\n"
        assert mine.is_dir()
    assert sorted(tmp_path.iterdir()) == [stray]


def _niceness() -> int:
    return os.nice(0)


def test_an_aside_worker_can_yield_the_cpu() -> None:
    """Work with time to spare (validation beside the model runs) runs at a lower priority, the caller's unchanged."""
    from contextlib import ExitStack

    from generator import workers

    base = os.nice(0)
    with ExitStack() as stack:
        assert workers.aside(_niceness, stack, nice=10)() == min(19, base + 10)
        assert workers.aside(_niceness, stack)() == base
    assert os.nice(0) == base


def _echo_twice(receive: Callable[[], Any]) -> tuple[int, Any, Any, int]:
    """In a conversing worker: two things received, and the pid of an aside worker of its own."""
    from contextlib import ExitStack

    from generator import workers

    first = receive()
    with ExitStack() as stack:
        grandchild = workers.aside(os.getpid, stack)()
    return os.getpid(), first, receive(), grandchild


def test_a_conversing_worker_takes_what_is_sent_and_may_fork_its_own() -> None:
    """The docs worker is sent the client models half-way, and forks an aside worker for the model sections."""
    from contextlib import ExitStack

    from generator import workers

    with ExitStack() as stack:
        send, wait = workers.conversing(_echo_twice, stack)
        send({"a": [1, 2]})
        send("two")
        pid, first, second, grandchild = wait()
    assert pid != os.getpid() and grandchild not in {pid, os.getpid()}
    assert (first, second) == ({"a": [1, 2]}, "two")
    assert not _alive(pid)


def _fails(receive: Callable[[], Any]) -> None:
    from generator.errors import GenerationError

    raise GenerationError(f"spec.yaml: bad {receive()}")


def _dies(receive: Callable[[], Any]) -> None:
    os._exit(3)


def test_a_conversing_workers_error_is_raised_here_and_its_death_is_one_line() -> None:
    from contextlib import ExitStack

    from generator import workers
    from generator.errors import GenerationError

    with ExitStack() as stack:
        send, wait = workers.conversing(_fails, stack)
        send("thing")
        with pytest.raises(GenerationError, match=r"^spec\.yaml: bad thing$"):
            wait()
        _, wait = workers.conversing(_dies, stack)
        with pytest.raises(GenerationError, match=r"^a worker process stopped before it finished \(exit code 3\)$"):
            wait()


_ORPHANS = """
import os, sys, time
from contextlib import ExitStack
from generator import workers

def work(receive):
    with ExitStack() as stack:
        workers.aside(lambda: time.sleep(600), stack)
        print(os.getpid(), flush=True)
        time.sleep(600)

with ExitStack() as stack:
    send, wait = workers.conversing(work, stack)
    wait()
"""


def test_a_conversing_worker_and_its_own_workers_die_with_a_killed_parent() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _ORPHANS], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    worker = int(proc.stdout.readline())
    deadline = time.monotonic() + 30
    while not _children(worker) and time.monotonic() < deadline:
        time.sleep(0.02)
    below = _children(worker)
    assert below
    proc.kill()
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in {worker, *below}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in {worker, *below})


def _reads_when_told(told: Any, receive: Callable[[], Any]) -> int:
    if not told.wait(30):
        raise RuntimeError("never told to read")
    return len(receive())


def test_sending_to_a_conversing_worker_does_not_wait_for_it_to_read() -> None:
    """The client models are sent to the docs worker while it still renders pages: this process goes on."""
    import multiprocessing
    from contextlib import ExitStack
    from functools import partial

    from generator import workers

    told = multiprocessing.get_context("fork").Event()
    with ExitStack() as stack:
        send, wait = workers.conversing(partial(_reads_when_told, told), stack)
        send(b"x" * 4_000_000)  # far more than a pipe holds: a send that waited for the read would never return
        send(b"y")
        told.set()
        assert wait() == 4_000_000
