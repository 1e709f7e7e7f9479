"""Stage 1, load, for a large YAML spec with a cache: read by pieces (its large mappings cut into their entries),
each piece's parse kept, so an edit parses only the pieces it touched.

A piece is a run of lines that starts with a key at its mapping's indentation, and is read alone by the same
parser. Whatever a cut could get wrong (a quoted or flow scalar running over a line that looks like a key, a line
less indented than its mapping, a duplicate key, anchors, a document marker) makes a piece that does not read as
one plain key on its own, or is refused before any piece is read: the caller then reads the whole text as
before, so the data, the positions and the errors are always the ones it gives.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import positions
from .cache import Cache
from .cache import key as cache_key
from .positions import Node, PositionIndex

BIG = 256 * 1024  # a document this large is read by pieces
SPLIT = 32 * 1024  # a mapping entry this large is cut into its own entries (when its value is a block mapping)
_VERSION = 1  # of the pieces' stored form
_MARKERS = ("---", "...", "%")  # at a line's start: several documents, directives (the whole reader's)
_SPACES = re.compile(" *")
_FLOW = re.compile(r"\s*[{\[]")
_INDENTS: dict[int, re.Pattern[str]] = {}


class _Refused(Exception):
    """The text is not cut here: the whole reader takes it."""


@dataclass
class _Reader:
    """One document's pieces: those the cache held (by digest, still pickled) and those read now."""

    known: dict[bytes, bytes]
    made: dict[bytes, bytes] = field(default_factory=dict)

    def entry(self, text: str, depth: int) -> tuple[Any, Any, Node, int]:
        """A piece that holds one mapping entry: its key, value, value node and key position (within the piece)."""
        digest = hashlib.blake2b(f"{depth}:{text}".encode(), digest_size=20).digest()
        stored = self.made.get(digest) or self.known.get(digest)
        if stored is not None:
            self.made[digest] = stored
            got: tuple[Any, Any, Node, int] = pickle.loads(stored)
            return got
        from .load import check_size  # load imports this module

        try:
            data, index = positions.read(text, depth=depth)
            check_size(data, "")
        except Exception:  # any refusal: the whole reader gives the real verdict
            raise _Refused from None
        root = index.root
        if not isinstance(data, dict) or len(data) != 1 or root is None:
            raise _Refused
        ((name, value),) = data.items()
        ((where, node),) = root[1].values()
        found = (name, value, node, where)
        self.made[digest] = pickle.dumps(found, protocol=5)
        return found


def _starts(indent: int) -> re.Pattern[str]:
    """A line break and a line that starts an entry at `indent` (the break first: the search skips to it fast)."""
    if indent not in _INDENTS:
        _INDENTS[indent] = re.compile(rf"\n {{{indent}}}[^ #\-\n\r]")
    return _INDENTS[indent]


def _mapping(
    reader: _Reader, text: str, lo: int, hi: int, indent: int, line: int, depth: int
) -> tuple[dict[Any, Any], Node]:
    """The block mapping in text[lo:hi] (lines from `lo`, the first on line `line`, its keys at `indent`)."""
    starts_at = _starts(indent)
    starts = [lo] if starts_at.match("\n" + text[lo : lo + indent + 1]) else []
    starts += [m.start() + 1 for m in starts_at.finditer(text, lo, hi)]
    if not starts:
        raise _Refused
    if any(s.strip() and not s.lstrip().startswith("#") for s in text[lo : starts[0]].split("\n")):
        raise _Refused  # something before the first key that is not blank (comments are kept with it)
    starts[0] = lo
    data: dict[Any, Any] = {}
    children: dict[str, Any] = {}
    first = -1
    for a, b in zip(starts, [*starts[1:], hi], strict=True):
        name, value, slot = _piece(reader, text, a, b, indent, line, depth)
        line += text.count("\n", a, b)
        if name in data or not isinstance(name, str):
            raise _Refused  # a duplicate: the whole reader reports it
        data[name] = value
        children[name] = slot
        first = slot[0] if first < 0 else first
    return data, (first, children)


def _piece(
    reader: _Reader, text: str, a: int, b: int, indent: int, line: int, depth: int
) -> tuple[Any, Any, tuple[Any, ...]]:
    """One entry, text[a:b]: cut again when large and its value is a block mapping, else read whole."""
    head = text.find("\n", a, b) if b - a >= SPLIT else -1
    if head != -1:
        inner = _SPACES.match(text, head + 1).end() - head - 1  # type: ignore[union-attr]
        nested = inner > indent and text[head + 1 + inner : head + 2 + inner] not in ("-", "#", "\n", "\r", "")
        try:
            name, value, _, where = reader.entry(text[a:head] + "\n", depth) if nested else (None, 0, None, 0)
        except _Refused:  # the first line does not read alone (a quoted scalar that goes on): read whole
            value = 0
        if value is None:
            data, node = _mapping(reader, text, head + 1, b, inner, line + 1, depth + 1)
            return name, data, ((line << 32) + where, node)
    name, value, node, where = reader.entry(text[a:b], depth)
    return name, value, ((line << 32) + where, node, False, line << 32)


def _marked(text: str) -> bool:
    """Whether a line of `text` starts with a document marker or a directive (`str.find` for each: a pattern
    anchored at every line's start reads a large spec several times slower)."""
    return text.startswith(_MARKERS) or any(f"\n{marker}" in text for marker in _MARKERS)


def read(text: str, cache: Cache, salt: str) -> tuple[Any, PositionIndex] | None:
    """`text`'s data and positions, read by pieces (the cache's entry `salt` holds the last run's); None when the
    text is not cut (the caller reads it whole)."""
    if _marked(text) or _FLOW.match(text):
        return None
    name = cache_key("pieces", _VERSION, yaml.__version__, salt)
    reader = _Reader(cache.get_parts(name))
    try:
        data, node = _mapping(reader, text, 0, len(text), 0, 0, 0)
    except (_Refused, RecursionError):
        return None
    cache.keep_parts(name, reader.known, reader.made)
    return data, PositionIndex(node)
