"""Worker processes for CPU-heavy stages: forked (sharing what this process has loaded), stopped on exit."""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any, TypeVar

from .libc import libc

try:
    import fcntl
except ImportError:  # Windows: there, a killed run's scratch folder stays
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
_ASIDE: dict[str, Callable[[], Any]] = {}  # the work a forked `aside` worker runs (set just before it forks)
SCRATCH = "specfirst-workers-"  # a pool's scratch folder in the temporary folder: SCRATCH + a random part
_HELD = ".held"  # in a scratch folder: locked for as long as the pool's processes live
_SWEEP_AGE = 60  # seconds: a younger folder may be a pool not yet holding its lock


def cpus() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


_PR_SET_PDEATHSIG = 1


def _setup(parent: int, scratch: str, warm: Callable[[], object] | None = None, turns: Any = None) -> None:
    """In each worker: die with the parent (a killed `generate` leaves nothing running), leave Ctrl-C to it, make
    temporary files in `scratch` (a worker stopped half-way cannot remove its own); then `warm`, in as many workers
    as `turns` holds (imports and first-use costs paid before the work arrives; its failure is left to the work)."""
    tempfile.tempdir = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent reports the interrupt and stops the workers
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by `pool` across the fork
    if (found := libc()) is not None:
        found.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    if warm is not None and turns is not None:
        with turns.get_lock():
            turns.value -= 1
            if turns.value < 0:
                return
        try:
            warm()
        except Exception:  # only a head start: the work itself reports what is wrong
            pass


