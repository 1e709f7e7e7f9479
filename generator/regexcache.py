"""Hypothesis builds a character class's strategy once per class and alphabet, not once per draw (contract, mock).

Hypothesis turns a character range into its strategy one character at a time, so `[A-Za-z一-龥]` (20,954
characters; the Huawei name pattern spells two such classes) costs about 40 ms to build. Schemathesis builds
body strategies inside each draw, and its coverage phase derives a pattern per boundary length, so a contract run
rebuilt the same classes dozens of times: more than half its CPU time. A strategy is an immutable description of
how to draw, made to be reused, so the one built for a (class, flags, alphabet) is kept and handed out again:
every draw makes the same choices as before, only sooner.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

MAX_ENTRIES = 1024
_lock = threading.Lock()
_MARK = "__specfirst_reuse__"


def _alphabet_key(alphabet: Any) -> tuple[tuple[int, int], ...] | bool | None:
    """The characters an alphabet strategy admits (its code point intervals); False when that is not plain."""
    if alphabet is None:
        return None
    from hypothesis.strategies._internal.lazy import unwrap_strategies

    intervals = getattr(unwrap_strategies(alphabet), "intervals", None)  # type: ignore[no-untyped-call]
    spans = getattr(intervals, "intervals", None)
    return tuple(spans) if isinstance(spans, tuple) else False


def install() -> None:
    """Memoise the character classes of Hypothesis' regex strategies (idempotent; a Hypothesis laid out
    differently is left alone)."""
    try:
        from hypothesis.strategies._internal import regex
    except ImportError:  # pragma: no cover - nothing to speed up
        return
    with _lock:
        build = getattr(regex, "_strategy", None)
        sre = getattr(regex, "sre", None)
        if build is None or sre is None or getattr(build, _MARK, False):
            return
        built: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

        def _strategy(codes: Any, context: Any, is_unicode: bool, *, alphabet: Any) -> Any:
            if not (isinstance(codes, tuple) and codes[0] == sre.IN):
                return build(codes, context, is_unicode, alphabet=alphabet)  # recurses through this wrapper
            letters = _alphabet_key(alphabet)
            if letters is False:
                return build(codes, context, is_unicode, alphabet=alphabet)
            key = (tuple(codes[1]), int(context.flags), is_unicode, letters)
            with _lock:
                found = built.get(key)
                if found is not None:
                    built.move_to_end(key)
                    return found
            strategy = build(codes, context, is_unicode, alphabet=alphabet)
            with _lock:
                built[key] = strategy
                if len(built) > MAX_ENTRIES:
                    built.popitem(last=False)
            return strategy

        setattr(_strategy, _MARK, True)
        regex._strategy = _strategy
