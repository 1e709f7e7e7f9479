"""Worker processes for CPU-heavy stages: forked (sharing what this process has loaded), stopped on exit."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool


def cpus() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


@contextmanager
def pool(size: int) -> Iterator[Pool]:
    """`size` worker processes (at most one per CPU); leaving the block, on an error too, stops them at once."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    gc.freeze()  # forked workers share this process's objects; a collection there would copy every page
    workers = multiprocessing.get_context(method).Pool(max(1, min(size, cpus())))
    try:
        yield workers
    finally:
        workers.terminate()
        workers.join()
        gc.unfreeze()
