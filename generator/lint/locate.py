"""Line and column of many JSON pointers at once, from one pass over the YAML parser's events.

A finding is placed at the key of a mapping entry (or at a sequence item), so `file:line:col` names the
line a reader edits. One event pass replaces composing a node tree (several times slower on large
documents); subtrees that hold no wanted pointer are skipped without building paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from ..load import Document, _BaseLoader
from .model import Ptr

Key = tuple[str, ...]


def _norm(ptr: Ptr) -> Key:
    return tuple(str(p) for p in ptr)


def locate_all(doc: Document, pointers: Iterable[Ptr]) -> dict[Ptr, tuple[int, int]]:
    """(line, col), 1-based, for each pointer: its node, or its deepest existing parent."""
    pointers = set(pointers)
    wanted = {_norm(p) for p in pointers}
    prefixes = {w[:i] for w in wanted for i in range(len(w) + 1)}
    found: dict[Key, tuple[int, int]] = {(): (1, 1)}
    try:
        _scan(doc.text, wanted, prefixes, found)
    except yaml.YAMLError:
        pass  # the loader accepted the text; a parser disagreement only costs precision
    out: dict[Ptr, tuple[int, int]] = {}
    for ptr in pointers:
        key = _norm(ptr)
        while key not in found:
            key = key[:-1]
        out[ptr] = found[key]
    return out


class _Frame:
    __slots__ = ("expect_key", "index", "is_map", "key", "mark", "path")

    def __init__(self, path: Key, is_map: bool) -> None:
        self.path = path
        self.is_map = is_map
        self.expect_key = True
        self.key: str | None = None
        self.mark = (1, 1)
        self.index = 0


def _scan(text: str, wanted: set[Key], prefixes: set[Key], found: dict[Key, tuple[int, int]]) -> None:
    stack: list[_Frame] = []
    skip = 0  # depth inside a subtree that holds no wanted pointer
    skipping_key = False  # that subtree is a complex mapping key (the entry's value follows it)
    start_types = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    end_types = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    node_types = (yaml.ScalarEvent, yaml.AliasEvent, *start_types)
    for event in yaml.parse(text, Loader=_BaseLoader):
        if skip:
            if isinstance(event, start_types):
                skip += 1
            elif isinstance(event, end_types):
                skip -= 1
                if not skip and not skipping_key:
                    _value_done(stack)
                skipping_key = skipping_key and skip > 0
            continue
        if isinstance(event, end_types):
            stack.pop()
            _value_done(stack)
            continue
        if not isinstance(event, node_types):
            continue
        mark = event.start_mark
        if not stack:
            path: Key = ()
            where = _pos(mark)
        else:
            top = stack[-1]
            if top.is_map and top.expect_key:
                top.expect_key = False
                top.key = event.value if isinstance(event, yaml.ScalarEvent) else None
                top.mark = _pos(mark)
                if isinstance(event, start_types):
                    skip, skipping_key = 1, True  # a complex key: never a pointer part
                continue
            if top.is_map:
                path, where = (*top.path, top.key or ""), top.mark
            else:
                path, where = (*top.path, str(top.index)), _pos(mark)
                top.index += 1
        if path in wanted:
            found[path] = where
        if isinstance(event, start_types):
            if path in prefixes:
                stack.append(_Frame(path, isinstance(event, yaml.MappingStartEvent)))
            else:
                skip = 1
        else:
            _value_done(stack)


def _value_done(stack: list[_Frame]) -> None:
    if stack and stack[-1].is_map:
        stack[-1].expect_key = True


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
