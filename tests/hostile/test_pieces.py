"""A large YAML spec read by pieces with a cache reads exactly as when read whole: the same data in the same
order, every node at the same line:col, the same error for a broken edit; an edit parses only what it touched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import pieces
from generator.cache import Cache
from generator.errors import InputError
from generator.load import Document, load
from tests.bigspec import grouped_spec
from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "specs"
LARGE = [p for p in sorted(CORPUS.glob("*.yaml")) if p.stat().st_size >= pieces.BIG]


def _pointers(node: Any, path: list[str | int]) -> Iterator[list[str | int]]:
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _pointers(v, [*path, k])
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _pointers(v, [*path, i])


def _same(whole: Document, cut: Document) -> None:
    assert json.dumps(cut.data) == json.dumps(whole.data)  # the order of every mapping too
    for pointer in _pointers(whole.data, []):
        for key in (False, True):
            assert cut.locate(pointer, key=key) == whole.locate(pointer, key=key), (pointer, key)


def _big_yaml(tmp_path: Path) -> Path:
    spec = tmp_path / "api.yaml"
    spec.write_text(yaml.safe_dump(grouped_spec(60), sort_keys=False, width=100), encoding="utf-8")
    assert spec.stat().st_size >= pieces.BIG
    return spec


@pytest.mark.parametrize("spec", LARGE, ids=[p.name for p in LARGE])
def test_a_real_spec_reads_the_same_by_pieces_first_and_from_the_cache(spec: Path, tmp_path: Path) -> None:
    assert LARGE, "the corpus has large YAML specs"
    cache = Cache(tmp_path / "cache")
    whole = load(spec)
    first = load(spec, cache=cache)
    assert any(cache.root.glob("*/*")), "the pieces were stored"
    _same(whole, first)
    _same(whole, load(spec, cache=cache))


def test_an_edit_reads_the_same_and_parses_only_the_piece_it_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _big_yaml(tmp_path)
    cache = Cache(tmp_path / "cache")
    load(spec, cache=cache)
    text = spec.read_text(encoding="utf-8")
    at = text.index("\n      properties:\n") + len("\n      properties:\n")
    spec.write_text(text[:at] + "        added:\n          type: string\n" + text[at:], encoding="utf-8")
    parsed: list[str] = []
    real = pieces.positions.read

    def counted(piece: str, *, depth: int = 0) -> Any:
        parsed.append(piece)
        return real(piece, depth=depth)

    monkeypatch.setattr(pieces.positions, "read", counted)
    cut = load(spec, cache=cache)
    monkeypatch.undo()
    _same(load(spec), cut)
    assert len(parsed) == 1 and "added:" in parsed[0], [p[:40] for p in parsed]
    assert len(parsed[0]) < len(text) // 20  # one schema's piece, not the document


# Edits that a cut at a key-looking line could get wrong; the whole reader's verdict must stand.
TRICKY = {
    "a quoted scalar over a key-looking line": ('    description: "one\n    line: two"\n', None),
    "a flow mapping over lines": ("    example: {a: 1,\n    b: 2}\n", None),
    "a block scalar holding a key-looking line": ("    description: |\n      one\n      line: two\n", None),
    "a duplicate key in other pieces": ("    Pet:\n      type: string\n", "duplicate mapping key"),
    "a bad indentation": ("    broken: [\n", "invalid YAML"),
    "an anchor and an alias": ("    aliased: &a {type: string}\n    again: *a\n", None),
    "a tab": ("\tbad: 1\n", "invalid YAML"),
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_text_reads_as_the_whole_reader_reads_it(name: str, tmp_path: Path) -> None:
    spec = _big_yaml(tmp_path)
    cache = Cache(tmp_path / "cache")
    load(spec, cache=cache)
    text = spec.read_text(encoding="utf-8")
    at = text.index("\n  schemas:\n") + len("\n  schemas:\n")
    spec.write_text(text[:at] + TRICKY[name][0] + text[at:], encoding="utf-8")
    error = TRICKY[name][1]
    if error is None:
        _same(load(spec), load(spec, cache=cache))
        return
    with pytest.raises(InputError) as whole:
        load(spec)
    with pytest.raises(InputError) as cut:
        load(spec, cache=cache)
    assert str(cut.value) == str(whole.value)
    assert error in str(whole.value)


def test_a_damaged_cache_entry_reads_as_a_miss(tmp_path: Path) -> None:
    spec = _big_yaml(tmp_path)
    cache = Cache(tmp_path / "cache")
    load(spec, cache=cache)
    for entry in cache.root.glob("*/*"):
        entry.write_bytes(entry.read_bytes()[:-10] + b"0123456789")
    _same(load(spec), load(spec, cache=cache))
