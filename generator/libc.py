"""The C library, for the calls Python does not wrap (Linux: prctl, renameat2)."""

from __future__ import annotations

import ctypes
import sys
from functools import cache


@cache
def libc() -> ctypes.CDLL | None:
    """The C library this process runs with, on Linux (None elsewhere). Its symbols are looked up in the process
    itself (`dlopen(NULL)`), not by `ctypes.util.find_library`, which runs `ldconfig -p` in a subprocess: tens of
    milliseconds in every process that asks (each worker did)."""
    return ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
