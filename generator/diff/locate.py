"""Many pointers located in one pass over the YAML events (composing a 4 MB document's node tree costs seconds)."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from ..load import Document, Pointer

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Key = tuple[str, ...]


def locate_all(doc: Document, pointers: Iterable[Pointer]) -> dict[Key, tuple[int, int]]:
    """line:col (1-based) for each pointer, or for its deepest existing parent; keys are the pointers as strings."""
    given = {tuple(str(p) for p in pointer): pointer for pointer in pointers}
    wanted = set(given)
    if not wanted:
        return {}
    if len(wanted) < 8 or len(doc.text) < 256 * 1024:
        return {key: doc.locate(pointer) for key, pointer in given.items()}
    prefixes = {key[:n] for key in wanted for n in range(len(key) + 1)}
    found: dict[Key, tuple[int, int]] = {}
    try:
        _scan(doc.text, prefixes, found)
    except yaml.YAMLError:
        return {key: doc.locate(pointer) for key, pointer in given.items()}
    return {key: _deepest(key, found) for key in wanted}


def _deepest(key: Key, found: dict[Key, tuple[int, int]]) -> tuple[int, int]:
    for n in range(len(key), -1, -1):
        if key[:n] in found:
            return found[key[:n]]
    return (1, 1)


def _scan(text: str, prefixes: set[Key], found: dict[Key, tuple[int, int]]) -> None:
    """Walk the event stream keeping the current path; record where each wanted node starts."""
    # each frame: [path, is_mapping, expecting_key, pending_key, index]
    stack: list[list[object]] = []
    skip = 0  # depth inside a subtree no wanted pointer enters
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if skip:
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                skip += 1
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                skip -= 1
                if not skip:
                    _after_value(stack)
            continue
        if kind in (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
            continue
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            _after_value(stack)
            continue
        if stack and stack[-1][1] and stack[-1][2]:  # a mapping key
            frame = stack[-1]
            frame[3] = getattr(event, "value", "")
            frame[2] = False
            if kind is not yaml.ScalarEvent:  # a complex key: never on a pointer
                skip = 1 if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent) else 0
            continue
        path = _child_path(stack)
        if path not in prefixes:
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                skip = 1
            else:
                _after_value(stack)
            continue
        mark = event.start_mark
        found[path] = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if kind is yaml.MappingStartEvent:
            stack.append([path, True, True, None, 0])
        elif kind is yaml.SequenceStartEvent:
            stack.append([path, False, False, None, 0])
        else:
            _after_value(stack)


def _child_path(stack: list[list[object]]) -> Key:
    if not stack:
        return ()
    frame = stack[-1]
    parent: Key = frame[0]  # type: ignore[assignment]
    return (*parent, str(frame[3] if frame[1] else frame[4]))


def _after_value(stack: list[list[object]]) -> None:
    if not stack:
        return
    frame = stack[-1]
    if frame[1]:
        frame[2] = True
    else:
        frame[4] = int(frame[4]) + 1  # type: ignore[call-overload]
