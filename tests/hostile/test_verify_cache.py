"""The verify stage with the cache: a large file's pieces that parsed before are not parsed again, and those found
free of the same spec fragments are not searched again (only the very bytes, and each cut between pieces is
searched for fragments that run across it); a broken file, or spec text that runs, is refused every time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specfirst.cache import Cache
from specfirst.errors import GenerationError
from specfirst.verify import BIG, check_part, check_source, check_tree, chunks, fragments, settle_parts

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
    pieces = chunks(BODY + "Y = 0 + os.system(1, 2, 3) + 0\n")
    assert len(_entries(tmp_path / "cache", "parses")) == len(pieces) > 1  # a parse verdict per piece
    check_tree(package, {"description": "nothing of this runs"}, cache)  # from the cache
    with pytest.raises(GenerationError, match="appears outside a string literal"):
        check_tree(package, {"description": 'a" + os.system(1, 2, 3) + "b'}, cache)


def test_a_large_source_that_does_not_parse_is_refused_every_time(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    package = _tree(tmp_path / "out", BODY + "def broken(:\n")
    for _ in range(2):
        with pytest.raises(GenerationError, match="does not parse"):
            check_tree(package, {}, cache)
    assert not _entries(tmp_path / "cache")
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


def _entries(cache: Path, kind: str = "") -> set[Path]:
    found = {p for p in cache.glob("*/*") if not p.name.startswith(".tmp-")}
    return {p for p in found if not kind or p.name.rsplit("-", 1)[0] == kind}


def test_a_large_source_is_parsed_again_only_where_it_changed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    source = _classes(400)
    assert len(source) >= BIG and len(chunks(source)) >= 5
    assert "".join(chunks(source)) == source
    check_tree(_tree(tmp_path / "out", source), {}, cache)
    first = _entries(tmp_path / "cache", "parses")
    assert len(first) == len(chunks(source))  # a verdict per piece
    edited = source.replace("class C200:\n", "class C200:\n    note = 1\n")
    check_tree(_tree(tmp_path / "out", edited), {}, cache)
    assert 1 <= len(_entries(tmp_path / "cache", "parses") - first) <= 2  # the piece edited (and a neighbour, if
    # a cut moved)
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


def _cut_after(source: str) -> int:
    """The number of the class that begins the second piece of `source`."""
    return int(chunks(source)[1].split(":", 1)[0].removeprefix("class C"))


def test_spec_text_an_edit_makes_across_a_cut_is_found_though_the_piece_after_it_is_cached(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    source = _classes(400) + "Y = 0\n"
    after = _cut_after(source)
    spec = {"description": f'a"int=18class C{after}:field_0'}  # the spec's fragment: int=18classC<after>:field_0
    check_tree(_tree(tmp_path / "out", source), spec, cache)  # nowhere yet: the class before ends with int = 19
    texts = _entries(tmp_path / "cache", "spec-text")
    assert len(texts) == len(chunks(source))  # a spec-text verdict per piece
    assert len(_entries(tmp_path / "cache", "spec-text-cut")) == len(texts) - 1  # and per cut
    last = f"    field_19: int = 19  # padding to make the class larger than a line or two\n\n\nclass C{after}:"
    edited = source.replace(last, last.replace("= 19", "= 18"))
    assert edited != source and chunks(edited)[1:] == chunks(source)[1:]  # the piece after the cut is unchanged
    for cached in (None, cache):
        with pytest.raises(GenerationError, match="appears outside a string literal"):
            check_tree(_tree(tmp_path / "out", edited), spec, cached)


def test_spec_text_that_ends_at_a_cut_is_judged_with_the_code_after_it(tmp_path: Path) -> None:
    source = _classes(400).replace("\n\n\n", "\n    x: int = 1234567890\n\n\n") + "Y = 0\n"
    spec = {"description": 'a"=1234567890'}  # ends every class, but glued to the next class's name (and to Y)
    for cache in (None, Cache(tmp_path / "cache"), Cache(tmp_path / "cache")):
        check_tree(_tree(tmp_path / "out", source), spec, cache)
    unglued = source.replace("Y = 0\n", "")  # at the very end, followed by nothing: runs
    with pytest.raises(GenerationError, match="appears outside a string literal"):
        check_tree(_tree(tmp_path / "out", unglued), spec, Cache(tmp_path / "cache"))


def test_a_large_client_is_cut_between_its_methods_too(tmp_path: Path) -> None:
    pad = "pad " * 20
    methods = "".join(
        f'\n    def op_{i}(self, x: int) -> int:\n        """Operation {i}."""\n        return x + {i}  # {pad}\n'
        for i in range(3000)
    )
    source = f'class Client:\n    """The client."""\n{methods}\n\nclass AsyncClient:\n    x = 1\n{methods}'
    pieces = chunks(source)
    assert len(pieces) >= 5 and "".join(pieces) == source
    assert sum(piece.startswith("    def ") for piece in pieces) >= 4  # cut between methods, not only at classes
    cache = Cache(tmp_path / "cache")
    check_tree(_tree(tmp_path / "out", source), {}, cache)
    first = _entries(tmp_path / "cache", "parses")
    assert len(first) == len(pieces)  # each piece compiled on its own (a method's inside a stand-in class)
    edited = source.replace("return x + 1500  #", "return x - 1500  #")
    check_tree(_tree(tmp_path / "out", edited), {}, cache)
    assert 1 <= len(_entries(tmp_path / "cache", "parses") - first) <= 2
    broken = source.replace("return x + 1500  #", "return x +  #")
    with pytest.raises(GenerationError, match="does not parse"):
        check_tree(_tree(tmp_path / "out", broken), {}, cache)


def _verdict(check: Callable[[], object]) -> str:
    try:
        check()
    except GenerationError as exc:
        return str(exc).split(";")[0].split(" ", 2)[-1]  # what was wrong, without where
    return "passed"


def _by_slices(rel: str, source: str, pieces: set[str], parts: int) -> None:
    settle_parts(rel, source, pieces, [check_part(rel, source, pieces, part, parts) for part in range(parts)])


def _with_fragment_across(source: str, piece: int) -> tuple[str, set[str]]:
    """`source` with spec text that runs across the cut before its `piece`-th piece, and the spec's fragments."""
    name = int(chunks(source)[piece].split(":", 1)[0].removeprefix("class C"))
    last = f"    field_19: int = 19  # padding to make the class larger than a line or two\n\n\nclass C{name}:"
    edited = source.replace(last, last.replace("= 19", "= 18"))
    return edited, fragments({f'a"int=18class C{name}:field_0'})


