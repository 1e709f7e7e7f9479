"""The one exception tree of specfirst; every user-facing failure is one of these.

SpecfirstError            root: printed as one line on stderr, never a traceback
├── UsageError            bad options or arguments (exit 2)
├── InputError            a spec that cannot be read, parsed or resolved (exit 2)
├── SpecInvalid           a readable spec with problems (exit 1); carries every Problem
├── GenerationError       the generator could not produce safe, valid output (exit 2)
└── OutputError           the file system refused to read or write the output (exit 2)
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, a stable contract for scripts and CI."""

    OK = 0
    FINDINGS = 1
    ERROR = 2
    INTERNAL = 3  # a bug in specfirst itself


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a spec, with the place it was found."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class SpecfirstError(Exception):
    """Root of every error specfirst reports to a user."""

    exit_code: ExitCode = ExitCode.ERROR

    def lines(self) -> list[str]:
        """The lines to print on stderr."""
        return [str(self)]


class UsageError(SpecfirstError):
    """The command line asks for something impossible."""


class InputError(SpecfirstError):
    """A spec that cannot be read, parsed or resolved."""


class GenerationError(SpecfirstError):
    """The generator could not produce safe, valid output; nothing was written."""


class SpecInvalid(SpecfirstError):
    """A readable spec with one or more problems."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s)")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]

    def __reduce__(self) -> tuple[type[SpecInvalid], tuple[list[Problem]]]:
        return SpecInvalid, (self.problems,)  # raised in a worker process, re-raised whole in this one


class OutputError(SpecfirstError):
    """The file system refused a read or a write of the output: no space, read-only, permission, a file in the way."""

    @classmethod
    def of(cls, exc: OSError, output: str = "") -> OutputError:
        """One line: the output folder, the cause, and the path it concerns (both, for a copy or a rename),
        e.g. `out: No space left on device (ENOSPC): out/.specfirst-tmp-out-x/out/api/models.py`."""
        paths = [os.fsdecode(p) for p in (exc.filename, exc.filename2) if p is not None]
        name = errno.errorcode.get(exc.errno or 0, "")
        cause = (exc.strerror or str(exc) or type(exc).__name__) + (f" ({name})" if name else "")
        where = " -> ".join(paths)
        text = f"{output}: {cause}: {where}" if output and where and where != output else f"{where or output}: {cause}"
        return cls(" ".join(text.splitlines()))
