"""Descriptions masked out of a model run and put back write exactly what the model generator writes from the real
text (so a description edit can reuse a cached run without changing a byte of the output)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from datamodel_code_generator._python_syntax import escape_docstring
from datamodel_code_generator.python_literal import represent_python_value
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.documents import DocumentCache
from generator.hoist import hoist
from generator.masking import PREFIX, mask, restorable, unmask
from generator.modelgen import prepare_components, run_generator
from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "specs"
TRICKY = [
    "One line.",
    "Two\nlines, the second `code`.",
    'Quotes: """triple""", "double", \'single\', and a backslash \\ and \\n spelled out.',
    'Ends with a quote"',
    "Trailing newline.\n",
    "  Leading and trailing spaces.  ",
    "Blank line\n\nbetween, and a tab\there.",
    "Unicode: 中文说明, émoji 🎉, a NUL \0 and a bell \a.",
    "Windows\r\nline ending (left in the input: the generators split lines differently)",
    "Line\u2028separator (left in the input)",
    "   ",  # blank: left in the input (no docstring at all)
]


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for number, text in enumerate(TRICKY):
        schemas[f"Thing{number}"] = {
            "type": "object",
            "description": text,
            "properties": {
                "plain": {"type": "string", "description": text},
                "ref": {"$ref": f"#/components/schemas/Kind{number}", "description": text},
                "inline": {"type": "object", "description": text, "properties": {"x": {"type": "integer"}}},
                "items": {"type": "array", "items": {"type": "string", "description": text}, "description": text},
                "example": {"type": "object", "example": {"description": text}, "default": {"description": text}},
            },
        }
        schemas[f"Kind{number}"] = {"type": "string", "enum": ["a", "b"], "description": text}
        schemas[f"Alias{number}"] = {"type": "string", "description": text}
    return schemas


def _same_as_plain(openapi: str, components: dict[str, Any]) -> int:
    masked, table = mask(components["schemas"])
    plain = run_generator(openapi, components, "test")
    raw, class_map = run_generator(openapi, {**components, "schemas": masked}, "test")
    assert restorable(raw, table)
    assert (unmask(raw, table), class_map) == plain
    return len(table)


def test_tricky_descriptions_come_back_as_the_model_generator_writes_them() -> None:
    schemas = _schemas()
    masked, table = mask(schemas)
    assert set(table) == {t for t in TRICKY if t.strip() and "\r" not in t and "\u2028" not in t}
    assert masked["Thing0"]["properties"]["example"] == schemas["Thing0"]["properties"]["example"]  # data, not text
    assert _same_as_plain("3.0.3", prepare_components({"schemas": schemas})) == len(table)


def test_text_that_looks_like_a_token_turns_masking_off() -> None:
    schemas = {"Note": {"type": "string", "description": f"{PREFIX}0x is not ours"}}
    assert mask(schemas) == (schemas, ())
    assert _same_as_plain("3.0.3", {"schemas": schemas}) == 0


@pytest.mark.parametrize("name", ["spotify.yaml", "train-travel-3.1.yaml", "schema-types-3.1.yaml"])
def test_real_documents_come_back_byte_for_byte(name: str) -> None:
    document = DocumentCache(tolerant=True).document(CORPUS / name)
    components = prepare_components(hoist(document).components)
    assert _same_as_plain(str(document.data["openapi"]), components) > 40


def test_a_token_in_a_place_unmask_does_not_know_is_not_restorable() -> None:
    table = ("A description.",)
    fine = f'class A(BaseModel):\n    """\n    {PREFIX}0x\n    """\n    x: int = Field(description=\'{PREFIX}0x\')\n'
    assert restorable(fine, table) and unmask(fine, table) is not None
    odd = fine + f"# {PREFIX}0x in a comment\n"
    assert not restorable(odd, table) and unmask(odd, table) is None


# the places of tokens as a pattern says them (what `unmask` reads around each token it finds): a string literal's
# whole content, or a docstring line of its own
_PLACES = re.compile(rf"""(['"])({PREFIX}\d+x)\1|^( *)({PREFIX}\d+x)$""", re.MULTILINE)
_PARTS = st.sampled_from(["'", '"', "\n", " ", "    ", "x", "7", "a", "#", PREFIX, f"{PREFIX}0x", f"{PREFIX}1x"])


def _by_pattern(text: str, table: tuple[str, ...]) -> str | None:
    def put_back(found: re.Match[str]) -> str:
        if found.group(2) is not None:
            return represent_python_value(table[int(found.group(2)[len(PREFIX) : -1])])
        lines = (escape_docstring(table[int(found.group(4)[len(PREFIX) : -1])]) or "").split("\n")
        return "\n".join(f"{found.group(3)}{line}" if line else "" for line in lines)

    out = _PLACES.sub(put_back, text)
    return None if PREFIX in out else out


@settings(max_examples=400, deadline=None)
@given(st.lists(_PARTS, max_size=14).map("".join))
@example(f"'{PREFIX}0x'{PREFIX}1x'")  # a quote ends one literal: it does not begin the next
@example(f"  {PREFIX}0x\n'{PREFIX}1x'\n{PREFIX}1x\n")
def test_tokens_are_found_where_the_pattern_of_their_places_finds_them(text: str) -> None:
    table = ('Said "twice"\nover two lines', "one")
    assert unmask(text, table) == _by_pattern(text, table)
    assert restorable(text, table) == (len(_PLACES.findall(text)) == text.count(PREFIX))