def test_a_large_source_checked_by_slices_side_by_side_gets_the_whole_source_s_verdict() -> None:
    source = _classes(400) + "Y = 0\n"
    count = len(chunks(source))
    assert count >= 6
    cases = [(source, set()), (source + "def broken(:\n", set()), ('TEXT = """\n' + source + '"""\n', set())]
    cases.append((source.replace("Y = 0", "Y = '\u202e'"), set()))  # an invisible character
    for piece in (1, count // 2, count // 3, count - 1):  # inside a slice, and where two slices meet
        cases.append(_with_fragment_across(source, piece))
    spec_text = source.replace("\n\n\n", "\n    x: int = 1234567890\n\n\n")
    cases += [(spec_text, fragments({'a"=1234567890'})), (spec_text + "Z = 1234567890\n", fragments({'a"=1234567890'}))]
    verdicts = []
    for text, pieces in cases:
        whole = _verdict(lambda: check_source("pkg/models.py", text, pieces))  # noqa: B023 (called at once)
        for parts in (2, 3):
            assert _verdict(lambda: _by_slices("pkg/models.py", text, pieces, parts)) == whole  # noqa: B023
        verdicts.append(whole)
    assert verdicts.count("passed") == 3 and "raw control or invisible character U+202E" in verdicts
    assert sum("appears outside a string literal" in v for v in verdicts) == 4 + 1
    assert sum("does not parse" in v for v in verdicts) == 1


_HALVES: list[Path] = []  # where `_noting_part` notes each slice checked (a file: the model workers are forked)


def _noting_part(*args: object) -> object:
    """`pipeline._check_part`, noted (a module's function: the pool sends it to a worker by name)."""
    from specfirst import pipeline

    with _HALVES[0].open("a", encoding="utf-8") as log:
        log.write(f"{args[3]}\n")
    return pipeline._real_check_part(*args)  # type: ignore[attr-defined]


def test_a_cold_run_checks_a_large_models_file_by_halves_and_refuses_spec_text_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from specfirst import cli, pipeline, render, verify
    from tests.bigspec import grouped_spec

    monkeypatch.setattr(verify, "BIG", 16 * 1024)  # this document's models.py is large
    monkeypatch.setattr(verify, "CUT", 4 * 1024)
    _HALVES[:] = [tmp_path / "halves.txt"]
    monkeypatch.setattr(pipeline, "_real_check_part", pipeline._check_part, raising=False)
    monkeypatch.setattr(pipeline, "_check_part", _noting_part)
    real_models = render.models_file
    document = grouped_spec()
    spec = tmp_path / "groups.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    assert cli.main(["generate", str(spec), "--out", str(tmp_path / "out"), "--no-cache"]) == 0, capsys.readouterr()
    assert sorted(_HALVES[0].read_text(encoding="utf-8").split()) == ["0", "1"]
    # a generator bug that lets spec text run in models.py: refused, nothing written
    document["info"]["description"] = 'Breaks out: " + os.system("id") + "'
    spec.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(
        render, "models_file", lambda source: real_models(source) + '\nLEAKED = 1 + os.system("id") + 1\n'
    )
    assert cli.main(["generate", str(spec), "--out", str(tmp_path / "bad"), "--no-cache"]) != 0
    assert "appears outside a string literal" in capsys.readouterr().err
    assert not list((tmp_path / "bad").iterdir())  # the folder is made first, then left as it was: empty
