"""Stage 1, load: read a spec file (YAML or JSON) into plain data, keeping a way back to line:col."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import pieces, positions
from .cache import Cache
from .errors import InputError, Problem
from .positions import MAX_DEPTH, PositionIndex

MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 5_000_000

Pointer = Sequence[str | int]
_SURROGATE = re.compile("[\ud800-\udfff]")

_BaseLoader = positions.EventLoader


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader that refuses duplicate mapping keys: for what positions.read leaves to it (tags, anchors...)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.MarkedYAMLError(problem=f"duplicate mapping key {key!r}", problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)
# YAML 1.1 would turn `on`/`off`/`yes`/`no` into booleans and `1:30` into 90; OpenAPI is JSON-shaped,
# so timestamps stay strings (a date example must not become a datetime object).
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_str)


def _yaml12_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool | str:
    """OpenAPI documents are YAML 1.2: only true/false are booleans; `on`, `off`, `yes`, `no` stay strings."""
    text = loader.construct_scalar(node)
    return {"true": True, "false": False}.get(str(text).lower(), str(text))


_StrictLoader.add_constructor("tag:yaml.org,2002:bool", _yaml12_bool)


@dataclass
class Document:
    """A loaded spec: its data, its text, the path shown in messages, and where each node of the text starts."""

    path: Path
    display: str
    text: str
    data: Any
    _index: PositionIndex | None = field(default=None, repr=False)
    sources: tuple[Path, ...] = ()  # the other local files its `$ref`s pulled in (bundle sets them)

    def locate(self, pointer: Pointer, *, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of the node at `pointer` (or of its deepest existing parent).

        key=True places a mapping entry at its key rather than at its value (see PositionIndex.locate). The
        index comes from the parse itself, or from one pass over the text on first use (JSON, unusual YAML).
        """
        if self._index is None:
            self._index = positions.index(self.text)
        return self._index.locate(pointer, key=key)

    def problem(self, pointer: Pointer, message: str) -> Problem:
        """A Problem at the node `pointer` names."""
        line, col = self.locate(pointer)
        return Problem(self.display, line, col, message)


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load(path: Path, *, allow_remote_refs: bool = False, cache: Cache | None = None) -> Document:
    """Read, parse and bundle one spec: file `$ref`s inside its folder are pulled in, remote ones refused
    (`cache`: a large YAML spec is read by pieces, those an earlier run read taken from it; pieces.py).

    Raises InputError with file:line:col (or the offending `$ref`) on any failure.
    """
    from .refs import bundle  # refs builds on Document and read(); imported here to avoid a cycle

    doc = read(path, cache)
    bundle(doc, allow_remote=allow_remote_refs)
    return doc


def read(path: Path, cache: Cache | None = None) -> Document:
    """Read and parse one spec file as it is, `$ref`s untouched."""
    shown = display_path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{shown}:1:1: file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{shown}: is a directory, not a spec file") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{shown}:1:1: not UTF-8 text (byte {exc.start})") from None
    return parse(text, path, shown, cache)


def parse(text: str, path: Path, shown: str, cache: Cache | None = None) -> Document:
    """Parse spec text (JSON or YAML, bounded in depth and size) into a Document."""
    json_first = path.suffix.lower() == ".json"
    if cache is not None and not json_first and len(text) >= pieces.BIG:
        found = pieces.read(text, cache, str(path.resolve()))
        if found is not None:  # each piece checked as check_size would (and no aliases: nothing to expand)
            return Document(path=path, display=shown, text=text, data=found[0], _index=found[1])
    data, where = _parse(text, shown, json_first=json_first)
    check_size(data, shown)
    return Document(path=path, display=shown, text=text, data=data, _index=where)


def _parse(text: str, shown: str, *, json_first: bool) -> tuple[Any, PositionIndex | None]:
    kind = "YAML"
    if json_first:
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates), None
        except json.JSONDecodeError as exc:
            raise InputError(f"{shown}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
        except _DuplicateKey:
            kind = "JSON"  # YAML's parser (a superset) reports the duplicate with its position
        except RecursionError:
            raise InputError(f"{shown}:1:1: document is nested too deeply") from None
    try:
        try:
            return positions.read(text)
        except positions.Unusual:
            _check_yaml_depth(text, shown)
            return yaml.load(text, Loader=_StrictLoader), None
        except positions.DuplicateKey as dup:
            raise yaml.MarkedYAMLError(problem=str(dup), problem_mark=dup.mark) from None
        except positions.TooDeep as deep:
            where = f"{deep.mark.line + 1}:{deep.mark.column + 1}" if deep.mark else "1:1"
            raise InputError(f"{shown}:{where}: document is nested more than {MAX_DEPTH} levels deep") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        if mark and "\t" in "".join(text.split("\n")[mark.line : mark.line + 1])[: mark.column + 1]:
            what += " (a tab: YAML indents with spaces only)"
        raise InputError(f"{shown}:{where}: invalid {kind}: {what}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{shown}:1:1: invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(f"{shown}:1:1: document is nested too deeply") from None


def _check_yaml_depth(text: str, shown: str) -> None:
    """Refuse YAML nested deeper than MAX_DEPTH before composing it (libyaml's composer recurses in C)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
                    raise InputError(f"{shown}:{where}: document is nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the real load below reports it with its position


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def check_size(data: Any, shown: str) -> None:
    """Refuse documents whose aliases expand beyond MAX_NODES (a YAML 'billion laughs')."""
    sizes: dict[int, int] = {}

    def size(value: Any, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise InputError(f"{shown}:1:1: document is nested more than {MAX_DEPTH} levels deep")
        if not isinstance(value, dict | list):
            if isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
                bad = _SURROGATE.findall(value)[0]
                raise InputError(f"{shown}:1:1: a string holds a lone surrogate {bad!r} (not Unicode text)")
            return 1
        known = sizes.get(id(value))
        if known is not None:
            return known
        children = [*value, *value.values()] if isinstance(value, dict) else value
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_NODES:
                raise InputError(f"{shown}:1:1: document expands to more than {MAX_NODES:,} nodes (YAML alias bomb?)")
        sizes[id(value)] = total
        return total

    try:
        size(data, 0)
    except RecursionError:
        raise InputError(f"{shown}:1:1: document is nested too deeply") from None
