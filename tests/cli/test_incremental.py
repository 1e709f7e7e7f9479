"""With the cache, a regeneration after an edit writes exactly what a cold run writes (real edits, real document)."""

from __future__ import annotations

import ast
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.bigspec import grouped_spec
from tests.conftest import ROOT, run_specfirst

SPOTIFY = ROOT.parent / "shared" / "specs" / "spotify.yaml"
NEW_OPERATION = """  /albums/{id}/credits:
    get:
      operationId: get-album-credits
      tags:
      - Albums
      summary: Get Album Credits
      parameters:
      - $ref: "#/components/parameters/PathAlbumId"
      responses:
        "200":
          $ref: "#/components/responses/OneAlbum"
"""
# (name, text replaced, replacement): each a kind of edit people make to a large document
EDITS = [
    (
        "property added to one component schema",
        "    ArtistObject:\n      type: object\n      x-spotify-docs-type: ArtistObject\n      properties:\n",
        "    ArtistObject:\n      type: object\n      x-spotify-docs-type: ArtistObject\n      properties:\n"
        "        loyalty_tier:\n          type: string\n          description: A new property.\n",
    ),
    (
        "descriptions only",
        "        Get Spotify catalog information for a single album.\n",
        "        Get Spotify catalog information for one album (edited).\n",
    ),
    (
        "description of a component schema's property",
        "            Information about the followers of the artist.\n",
        '            Information about the\n            """followers""" \\ of the artist.\n',
    ),
    ("new operation", "  /albums:\n    get:\n", NEW_OPERATION + "  /albums:\n    get:\n"),
    (
        "enum value added",
        "          - market\n          - product\n",
        "          - market\n          - region\n          - product\n",
    ),
]


def _cached(cache: Path) -> dict[str, str]:
    return {"SPECFIRST_NO_CACHE": "", "SPECFIRST_CACHE_DIR": str(cache)}


