"""Turn arbitrary spec strings into safe, deterministic Python identifiers."""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from functools import lru_cache

_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"self", "cls"}
_BUILTINS = frozenset(dir(builtins))


_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_ACRONYM_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    """The words of `text` (a spec names the same things many times: each text is split once)."""
    text = unicodedata.normalize("NFKC", text)
    text = _LOWER_UPPER.sub(r"\1 \2", text)
    text = _ACRONYM_WORD.sub(r"\1 \2", text)
    return tuple(w for w in _SEPARATORS.split(text) if w)


def snake(text: str, *, fallback: str = "value") -> str:
    """snake_case identifier from any text; never a keyword, never empty, never starts with a digit."""
    name = "_".join(w.lower() for w in _words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in _RESERVED:
        name += "_"
    return name


def pascal(text: str, *, fallback: str = "Value") -> str:
    """PascalCase identifier from any text."""
    name = "".join(w[:1].upper() + w[1:] for w in _words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in _RESERVED:  # None, True, False
        name += "_"
    return name


def is_safe(name: str) -> bool:
    """A plain ASCII identifier that is not a keyword."""
    return name.isascii() and name.isidentifier() and name not in _RESERVED


class Namer:
    """Hands out unique names, resolving collisions with a numeric suffix, deterministically."""

    def __init__(self, taken: set[str] | frozenset[str] = frozenset(), *, avoid_builtins: bool = False) -> None:
        self._taken = set(taken)
        if avoid_builtins:
            self._taken |= _BUILTINS

    def claim(self, name: str) -> str:
        """Return `name`, or `name_2`, `name_3`, … if taken; mark the result taken."""
        if not is_safe(name):
            raise ValueError(f"unsafe identifier {name!r}")
        candidate, n = name, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{name.rstrip('_')}_{n}" if name[:1].islower() else f"{name}{n}"
        self._taken.add(candidate)
        return candidate
