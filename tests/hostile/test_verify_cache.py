"""The verify stage with the cache: only the parse of a large file is skipped, and only for the very bytes that
parsed before; a broken file, or spec text that runs, is refused every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from specfirst.cache import Cache
from specfirst.errors import GenerationError
from specfirst.verify import BIG, check_tree, chunks

BODY = "".join(f"FIELD_{i} = {i}  # padding to make the file large\n" for i in range(BIG // 40))


def _tree(root: Path, models: str, client: str = "X = 1\n") -> Path:
    package = root / "pkg"
    package.mkdir(parents=True, exist_ok=True)
    (package / "models.py").write_text(models, encoding="utf-8")
    (package / "client.py").write_text(client, encoding="utf-8")
    return package


def test_a_large_source_that_parsed_is_not_parsed_again_but_still_checked(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    package = _tree(tmp_path / "out", BODY + "Y = 0 + os.system(1, 2, 3) + 0\n")
    assert len(BODY) >= BIG
    check_tree(package, {"description": "nothing of this runs"}, cache)
    assert len(list((tmp_path / "cache").glob("*/*"))) == 1  # one verdict stored: the large file parsed
    check_tree(package, {"description": "nothing of this runs"}, cache)  # from the cache
    with pytest.raises(GenerationError, match="appears outside a string literal"):
        check_tree(package, {"description": 'a" + os.system(1, 2, 3) + "b'}, cache)


def test_a_large_source_that_does_not_parse_is_refused_every_time(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    package = _tree(tmp_path / "out", BODY + "def broken(:\n")
    for _ in range(2):
        with pytest.raises(GenerationError, match="does not parse"):
            check_tree(package, {}, cache)
    assert not list((tmp_path / "cache").glob("*/*"))
    package = _tree(tmp_path / "out", BODY + "X = 2\n")  # a valid version is stored, then the same size broken
    check_tree(package, {}, cache)
    package = _tree(tmp_path / "out", BODY + "X = (\n")
    with pytest.raises(GenerationError, match="does not parse"):
        check_tree(package, {}, cache)


def _classes(count: int) -> str:
    """A large module of `count` classes (about 1.6 KB each), so that it is kept in several pieces."""
    pad = "".join(
        f"    field_{i}: int = {i}  # padding to make the class larger than a line or two\n" for i in range(20)
    )
    return "".join(f"class C{i}:\n{pad}\n\n" for i in range(count))


def _entries(cache: Path) -> set[Path]:
    return {p for p in cache.glob("*/*") if not p.name.startswith(".tmp-")}


def test_a_large_source_is_parsed_again_only_where_it_changed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    source = _classes(400)
    assert len(source) >= BIG and len(chunks(source)) >= 5
    assert "".join(chunks(source)) == source
    check_tree(_tree(tmp_path / "out", source), {}, cache)
    first = _entries(tmp_path / "cache")
    assert len(first) == len(chunks(source))  # a verdict per piece
    edited = source.replace("class C200:\n", "class C200:\n    note = 1\n")
    check_tree(_tree(tmp_path / "out", edited), {}, cache)
    assert 1 <= len(_entries(tmp_path / "cache") - first) <= 2  # the piece edited (and a neighbour, if a cut moved)
    # a piece that does not parse is refused, at its line in the whole file, whatever the other pieces' verdicts
    broken = source.replace("class C300:\n", "class C300:\n    def (:\n")
    line = broken.split("\n").index("    def (:") + 1
    with pytest.raises(GenerationError, match=rf"pkg/models.py:{line} does not parse"):
        check_tree(_tree(tmp_path / "out", broken), {}, cache)


def test_a_cut_inside_a_string_is_settled_by_the_whole(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    source = 'TEXT = """\n' + _classes(400) + '"""\n'  # every class line is inside one string
    assert len(chunks(source)) >= 5
    for _ in range(2):
        check_tree(_tree(tmp_path / "out", source), {}, cache)  # the pieces do not compile, the whole does
    with pytest.raises(GenerationError, match="does not parse"):
        check_tree(_tree(tmp_path / "out", source + "def (:\n"), {}, cache)