def _generate(spec: Path, out: Path, env: dict[str, str] | None = None, *extra: str) -> str:
    done = run_specfirst("generate", str(spec), "--out", str(out), *extra, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _entries(cache: Path, *kinds: str) -> list[Path]:
    """The cache's entries (of these kinds: `models` runs, `merged` groups, `valid` verdicts...)."""
    found = (p for p in cache.glob("*/*") if not p.name.startswith(".tmp-"))
    return sorted(p for p in found if not kinds or p.name.rsplit("-", 1)[0] in kinds)


def _field_description(models: Path, model: str, field: str) -> object:
    """The `description=` a model's field gives `Field(...)` in a generated models module, as Python reads it."""
    for node in ast.walk(ast.parse(models.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef) and node.name == model:
            for statement in node.body:
                if isinstance(statement, ast.AnnAssign) and ast.unparse(statement.target) == field:
                    for call in ast.walk(statement.annotation):
                        for keyword in call.keywords if isinstance(call, ast.Call) else []:
                            if keyword.arg == "description":
                                return ast.literal_eval(keyword.value)
    return None


def _spotify_generated(tmp_path: Path, out: Path) -> tuple[Path, str, Path]:
    """A copy of Spotify's document generated into `out` with a cache: the copy, its text, the cache folder."""
    spec = tmp_path / "spotify.yaml"
    text = SPOTIFY.read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    _generate(spec, out, _cached(tmp_path / "cache"))
    return spec, text, tmp_path / "cache"


def test_edits_to_a_real_document_regenerate_as_a_cold_run_would(tmp_path: Path) -> None:
    out = tmp_path / "incremental"
    spec, text, cache = _spotify_generated(tmp_path, out)
    assert len(_entries(cache, "models")) == len(_entries(cache, "valid")) == 1  # the one group's models, the verdict
    for name, old, new in EDITS:
        assert text.count(old) == 1, name
        text = text.replace(old, new)
        spec.write_text(text, encoding="utf-8")
        assert "spotify: written" in _generate(spec, out, _cached(cache)), name
        cold = _generate(spec, tmp_path / name.replace(" ", "-"), None, "--no-cache")
        assert "spotify: written" in cold
        assert _tree(out) == _tree(tmp_path / name.replace(" ", "-")), name
    # the edited description is in the models, as a string that reads back as the spec's text
    assert _field_description(out / "spotify" / "models.py", "ArtistObject", "followers") == (
        'Information about the\n"""followers""" \\ of the artist.\n'
    )
    # the model cache was reused where the schemas changed in no more than descriptions (of operations, of a
    # schema's property), or did not change (a new operation): three model runs in all; the verdict was reused
    # where only descriptions changed: four verdicts (the first, the property, the operation, the enum value)
    assert (len(_entries(cache, "models")), len(_entries(cache, "valid"))) == (3, 4)


def _grouped_generated(tmp_path: Path) -> tuple[dict[str, Any], Path, Path, Path]:
    """The grouped document, generated with a cache: the document, its file, the cache folder, the output."""
    document = grouped_spec()
    spec = tmp_path / "groups.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    cache, out = tmp_path / "cache", tmp_path / "out"
    _generate(spec, out, _cached(cache))
    return document, spec, cache, out


def test_a_grouped_document_reuses_the_unchanged_group_and_ignores_a_damaged_entry(tmp_path: Path) -> None:
    document, spec, cache, out = _grouped_generated(tmp_path)
    first = _entries(cache, "models", "merged", "valid")
    groups = len(_entries(cache, "models"))  # one entry per group, their merge, and the document's verdict
    assert groups >= 4 and len(first) == groups + 2
    parts = _entries(cache, "part")  # each group's part of the merge (its renames made)
    assert len(parts) == groups
    for entry in first:
        os.utime(entry, (1e9, 1e9))
    # one property more in a schema every other of its family references (through a ring of groups): its group
    # runs again, the others are read from the cache (and so touched): their stubs of it are unchanged
    document["components"]["schemas"]["Order3"]["properties"]["note"] = {"type": "string"}
    spec.write_text(json.dumps(document), encoding="utf-8")
    _generate(spec, out, _cached(cache))
    assert len(_entries(cache, "models", "merged", "valid")) == len(first) + 3  # the changed group's, merge, verdict
    assert len([e for e in _entries(cache, "models") if e in first and e.stat().st_mtime > 1e9]) == groups - 1
    assert len(set(_entries(cache, "part")) - set(parts)) == 1  # the others' parts of the merge were reused
    entries = _entries(cache)
    _generate(spec, tmp_path / "cold", None, "--no-cache")
    assert _tree(out) == _tree(tmp_path / "cold")
    # damaged entries (a bit flipped, a truncated file) are misses: the groups run again, same output
    for number, entry in enumerate(entries):
        raw = bytearray(entry.read_bytes())
        raw[-10] ^= 1
        entry.write_bytes(bytes(raw) if number % 2 else bytes(raw[:100]))
    shutil.rmtree(out)
    _generate(spec, out, _cached(cache))
    assert _tree(out) == _tree(tmp_path / "cold")


def test_no_cache_and_the_environment_turn_the_cache_off(tmp_path: Path) -> None:
    spec = tmp_path / "groups.json"
    spec.write_text(json.dumps(grouped_spec(20)), encoding="utf-8")
    cache = tmp_path / "cache"
    _generate(spec, tmp_path / "a", _cached(cache), "--no-cache")
    _generate(spec, tmp_path / "b", {**_cached(cache), "SPECFIRST_NO_CACHE": "1"})
    assert not cache.exists()
    _generate(spec, tmp_path / "c", _cached(cache))
    assert len(_entries(cache, "models")) == len(_entries(cache, "valid")) == 1  # the models and the verdict
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b") == _tree(tmp_path / "c")


def test_a_verdict_is_reused_for_description_edits_only(tmp_path: Path) -> None:
    spec = tmp_path / "spotify.yaml"
    text = SPOTIFY.read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    _generate(spec, tmp_path / "out", _cached(cache))
    before = _entries(cache, "models", "valid")
    old = "            Known external URLs for this artist.\n"
    assert old in text
    # new words: the document is not validated again (no new verdict), and the output is a cold run's
    spec.write_text(text.replace(old, "            Known URLs of this artist, elsewhere.\n"), encoding="utf-8")
    _generate(spec, tmp_path / "out", _cached(cache))
    assert _entries(cache, "models", "valid") == before
    _generate(spec, tmp_path / "cold", None, "--no-cache")
    assert _tree(tmp_path / "out") == _tree(tmp_path / "cold")
    # a description that is no longer text is an invalid document: validated again, and refused
    broken = text.replace("          description: |\n" + old, "          description: [not, text]\n", 1)
    assert broken != text
    spec.write_text(broken, encoding="utf-8")
    done = run_specfirst("generate", str(spec), "--out", str(tmp_path / "out"), env=_cached(cache))
    assert done.returncode == 1, done.stderr
    assert "['not', 'text'] is not of type 'string'" in done.stderr, done.stderr
    assert _tree(tmp_path / "out") == _tree(tmp_path / "cold")  # nothing written


def _refuse(*args: object) -> object:
    raise RuntimeError("the model generator ran")


def test_docs_alone_take_their_model_runs_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from specfirst import cli, modelsplit

    cache = tmp_path / "cache"
    _generate(SPOTIFY, tmp_path / "out", _cached(cache))
    monkeypatch.setattr(modelsplit, "_work", _refuse)  # forked model workers inherit it
    monkeypatch.setenv("SPECFIRST_CACHE_DIR", str(cache))
    monkeypatch.delenv("SPECFIRST_NO_CACHE", raising=False)
    monkeypatch.delenv("SPECFIRST_DEBUG", raising=False)
    assert cli.main(["docs", str(SPOTIFY), "--out", str(tmp_path / "alone")]) == 0, capsys.readouterr().err
    assert _tree(tmp_path / "alone") == _tree(tmp_path / "out" / "docs")
    assert cli.main(["docs", str(SPOTIFY), "--out", str(tmp_path / "cold"), "--no-cache"]) == 3
    assert "RuntimeError" in capsys.readouterr().err  # without the cache the model generator runs


def test_only_the_files_that_changed_are_formatted_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec, text, cache = _spotify_generated(tmp_path, out)
    python = [name for name in _tree(out / "spotify") if name.endswith(".py")]
    formatted = _entries(cache, "ruff")
    assert len(formatted) == len(python)  # each file's formatting stored
    before = _tree(out / "spotify")
    old, new = EDITS[1][1:]
    spec.write_text(text.replace(old, new), encoding="utf-8")
    _generate(spec, out, _cached(cache))
    after = _tree(out / "spotify")
    changed = [name for name in python if after[name] != before[name]]
    assert changed == ["client.py"], changed
    assert len(_entries(cache, "ruff")) == len(formatted) + len(changed)  # the others were not formatted again
    _generate(spec, tmp_path / "cold", None, "--no-cache")
    assert _tree(out) == _tree(tmp_path / "cold")


def test_a_package_whose_client_model_is_unchanged_is_not_rendered_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec, text, cache = _spotify_generated(tmp_path, out)
    rendered = _entries(cache, "package")
    assert len(rendered) == 1  # the package's files, by its client model
    before = _tree(out / "spotify")
    old, new = EDITS[0][1:]  # a property added to a component schema: the models change, the client does not
    spec.write_text(text.replace(old, new), encoding="utf-8")
    _generate(spec, out, _cached(cache))
    after = _tree(out / "spotify")
    assert after["models.py"] != before["models.py"] and after["client.py"] == before["client.py"]
    assert _entries(cache, "package") == rendered  # read back, not rendered again
    _generate(spec, tmp_path / "cold", None, "--no-cache")
    assert _tree(out) == _tree(tmp_path / "cold")


def test_compiled_templates_are_kept_loaded_and_a_damaged_one_compiled_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec, text, cache = _spotify_generated(tmp_path, out)
    compiled = {p.name: p.stat().st_ino for p in _entries(cache, "template")}
    assert len(compiled) >= 10  # the client's templates and the docs' (their pages, Markdown and samples)
    old, new = EDITS[1][1:]  # a description: the client and the docs are rendered again
    spec.write_text(text.replace(old, new), encoding="utf-8")
    _generate(spec, out, _cached(cache))
    assert {p.name: p.stat().st_ino for p in _entries(cache, "template")} == compiled  # loaded, not stored again
    for entry in _entries(cache, "template"):
        entry.write_bytes(b"damaged")
    old2, new2 = EDITS[2][1:]
    spec.write_text(text.replace(old, new).replace(old2, new2), encoding="utf-8")
    _generate(spec, out, _cached(cache))
    again = {p.name: p.read_bytes() for p in _entries(cache, "template")}
    assert again.keys() == compiled.keys()
    assert sum(payload != b"damaged" for payload in again.values()) >= 10  # those rendered: compiled, stored anew
    _generate(spec, tmp_path / "cold", None, "--no-cache")
    assert _tree(out) == _tree(tmp_path / "cold")


def test_an_edit_outside_the_components_reuses_the_whole_models_module(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec, text, cache = _spotify_generated(tmp_path, out)
    assert len(_entries(cache, "modelset")) == 1  # the document's whole models module, by its components
    for entry in _entries(cache):
        os.utime(entry, (1e9, 1e9))
    old, new = EDITS[1][1:]  # an operation's description: the components are the same
    text = text.replace(old, new)
    spec.write_text(text, encoding="utf-8")
    _generate(spec, out, _cached(cache))
    touched = {p.name.rsplit("-", 1)[0] for p in _entries(cache) if p.stat().st_mtime > 1e9}
    assert "modelset" in touched and not touched & {"models", "merged"}  # no group looked up, nothing merged
    _generate(spec, tmp_path / "cold", None, "--no-cache")
    assert _tree(out) == _tree(tmp_path / "cold")
    old, new = EDITS[2][1:]  # a component schema's property description: its group's run is looked up again
    spec.write_text(text.replace(old, new), encoding="utf-8")
    _generate(spec, out, _cached(cache))
    assert len(_entries(cache, "modelset")) == 2
    assert any(p.stat().st_mtime > 1e9 for p in _entries(cache, "models"))
    _generate(spec, tmp_path / "cold2", None, "--no-cache")
    assert _tree(out) == _tree(tmp_path / "cold2")


def _linked_spec(item_type: str) -> dict[str, object]:
    """A document whose Order model's docs show its Item (sketch and field types) and Item's own property."""
    item = {"type": "object", "properties": {"sku": {"type": item_type, "description": "Stock keeping unit."}}}
    order = {"type": "object", "properties": {"item": {"$ref": "#/components/schemas/Item"}}}
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
    ok = {"description": "The order.", "content": body}
    operation = {"operationId": "getOrder", "description": "One order.", "responses": {"200": ok}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Orders", "version": "1"},
        "paths": {"/orders": {"get": operation}},
        "components": {"schemas": {"Order": order, "Item": item}},
    }


def test_the_docs_take_a_model_from_the_cache_only_when_all_it_reads_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from specfirst import cli
    from specfirst.docs.schemas import Schemas

    spec, cache = tmp_path / "orders.json", tmp_path / "cache"
    monkeypatch.setenv("SPECFIRST_CACHE_DIR", str(cache))
    monkeypatch.delenv("SPECFIRST_NO_CACHE", raising=False)
    monkeypatch.delenv("SPECFIRST_DEBUG", raising=False)

    def docs(document: dict[str, object], out: str, *extra: str) -> dict[str, bytes]:
        spec.write_text(json.dumps(document), encoding="utf-8")
        assert cli.main(["docs", str(spec), "--out", str(tmp_path / out), *extra]) == 0, capsys.readouterr().err
        return _tree(tmp_path / out)

    made: list[str] = []
    make = Schemas._model
    monkeypatch.setattr(Schemas, "_model", lambda self, name, *a: made.append(name) or make(self, name, *a))
    docs(_linked_spec("string"), "first")
    assert sorted(made) == ["Item", "Order"] and _entries(cache, "docmodels")
    # Item's property changes type: Order reads Item (its sketch shows Item's), so both are made again
    made.clear()
    edited = _linked_spec("integer")
    assert docs(edited, "edited") == docs(edited, "cold", "--no-cache")
    assert sorted(set(made)) == ["Item", "Order"]
    assert '"sku": 0' in (tmp_path / "edited" / "orders.md").read_text(encoding="utf-8")
    # an operation's description changes: no model read anything that did, none is made again
    made.clear()
    described = _linked_spec("integer")
    described["paths"]["/orders"]["get"]["description"] = "One order, by id."  # type: ignore[index]
    assert docs(described, "described") != docs(edited, "unchanged")
    assert made == []
    assert docs(described, "described-cold", "--no-cache") == _tree(tmp_path / "described")


def test_the_model_worker_forked_ahead_warms_up_unless_only_descriptions_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from specfirst import modelsplit
    from specfirst.cache import Cache

    warmed: list[str] = []
    monkeypatch.setattr(modelsplit, "warm_up", lambda: warmed.append("warm"))
    cache, spec = Cache(tmp_path / "cache"), tmp_path / "spotify.yaml"
    text = SPOTIFY.read_text(encoding="utf-8")
    steps = [
        ("first run: nothing noted", text, True),
        ("the same text", text, False),
        ("an operation's description", text := text.replace(*EDITS[1][1:]), False),
        ("a property's description, over lines", text := text.replace(*EDITS[2][1:]), False),
        ("a property added", text := text.replace(*EDITS[0][1:]), True),
        ("an enum value added", text.replace(*EDITS[4][1:]), True),
    ]
    for name, new, warms in steps:
        spec.write_text(new, encoding="utf-8")
        warmed.clear()
        modelsplit._warm_unless_described(cache, "salt", [spec])
        assert warmed == (["warm"] if warms else []), name


def test_a_large_file_is_cut_into_pieces_only_where_ruff_formats_each_alone() -> None:
    from specfirst.format import PIECE, pieces

    def classes(names: list[str], before: str = "") -> str:
        body = "    x: int = 1\n" * (PIECE // 16)
        return "".join(f"{before}class {name}:\n{body}\n\n" for name in names)

    names = [f"Model{n}" for n in range(40)]
    text = "from __future__ import annotations\n\n\n" + classes(names)
    cut = pieces(text)
    assert cut is not None and 4 < len(cut) < len(names)  # a cut at about one class in four
    assert "\n\n".join(cut) == text  # (this text has two blank lines before each class, as the formatter puts)
    assert all(piece.startswith("class ") for piece in cut[1:]) and cut[0].startswith("from __future__")
    # an edit in one class moves no cut but its own piece's
    edited = pieces(text.replace("class Model17:\n", "class Model17:\n    added: str = ''\n"))
    assert edited is not None and sum(a != b for a, b in zip(cut, edited, strict=True)) == 1
    # a comment or a decorator above a class belongs to it: no cut there; a `fmt:` directive: no pieces
    assert pieces(text.replace("\n\nclass ", "\n# note\nclass ")) is None
    assert pieces(text.replace("\n\nclass ", "\n@final\n\nclass ")) is None
    assert pieces(text + "# fmt: off\n") is None
    assert pieces(classes(names[:2])) is None  # too short to cut


def test_an_edit_formats_again_only_the_pieces_of_a_large_file_it_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from specfirst import cli
    from specfirst import format as formatting

    monkeypatch.setattr(formatting, "LARGE", 16 * 1024)  # this document's models.py is cut into pieces
    monkeypatch.setattr(formatting, "PIECE", 2 * 1024)
    monkeypatch.setenv("SPECFIRST_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SPECFIRST_NO_CACHE", raising=False)
    monkeypatch.delenv("SPECFIRST_DEBUG", raising=False)
    document = grouped_spec()
    spec = tmp_path / "groups.json"
    spec.write_text(json.dumps(document), encoding="utf-8")

    def generate(out: str, *extra: str) -> dict[str, bytes]:
        assert cli.main(["generate", str(spec), "--out", str(tmp_path / out), *extra]) == 0, capsys.readouterr().err
        return _tree(tmp_path / out)

    generate("out")
    first = _entries(tmp_path / "cache", "ruff-piece")
    assert len(first) >= 4
    document["components"]["schemas"]["Order3"]["description"] += " Edited."
    spec.write_text(json.dumps(document), encoding="utf-8")
    assert generate("out") == generate("cold", "--no-cache")
    assert len(_entries(tmp_path / "cache", "ruff-piece")) == len(first) + 1  # the piece that holds Order3


def test_a_description_edit_takes_the_models_import_fixes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from specfirst import cli
    from specfirst import format as formatting

    ran = tmp_path / "ruff-runs.txt"  # each ruff run's arguments, from any process (the model workers are forked)
    real = formatting._run

    def noting(root: Path, args: list[str]) -> None:
        with ran.open("a", encoding="utf-8") as log:
            log.write(" ".join(args) + "\n")
        real(root, args)

    monkeypatch.setattr(formatting, "_run", noting)
    monkeypatch.setenv("SPECFIRST_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SPECFIRST_NO_CACHE", raising=False)
    document = grouped_spec()
    for number in (3, 7):  # a description of its own (equal texts share a token: an edit to one would renumber)
        document["components"]["schemas"][f"Order{number}"]["description"] = f"Order number {number}."
    spec = tmp_path / "groups.json"

    def generate(out: str, *extra: str) -> dict[str, bytes]:
        spec.write_text(json.dumps(document), encoding="utf-8")
        ran.write_text("", encoding="utf-8")
        assert cli.main(["generate", str(spec), "--out", str(tmp_path / out), *extra]) == 0, capsys.readouterr().err
        return _tree(tmp_path / out)

    def import_fixes_of_models() -> int:
        lines = ran.read_text(encoding="utf-8").splitlines()
        return sum(line.startswith("check ") and "/models.py" in line for line in lines)  # its path

    generate("out")
    assert import_fixes_of_models() == 1
    fixes = _entries(tmp_path / "cache", "ruff-imports")
    assert len(fixes) == 1 and fixes[0].stat().st_size < 4096  # the head of the module: its imports alone
    for number in (3, 7):  # descriptions edited, one now with quotes and a line break
        document["components"]["schemas"][f"Order{number}"]["description"] += ' "Edited"\nagain.'
        edited = generate("out")
        assert import_fixes_of_models() == 0  # taken from the cache (the models module is new: formatted again)
        assert edited == generate(f"cold{number}", "--no-cache")
    document["components"]["schemas"]["Order3"]["properties"]["added"] = {"type": "string", "format": "date-time"}
    edited = generate("out")
    assert import_fixes_of_models() == 1  # the models are new but for their descriptions: ruff runs
    assert edited == generate("cold", "--no-cache")
    assert len(_entries(tmp_path / "cache", "ruff-imports")) == 2


def test_an_edit_that_makes_the_spec_invalid_is_reported_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec, text, cache = _spotify_generated(tmp_path, out)  # the cache answers: the edit is validated aside, early
    before = _tree(out)
    old = "    ArtistObject:\n      type: object\n"
    assert old in text
    broken = "    ArtistObject:\n      type: 12\n      allOf: 5\n"  # hoisting such a schema can fail too
    spec.write_text(text.replace(old, broken), encoding="utf-8")
    done = run_specfirst("generate", str(spec), "--out", str(out), env=_cached(cache))
    assert done.returncode == 1, done.stderr
    line = text.split("\n").index("    ArtistObject:") + 2  # its value, the line after its name
    assert f"spotify.yaml:{line}:" in done.stderr and "Traceback" not in done.stderr
    assert _tree(out) == before


@settings(max_examples=200, deadline=None)
@given(st.text("ab\n", max_size=60), st.text("ab\n", max_size=60), st.text("ab\n", max_size=9000))
def test_the_part_an_import_fix_left_is_the_longest_common_tail(head: str, fixed: str, rest: str) -> None:
    from specfirst.format import _common_tail

    one, two = head + rest, fixed + rest
    tail = _common_tail(one, two)
    assert one[len(one) - tail :] == two[len(two) - tail :]  # common
    assert tail == min(len(one), len(two)) or one[len(one) - tail - 1] != two[len(two) - tail - 1]  # longest


def test_an_edit_to_several_groups_runs_each_again_and_writes_what_a_cold_run_writes(tmp_path: Path) -> None:
    document, spec, cache, out = _grouped_generated(tmp_path)
    first = set(_entries(cache, "models"))
    # the first group found missing goes to the worker forked ahead at once; the others to workers of their own
    for name in ("Order3", "Order70", "Shipment40"):
        document["components"]["schemas"][name]["properties"]["note"] = {"type": "string", "format": "date"}
    spec.write_text(json.dumps(document), encoding="utf-8")
    _generate(spec, out, _cached(cache))
    assert len(set(_entries(cache, "models")) - first) == 3
    _generate(spec, tmp_path / "cold", None, "--no-cache")
    assert _tree(out) == _tree(tmp_path / "cold")
