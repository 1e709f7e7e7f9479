"""Stage 5b, verify: generated code parses, is plain printable text, and holds spec strings only as data.

The generator is safe by construction (spec strings reach code only through `lit`/`doc` and
datamodel-code-generator's repr-based literals); this module checks the result mechanically before
anything is written, so that a bug in any stage is refused instead of shipped.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import workers
from .cache import Cache
from .cache import key as cache_key
from .errors import GenerationError

# a comment, or a string literal of any kind (prefixes, triple quotes, escapes, f-strings as a whole)
_PREFIX = r"(?:(?<![\w])[rRbBuUfF]{1,2})?"
_LITERAL_OR_COMMENT = re.compile(  # loops unrolled; the lookahead skips most positions at once
    r"(?=[#'\"rRbBuUfF\\])(?:#[^\r\n]*|\\\r?\n"
    rf"|{_PREFIX}'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"
    rf'|{_PREFIX}"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'
    rf"|{_PREFIX}'[^'\\\r\n]*(?:\\[\s\S][^'\\\r\n]*)*'"
    rf'|{_PREFIX}"[^"\\\r\n]*(?:\\[\s\S][^"\\\r\n]*)*")'
)
# the characters that could end a literal or a comment if a spec string were pasted unescaped
_BREAKOUT = re.compile(r"[\"'\\\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029#]")
_SPACE = re.compile(r"\s+")
_NOT_NEWLINE = re.compile(r"[^\n]")
_IDENTIFIERS = re.compile(r"[\w.]*")
MIN_FRAGMENT = 10


def spec_strings(data: Any) -> set[str]:
    """Every string in a loaded spec, keys included."""
    found: set[str] = set()
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            values: Any = node.values()
            found.update(key for key in node if isinstance(key, str))
        elif isinstance(node, list):
            values = node
        else:
            if isinstance(node, str):
                found.add(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        for value in values:  # strings at once: most values are
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, dict | list):
                stack.append(value)
    return found


def fragments(strings: set[str]) -> set[str]:
    """The pieces of spec strings that would land in code if a string broke out of its literal.

    Whitespace is dropped (formatting moves it); pieces shorter than MIN_FRAGMENT or made only of
    identifier characters are skipped, since sanitized names legitimately appear in code.
    """
    out: set[str] = set()
    for text in strings:
        if not _BREAKOUT.search(text):
            continue
        for piece in _BREAKOUT.split(text):
            compact = _SPACE.sub("", piece)
            if len(compact) >= MIN_FRAGMENT and not _IDENTIFIERS.fullmatch(compact):
                out.add(compact)
    return out


def code_text(source: str) -> str:
    """The source with every literal, comment and whitespace removed: what Python runs.

    `source` must parse (check_source makes sure first); then this one scan agrees with the tokenizer.
    """
    return _SPACE.sub("", _LITERAL_OR_COMMENT.sub(" ", source))


def blank_literals(source: str) -> str:
    """The source with every literal and comment turned to spaces, lines and offsets kept (`source` must parse)."""
    return _LITERAL_OR_COMMENT.sub(lambda m: _NOT_NEWLINE.sub(" ", m.group()), source)


def _bad_char(source: str) -> Iterator[tuple[int, int, str]]:
    for lineno, line in enumerate(source.split("\n"), start=1):
        if line.isprintable():
            continue
        for col, ch in enumerate(line, start=1):
            if not ch.isprintable():
                yield lineno, col, ch


def _compile(rel: str, source: str) -> None:
    try:
        compile(source, rel, "exec", dont_inherit=True)  # the compiler's checks too, faster than an ast
    except SyntaxError as exc:
        raise GenerationError(f"generated {rel}:{exc.lineno} does not parse ({exc.msg}); nothing was written") from None


def chunks(source: str) -> list[str]:
    """A large source cut before some of its statements (each cut at least CUT characters after the last, at a
    statement whose name picks it: an edit moves no cut but those near it): a top-level class or assignment, or a
    method of a top-level class after a blank line (no decorator above it). Each piece compiles on its own as the
    statements do together (a method's piece inside a stand-in class, `_compilable`); a cut inside a string leaves
    a piece that does not compile (the string's start is in the piece before)."""
    cuts = [0]
    for found in _CUT_LINE.finditer(source):
        name = found.group(1) or found.group(2) or found.group(3)
        if found.start() - cuts[-1] >= CUT and zlib.crc32(name.encode()) % 8 == 0:
            cuts.append(found.start())
    return [source[a:b] for a, b in zip(cuts, [*cuts[1:], len(source)], strict=True)]


def _compilable(piece: str) -> str:
    """A piece as it compiles on its own: a piece that starts inside a class (a method) in a stand-in class."""
    return "class _:\n" + piece if piece.startswith(" ") else piece


def _parses(rel: str, source: str, parts: list[str], known: Known | None) -> tuple[Verdicts, bool]:
    """Raise GenerationError unless `source` compiles. With `known` (what the cache holds for its pieces, `parts`),
    piece by piece, the known ones skipped; a piece that does not compile is settled by the whole. The verdicts
    of the pieces that compiled here on their own, to keep; and whether every piece compiled on its own (else a cut
    is inside a string, and the pieces are not the module's statements)."""
    if known is None:
        _compile(rel, source)
        return [], False
    verified: Verdicts = []
    for piece, key in zip(parts, known.parse_keys, strict=True):
        if key in known.parses:
            continue
        try:
            compile(_compilable(piece), rel, "exec", dont_inherit=True)
        except SyntaxError:
            _compile(rel, source)  # the error, placed in the whole (or none: a cut inside a string)
            return verified, False
        verified.append((key, b"ok"))
    return verified, True


def check_source(rel: str, source: str, pieces: set[str], known: Known | None = None) -> Verdicts:
    """Raise GenerationError when `source` does not parse, has raw control characters, or runs spec text
    (`known`: for a large file with a cache, what the cache holds for its `chunks`: the pieces that parsed are not
    parsed again, and those found free of these spec fragments are not searched again); the verdicts to keep
    once every file passed."""
    parts = chunks(source) if known is not None else []
    verified, cut = _parses(rel, source, parts, known)
    for lineno, col, ch in _bad_char(source):
        raise GenerationError(
            f"generated {rel}:{lineno}:{col}: raw control or invisible character U+{ord(ch):04X}; nothing was written"
        )
    by_piece = _spec_text_by_piece(rel, parts, pieces, known) if known is not None and cut else None
    if by_piece is None:
        _no_spec_text(rel, code_text(source), pieces)
        return verified
    return verified + by_piece


def _no_spec_text(
    rel: str, code: str, pieces: set[str], across: int | None = None, ends: Ends = (False, False)
) -> None:
    """Raise GenerationError when a spec fragment is in `code` (`across`: only one that reaches that offset, from
    either side or over it; `ends`: whether the code goes on before or after this part of it, where a fragment
    that reaches an end is left to the check across it)."""
    grams = {code[i : i + MIN_FRAGMENT] for i in range(len(code) - MIN_FRAGMENT + 1)}
    for piece in sorted(pieces):
        if piece[:MIN_FRAGMENT] in grams and _occurs(piece, code, across, ends):
            raise GenerationError(
                f"generated {rel}: spec text {piece[:60]!r} appears outside a string literal; nothing was written"
            )


def _spec_text_by_piece(rel: str, parts: list[str], pieces: set[str], known: Known) -> Verdicts | None:
    """The spec-text check of a large source by its `chunks`, `parts` (each compiled on its own): a piece the cache
    found free of these fragments is not searched again, and each cut is searched for the fragments that reach it, in
    the code at its two sides (EDGE characters each: a fragment is shorter). None when the pieces cannot stand
    for the whole: a fragment that long, or a piece in the middle with less code than that."""
    if any(len(piece) >= EDGE for piece in pieces):
        return None
    verified: Verdicts = []
    sides: list[tuple[str, tuple[str, str, int]]] = []
    for number, (piece, key) in enumerate(zip(parts, known.text_keys, strict=True)):
        ends = (number > 0, number < len(parts) - 1)
        found = known.texts.get(key)
        if found is None:
            code = code_text(piece)
            _no_spec_text(rel, code, pieces, ends=ends)
            found = (code[:EDGE], code[-EDGE:], len(code))
            verified.append((key, json.dumps(found).encode()))
        sides.append((key, found))
    if any(length < EDGE for _, (_, _, length) in sides[1:-1]):
        return None
    for (a, (_, tail, _)), (b, (head, _, _)) in itertools.pairwise(sides):
        key = _cut_key(a, b)
        if key not in known.cuts:
            _no_spec_text(rel, tail + head, pieces, across=len(tail))
            verified.append((key, b"ok"))
    return verified


Sides = list[tuple[str, str, int]]  # each piece's code at its two ends (EDGE characters) and its length


def can_split(pieces: set[str]) -> bool:
    """Whether a large source's spec-text check may go by its `chunks` for these fragments (none as long as
    EDGE: a cut's check looks that far to each side)."""
    return all(len(piece) < EDGE for piece in pieces)


def check_part(rel: str, source: str, pieces: set[str], part: int, parts: int) -> Sides | None:
    """One of `parts` slices of a large source's `chunks` checked as `check_source` checks them when nothing is
    cached (`can_split` must hold): each piece compiles on its own and holds no spec text away from its ends; the
    first slice also checks the whole source's characters. The slice's pieces' ends, for `settle_parts`; None when
    a piece does not compile on its own (the whole source then decides)."""
    cut = chunks(source)
    sides: Sides = []
    for number in range(len(cut) * part // parts, len(cut) * (part + 1) // parts):
        try:
            compile(_compilable(cut[number]), rel, "exec", dont_inherit=True)
        except SyntaxError:
            return None
        code = code_text(cut[number])
        _no_spec_text(rel, code, pieces, ends=(number > 0, number < len(cut) - 1))
        sides.append((code[:EDGE], code[-EDGE:], len(code)))
    for (_, tail, _), (head, _, _) in itertools.pairwise(sides):  # the cuts inside the slice (the code across a
        _no_spec_text(rel, tail + head, pieces, across=len(tail))  # cut is contiguous: a fragment found is there)
    for lineno, col, ch in _bad_char(source) if part == 0 else ():
        raise GenerationError(
            f"generated {rel}:{lineno}:{col}: raw control or invisible character U+{ord(ch):04X}; nothing was written"
        )
    return sides


def settle_parts(rel: str, source: str, pieces: set[str], found: list[Sides | None]) -> None:
    """The check `check_part`'s slices (in order) leave: the code across the cuts between them; or, when a piece
    did not compile on its own or one in the middle is too short to stand for its side of a cut, the whole
    source's check."""
    sides = [side for slice_ in found for side in slice_ or []]
    if any(slice_ is None for slice_ in found) or any(length < EDGE for _, _, length in sides[1:-1]):
        check_source(rel, source, pieces)
        return
    for before, after in itertools.pairwise(slice_ for slice_ in found if slice_):
        _no_spec_text(rel, before[-1][1] + after[0][0], pieces, across=len(before[-1][1]))


def _occurs(piece: str, code: str, across: int | None = None, ends: Ends = (False, False)) -> bool:
    """`piece` is in `code` as a whole: not the tail or head of a longer name (ISSUE_TEMPLATE in OP_X_TEMPLATE);
    `across` and `ends` as `_no_spec_text` says."""
    start = code.find(piece)
    while start != -1:
        end = start + len(piece)
        glued_before = piece[0].isidentifier() and start > 0 and (code[start - 1].isalnum() or code[start - 1] == "_")
        glued_after = (piece[-1].isalnum() or piece[-1] == "_") and end < len(code) and code[end].isidentifier()
        reaches = across is None or start <= across <= end
        left = (ends[0] and start == 0) or (ends[1] and end == len(code))
        if not glued_before and not glued_after and reaches and not left:
            return True
        start = code.find(piece, start + 1)
    return False


BIG = 512 * 1024  # files at least this large are checked in worker processes, side by side


CUT = 64 * 1024  # characters: a large file's parse verdicts are kept by pieces of at least this size (`chunks`)
_CUT_LINE = re.compile(r"^(?:class (\w+)|(\w+) = |(?<=\n\n)    (?:async )?def (\w+)\()", re.MULTILINE)
EDGE = 4096  # characters of code a piece's spec-text verdict keeps of each of its ends (for the cuts' checks)
Verdicts = list[tuple[str, bytes]]  # cache entries to store once every file has passed
Ends = tuple[bool, bool]  # whether the code goes on before and after a part of it


@dataclass(frozen=True)
class Known:
    """What the cache holds for a large file's `chunks`: each piece's parse verdict key (in order) and those it
    holds; each piece's spec-text verdict key for these fragments (in order) and those it holds, each with the
    piece's code at its two ends and the code's length; the cuts found clean. The keys are made once, where the
    file is read."""

    parse_keys: tuple[str, ...]
    parses: frozenset[str]
    text_keys: tuple[str, ...]
    texts: dict[str, tuple[str, str, int]]
    cuts: frozenset[str]


def _parsed_key(raw: bytes) -> str:
    return cache_key("parses", sys.version, hashlib.sha256(raw).digest())


def _text_key(piece: str, ends: Ends, digest: bytes) -> str:
    return cache_key("spec-text", sys.version, hashlib.sha256(piece.encode()).digest(), ends, digest)


def _cut_key(before: str, after: str) -> str:
    return cache_key("spec-text-cut", before, after)


def _digest(pieces: set[str]) -> bytes:
    return hashlib.sha256("\0".join(sorted(pieces)).encode()).digest()


def check_tree(root: Path, data: Any, cache: Cache | None = None) -> None:
    """Check every generated .py file under `root` against the spec `data` it was made from.

    With a cache, a source that parsed in an earlier run (the same bytes, the same Python) is not parsed again;
    every other check runs on every file, every time (they depend on the spec's strings).
    """
    with ExitStack() as stack:
        start_check_tree(root, data, cache, stack)()


def _source(path: Path, rel: str, cache: Cache | None, pieces: set[str]) -> tuple[str, Known | None]:
    """One generated file: its text and, for a large file with a cache, what the cache holds for its `chunks`
    (else None)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GenerationError(f"generated {rel} is not UTF-8; nothing was written") from None
    if cache is None or len(raw) < BIG:
        return text, None
    parts = chunks(text)
    digest = _digest(pieces)
    parse_keys = tuple(_parsed_key(_compilable(piece).encode()) for piece in parts)
    parses = frozenset(k for k in parse_keys if cache.get(k) == b"ok")
    keys = [_text_key(piece, (n > 0, n < len(parts) - 1), digest) for n, piece in enumerate(parts)]
    texts = {}
    for key in keys:
        try:
            head, tail, length = json.loads(cache.get(key) or b"null") or ("", "", -1)
        except ValueError:
            continue
        if length >= 0 and isinstance(head, str) and isinstance(tail, str) and isinstance(length, int):
            texts[key] = (head, tail, length)
    cuts = frozenset(k for k in (_cut_key(a, b) for a, b in itertools.pairwise(keys)) if cache.get(k) == b"ok")
    return text, Known(parse_keys, parses, tuple(keys), texts, cuts)


def check_file(root: Path, path: Path, pieces: set[str], cache: Cache | None, salt: str = "") -> Verdicts:
    """Check one generated file of the package `root` (`check_source`); the verdicts' keys to store once every
    file has passed: by piece, its parses, and the whole file's (the same bytes checked against the same spec
    fragments by the same generator, `salt`, pass again without a check)."""
    rel = path.relative_to(root.parent).as_posix()
    whole = ""
    if cache is not None:
        whole = cache_key("checked", sys.version, salt, rel, hashlib.sha256(path.read_bytes()).digest(), sorted(pieces))
        if cache.get(whole) == b"ok":
            return []
    text, known = _source(path, rel, cache, pieces)
    return [*check_source(rel, text, pieces, known), *([(whole, b"ok")] if whole else [])]


def start_check_tree(
    root: Path,
    data: Any,
    cache: Cache | None,
    stack: ExitStack,
    *,
    pieces: set[str] | None = None,
    skip: frozenset[Path] = frozenset(),
) -> Callable[[], None]:
    """`check_tree` begun (but for the files `skip`, checked apart with `check_file`; `pieces`: the spec's
    fragments, when the caller has them): the large files are parsed in worker processes (stopped when `stack`
    closes) while the caller goes on; the function returned checks the rest here, waits for the workers and
    raises what they found."""
    pieces = fragments(spec_strings(data)) if pieces is None else pieces
    files = []
    for path in sorted(p for p in root.rglob("*.py") if p not in skip):
        rel = path.relative_to(root.parent).as_posix()
        files.append((rel, *_source(path, rel, cache, pieces), pieces))
    big = [(rel, text, pieces, known) for rel, text, known, _ in files if len(text) >= BIG]  # in workers
    pending = stack.enter_context(workers.pool(len(big))).starmap_async(check_source, big) if big else None

    def finish() -> None:
        for rel, text, known, _ in files:
            if len(text) < BIG:
                check_source(rel, text, pieces, known)
        verdicts = [verdict for found in (pending.get() if pending is not None else []) for verdict in found]
        if cache is not None:  # (verdicts come only with a cache)
            for key, payload in verdicts:
                cache.put(key, payload)

    return finish
