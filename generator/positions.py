"""One pass over the YAML parser's events: the document's data and where each of its nodes starts, line:col."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

try:  # the C parser is several times faster; fall back to the pure-Python one
    EventLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    EventLoader = yaml.SafeLoader

MAX_DEPTH = 400

# A node is (position, children): children None (a scalar), a list of slots (a sequence) or a dict of slots by
# key text (a mapping). A slot is (key position, node), or (position, node, True) for an alias of that node.
# A position is line << 32 | column, both 0-based, so a large document's index stays small. A slot of four,
# (key position, node, False, shift), holds a node read apart (pieces.py): its positions are `shift` lines early.
Node = tuple[int, Any]
_MAP, _SEQ = yaml.MappingStartEvent, yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_STR = "tag:yaml.org,2002:str"
_SAFE = yaml.constructor.SafeConstructor()
_RESOLVERS: dict[Any, list[tuple[str, Any]]] = yaml.resolver.Resolver.yaml_implicit_resolvers


class Unusual(Exception):
    """The text uses a YAML feature the one-pass reader leaves to PyYAML's full loader (tags, anchors, ...)."""


class TooDeep(Exception):
    """Collections nested more than MAX_DEPTH levels; `mark` is where the offending one starts."""

    def __init__(self, mark: Any) -> None:
        super().__init__("too deep")
        self.mark = mark


class DuplicateKey(Exception):
    """A mapping key given twice; `key` as constructed, `mark` at its second occurrence."""

    def __init__(self, key: Any, mark: Any) -> None:
        super().__init__(f"duplicate mapping key {key!r}")
        self.key, self.mark = key, mark


class PositionIndex:
    """Where every node of a document starts: `locate` a JSON-pointer-like path in a few dict look-ups."""

    __slots__ = ("_root",)

    def __init__(self, root: Node | None) -> None:
        self._root = root

    @property
    def root(self) -> Node | None:
        """The document's node (None: nothing indexed)."""
        return self._root

    def locate(self, pointer: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, col) of the node at `pointer`, or of its deepest existing parent.

        With key=True a mapping entry is placed at its key (the line a reader edits), the root at 1:1, and an
        alias is not followed (the finding stays at the entry that says `*name`).
        """
        node = self._root
        if node is None:
            return (1, 1)
        where = 0 if key else node[0]
        shift = 0
        for part in pointer:
            children = node[1]
            if isinstance(children, dict):
                slot = children.get(str(part))
            elif isinstance(children, list) and str(part).isdigit() and int(part) < len(children):
                slot = children[int(part)]
            else:
                break
            if slot is None:
                break
            if key and len(slot) == 3:
                where = slot[0] + shift
                break
            node = slot[1]
            if len(slot) == 4:  # a piece read apart: the slot's key is placed; what is inside it is shifted
                where, shift = (slot[0], slot[3]) if key else (node[0] + slot[3], slot[3])
                continue
            where = slot[0] + shift if key else node[0] + shift
        return (where >> 32) + 1, (where & 0xFFFFFFFF) + 1


def index(text: str) -> PositionIndex:
    """The positions of `text`'s nodes (no data built); an empty index when the parser refuses the text."""
    try:
        return PositionIndex(_run(text, build=False)[1])
    except (yaml.YAMLError, Unusual, TooDeep, DuplicateKey):
        return PositionIndex(None)


def read(text: str, *, depth: int = 0) -> tuple[Any, PositionIndex]:
    """The data of a single-document YAML text and its position index, from one pass over the events.

    Raises yaml.YAMLError as PyYAML would, TooDeep, DuplicateKey (the first one in document order, once the
    whole text has parsed, so a syntax error anywhere wins as with PyYAML), or Unusual for what it leaves to
    the full loader: explicit tags, anchors and aliases, complex keys, merge keys, several documents. `depth`:
    how deep the text's top level sits in a larger document (a piece of it), counted against MAX_DEPTH.
    """
    data, root = _run(text, build=True, depth=depth)
    return data, PositionIndex(root)


def _pos(mark: Any) -> int:
    return (mark.line << 32) | mark.column if mark is not None else 0


def _scalar(event: Any) -> Any:
    """The value of a plain or quoted scalar: YAML 1.1 ints, floats and nulls, YAML 1.2 booleans, timestamps as text."""
    if event.tag is not None or event.anchor is not None:
        raise Unusual
    value: str = event.value
    tag = _resolve(value) if event.implicit[0] else _STR
    if tag in (_STR, "tag:yaml.org,2002:timestamp"):
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return {"true": True, "false": False}.get(value.lower(), value)
    if tag == "tag:yaml.org,2002:int":
        return _SAFE.construct_yaml_int(yaml.ScalarNode(tag, value))
    if tag == "tag:yaml.org,2002:float":
        return _SAFE.construct_yaml_float(yaml.ScalarNode(tag, value))
    raise Unusual  # merge keys (`<<`) and `=`: the full loader's business


