"""The verify stage with the cache: only the parse of a large file is skipped, and only for the very bytes that
parsed before; a broken file, or spec text that runs, is refused every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from specfirst.cache import Cache
from specfirst.errors import GenerationError
from specfirst.verify import BIG, check_tree

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
