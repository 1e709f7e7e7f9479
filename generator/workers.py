"""Worker processes for CPU-heavy stages: forked (sharing what this process has loaded), stopped on exit."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from multiprocessing.pool import Pool
from typing import Any, TypeVar

T = TypeVar("T")
_ASIDE: dict[str, Callable[[], Any]] = {}  # the work a forked `aside` worker runs (set just before it forks)


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
    if sys.platform == "linux":
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
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


@contextmanager
def pool(size: int, warm: Callable[[], object] | None = None, warmed: int = 0) -> Iterator[Pool]:
    """`size` worker processes (at most one per CPU), `warmed` of them running `warm` first; leaving the block,
    on an error too, stops them at once."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    turns = context.Value("i", warmed) if warm is not None and warmed > 0 else None
    scratch = tempfile.mkdtemp(prefix="specfirst-workers-")  # removed with the workers, whatever they left in it
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
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    try:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a Ctrl-C that came meanwhile is raised here
        yield workers
    finally:
        workers.terminate()
        workers.join()
        gc.unfreeze()
        shutil.rmtree(scratch, ignore_errors=True)


def _run_aside() -> Any:
    return _ASIDE["work"]()


def aside(work: Callable[[], T], stack: ExitStack) -> Callable[[], T]:
    """Run `work` in one forked worker (it sees everything this process has loaded) while this process goes on;
    the function returned waits for its result, or raises its error. `stack` stops the worker on leaving.
    Where processes cannot fork, `work` runs here and now."""
    if "fork" not in multiprocessing.get_all_start_methods():
        result = work()
        return lambda: result
    _ASIDE["work"] = work
    try:
        workers = stack.enter_context(pool(1))
    finally:
        _ASIDE.clear()  # the worker has its own copy
    pending = workers.apply_async(_run_aside)
    return pending.get