def _scratch() -> tuple[str, int | None]:
    """A new scratch folder, and the descriptor that holds its lock (the workers inherit it: the lock goes only
    when every process of the pool is gone, however it ends)."""
    folder = tempfile.mkdtemp(prefix=SCRATCH)
    if fcntl is None:
        return folder, None
    held = os.open(os.path.join(folder, _HELD), os.O_WRONLY | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return folder, held


def sweep(base: str | None = None) -> list[str]:
    """Remove the scratch folders (in `base`, the temporary folder by default) that no live pool holds: a run
    killed with SIGKILL cannot remove its own. Return the folders removed."""
    removed: list[str] = []
    if fcntl is None:
        return removed
    for folder in Path(base or tempfile.gettempdir()).glob(f"{SCRATCH}*"):
        try:
            if time.time() - folder.stat().st_mtime < _SWEEP_AGE:
                continue
            held = os.open(folder / _HELD, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:  # gone, not a folder, not ours, or made by a version that held no lock: left alone
            continue
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live pool holds it
        finally:
            os.close(held)  # (a lock taken goes with it)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(str(folder))
    return removed


@contextmanager
def pool(size: int, warm: Callable[[], object] | None = None, warmed: int = 0) -> Iterator[Pool]:
    """`size` worker processes (at most one per CPU), `warmed` of them running `warm` first; leaving the block,
    on an error too, stops them at once."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    turns = context.Value("i", warmed) if warm is not None and warmed > 0 else None
    sweep()
    scratch, held = _scratch()  # removed with the workers, whatever they left in it
    gc.freeze()  # forked workers share this process's objects; a collection there would copy every page
    # Ctrl-C reaches the whole process group: a worker caught half-way through its fork, before `_setup` made it
    # ignore SIGINT, would print a traceback. SIGINT stays blocked across the forks (this process gets it after).
    masked = hasattr(signal, "pthread_sigmask")
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if masked else set()
    try:
        workers = context.Pool(max(1, min(size, cpus())), _setup, (os.getpid(), scratch, warm, turns))
    except BaseException:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
        gc.unfreeze()
        _remove(scratch, held)
        raise
    try:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a Ctrl-C that came meanwhile is raised here
        yield workers
    finally:
        workers.terminate()
        workers.join()
        gc.unfreeze()
        _remove(scratch, held)


def _remove(scratch: str, held: int | None) -> None:
    shutil.rmtree(scratch, ignore_errors=True)
    if held is not None:
        os.close(held)


def _run_aside(nice: int) -> Any:
    if nice:
        os.nice(nice)
    return _ASIDE["work"]()


def aside(work: Callable[[], T], stack: ExitStack, *, nice: int = 0) -> Callable[[], T]:
    """Run `work` in one forked worker (it sees everything this process has loaded) while this process goes on;
    the function returned waits for its result, or raises its error. `stack` stops the worker on leaving.
    `nice`: how much lower the worker's priority is (for work with time to spare: when the CPUs are all busy, the
    other processes go first). Where processes cannot fork, `work` runs here and now."""
    if "fork" not in multiprocessing.get_all_start_methods():
        result = work()
        return lambda: result
    _ASIDE["work"] = work
    try:
        workers = stack.enter_context(pool(1))
    finally:
        _ASIDE.clear()  # the worker has its own copy
    pending = workers.apply_async(_run_aside, (nice,))
    return pending.get


_DONE = object()  # put last in a conversing worker's outgoing queue
Receive = Callable[[], Any]  # what a `conversing` worker calls to wait for the next thing sent to it


def _converse(parent: int, scratch: str, work: Callable[[Receive], Any], inbox: Any, outbox: Any) -> None:
    _setup(parent, scratch)
    try:
        result: tuple[bool, Any] = (True, work(inbox.recv))
    except BaseException as exc:  # the parent raises it (Ctrl-C is the parent's to report)
        result = (False, exc)
    try:
        outbox.send(result)
    except Exception as exc:  # a result or an error that does not pickle
        outbox.send((False, RuntimeError(f"a worker's result could not be sent back: {exc}")))


def conversing(work: Callable[[Receive], T], stack: ExitStack) -> tuple[Callable[[Any], None], Callable[[], T]]:
    """Run `work` in one forked worker that may be sent more as it runs (`work` is given the function that
    waits for the next thing sent); return the function that sends (without waiting for the worker to read it),
    and the one that waits for `work`'s result (or raises its error). Unlike `aside`'s, the worker may fork
    workers of its own (it is not a pool's daemon). It dies with this process and leaves Ctrl-C to it; `stack`
    stops it on leaving. Where processes cannot fork, `work` runs here when its result is asked for."""
    if "fork" not in multiprocessing.get_all_start_methods():
        sent: list[Any] = []
        return sent.append, lambda: work(lambda: sent.pop(0))
    from .errors import GenerationError

    context = multiprocessing.get_context("fork")
    inbox, to_inbox = context.Pipe(duplex=False)
    from_outbox, outbox = context.Pipe(duplex=False)
    sweep()
    scratch, held = _scratch()
    gc.freeze()  # as `pool`: the worker shares this process's objects
    masked = hasattr(signal, "pthread_sigmask")
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if masked else set()
    try:
        worker = context.Process(target=_converse, args=(os.getpid(), scratch, work, inbox, outbox), daemon=False)
        worker.start()
    except BaseException:
        gc.unfreeze()
        _remove(scratch, held)
        raise
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
    inbox.close()  # the worker's ends: once it is gone, waiting for its result ends too
    outbox.close()

    outgoing: queue.SimpleQueue[Any] = queue.SimpleQueue()
    sender = threading.Thread(target=_send, args=(to_inbox, outgoing), daemon=True)

    def stop() -> None:
        if worker.is_alive():
            worker.terminate()
        worker.join()
        _hang_up(outgoing, sender)
        to_inbox.close()
        from_outbox.close()
        gc.unfreeze()
        _remove(scratch, held)

    stack.callback(stop)

    def send(value: Any) -> None:
        # by a thread, in order: the worker reads only when it asks (a pipe holds 64 KiB); this process goes on
        outgoing.put(value)
        if sender.ident is None:
            sender.start()

    def wait() -> T:
        try:
            done, value = from_outbox.recv()
        except EOFError:
            worker.join(5)
            stopped = f"a worker process stopped before it finished (exit code {worker.exitcode})"
            raise GenerationError(stopped) from None
        if done:
            return value  # type: ignore[no-any-return]
        raise value

    return send, wait


def _hang_up(outgoing: queue.SimpleQueue[Any], sender: threading.Thread) -> None:
    """The sender's last: it ends (or its write has failed: the worker is gone), before its pipe is closed."""
    outgoing.put(_DONE)
    if sender.ident is not None:
        sender.join()


def _send(connection: Any, outgoing: queue.SimpleQueue[Any]) -> None:
    """Send what is put in `outgoing`, in order (a daemon thread: it ends with this process)."""
    try:
        while (value := outgoing.get()) is not _DONE:
            connection.send(value)
    except OSError:  # the worker is gone (or stopped): waiting for its result says so
        return