def _resolve(value: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar."""
    for tag, regexp in _RESOLVERS.get(value[0] if value else "", ()):
        if regexp.match(value):
            return str(tag)
    return _STR


def _run(text: str, *, build: bool, depth: int = 0) -> tuple[Any, Node | None]:
    parser = EventLoader(text)
    limit = MAX_DEPTH - depth
    # a frame: [node, data container, is mapping, expecting a key, key text, key object, key position]
    stack: list[list[Any]] = []
    anchors: dict[str, Node] = {}
    top: list[Any] = [None, None]  # the root node and its data
    duplicate: DuplicateKey | None = None
    documents = 0
    skip = 0  # depth inside a complex key (positions only)
    try:
        get = parser.get_event
        while parser.check_event():
            event = get()  # type: ignore[no-untyped-call]
            kind = type(event)
            if skip:
                skip += 1 if kind is _MAP or kind is _SEQ else -1 if kind in _ENDS else 0
            elif kind in _ENDS:
                stack.pop()
                if stack and stack[-1][2]:
                    stack[-1][3] = True
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1 and build:
                    raise Unusual
            elif kind is yaml.ScalarEvent or kind is yaml.AliasEvent or kind is _MAP or kind is _SEQ:
                if stack and stack[-1][2] and stack[-1][3]:
                    skip = _key(stack[-1], event, build)
                    continue
                found = _node(stack, event, build, anchors, top, limit)
                if found is not None and duplicate is None:
                    duplicate = found
    finally:
        parser.dispose()
    if duplicate is not None:
        raise duplicate
    return top[1], top[0]


def _key(frame: list[Any], event: Any, build: bool) -> int:
    """Note a mapping key in its frame; the depth to skip when it is a complex key (positions only)."""
    frame[3] = False
    frame[6] = _pos(event.start_mark)
    if type(event) is yaml.ScalarEvent:
        frame[4] = event.value
        frame[5] = _scalar(event) if build else None
        return 0
    if build:
        raise Unusual  # a complex key (or an alias as a key)
    frame[4] = None
    return 1 if type(event) is _MAP or type(event) is _SEQ else 0


def _node(
    stack: list[list[Any]], event: Any, build: bool, anchors: dict[str, Node], top: list[Any], limit: int = MAX_DEPTH
) -> DuplicateKey | None:
    """Record a node (and build its value): a scalar, an alias, or the start of a collection."""
    kind = type(event)
    if build and (kind is yaml.AliasEvent or event.anchor is not None):
        raise Unusual
    frame = stack[-1] if stack else None
    where = _pos(event.start_mark)
    if kind is yaml.AliasEvent:
        target = anchors.get(event.anchor)
        if target is None:
            raise Unusual
        return _attach(frame, (where, target, True), None, build)
    value: Any = None
    if kind is yaml.ScalarEvent:
        node: Node = (where, None)
        if build:
            value = _scalar(event)
    else:
        if len(stack) >= limit:
            raise TooDeep(event.start_mark)
        node = (where, {} if kind is _MAP else [])
        if build:
            value = {} if kind is _MAP else []
    if event.anchor is not None:
        anchors[event.anchor] = node
    found = None
    if frame is None:
        top[0], top[1] = node, value
    else:
        found = _attach(frame, (frame[6] if frame[2] else where, node), value, build)
    if kind is not yaml.ScalarEvent:
        stack.append([node, value, kind is _MAP, True, None, None, 0])
    return found


def _attach(frame: list[Any] | None, slot: tuple[Any, ...], value: Any, build: bool) -> DuplicateKey | None:
    """Put a child node (and its value) into the open collection; a repeated key is returned, not raised."""
    if frame is None:
        return None
    children = frame[0][1]
    found = None
    if frame[2]:
        frame[3] = True
        if frame[4] is not None and frame[4] not in children:
            children[frame[4]] = slot
        if build:
            key = frame[5]
            if key in frame[1]:
                found = DuplicateKey(key, _Mark(frame[6]))
            else:
                frame[1][key] = value
    else:
        children.append(slot)
        if build:
            frame[1].append(value)
    return found


class _Mark:
    """A parser mark rebuilt from a packed position, for messages."""

    def __init__(self, where: int) -> None:
        self.line, self.column = where >> 32, where & 0xFFFFFFFF
