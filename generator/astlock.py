"""Threads made to take turns at `ast.parse` (Python 3.11's ast module is not safe to use from two at once)."""

from __future__ import annotations

import ast
import threading
from typing import Any

_LOCK = threading.Lock()
_DONE: list[bool] = []  # set once `ast.parse` takes turns


def serialize_ast() -> None:
    """Make threads take turns at `ast.parse`. Python 3.11's ast module turns a parse tree into objects with a
    recursion counter that threads share, so two threads parsing at once can fail with "AST constructor recursion
    depth mismatch" (CPython gh-106905); Hypothesis parses lambdas' source while it draws, in every thread that
    draws (contract workers, the mock's warm-up beside its requests)."""
    if _DONE:
        return
    parse = ast.parse

    def serial(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return parse(*args, **kwargs)

    setattr(ast, "parse", serial)  # noqa: B010 - the module attribute every caller looks up
    _DONE.append(True)
