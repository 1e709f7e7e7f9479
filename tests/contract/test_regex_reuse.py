"""Reusing Hypothesis' character-class strategies (generator/regexcache.py) changes how fast values are drawn,
never which: the same seeds draw the same values with and without it, and a class is built once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = [
    r"^[A-Za-z一-龥][A-Za-z0-9_一-龥]{2,63}\Z",  # the Huawei name
    r"^[A-Za-z一-龥][A-Za-z0-9_一-龥]{63}\Z",  # a boundary length of the same classes
    r"(?i)^[a-fé][^x-z]{1,5}$",  # case folding and a negated class
    r"^[A-Za-z0-9][A-Za-z0-9_\-]{7,199}\Z",
]
DRAWS = r"""
import json, random, sys
from hypothesis import strategies as st
from hypothesis.control import BuildContext
from hypothesis.internal.conjecture.data import ConjectureData
if sys.argv[1] == "reuse":
    from specfirst.regexcache import install
    install()
out = []
for pattern in json.loads(sys.argv[2]):
    for alphabet in (st.characters(codec="utf-8"), None):
        for seed in range(15):
            strategy = st.from_regex(pattern, fullmatch=True, alphabet=alphabet)
            data = ConjectureData(random=random.Random(seed), max_choices=5000)
            with BuildContext(data, is_final=True, wrapped_test=lambda: None):
                out.append(data.draw(strategy))
print(json.dumps(out))
"""


def _draws(mode: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", DRAWS, mode, json.dumps(PATTERNS)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    values: list[str] = json.loads(done.stdout)
    return values


def test_the_same_seeds_draw_the_same_values_with_and_without_reuse() -> None:
    plain, reused = _draws("plain"), _draws("reuse")
    assert len(plain) == len(PATTERNS) * 2 * 15
    assert reused == plain
    assert any(any("\u4e00" <= c <= "\u9fa5" for c in v) for v in plain)  # the classes were drawn from


def test_a_character_class_is_built_once() -> None:
    from hypothesis import strategies as st
    from hypothesis.strategies._internal import regex

    from specfirst.regexcache import install

    install()
    added = 0
    original = regex.CharactersBuilder.add_char

    def counting(self: regex.CharactersBuilder, c: str) -> None:
        nonlocal added
        added += 1
        original(self, c)

    regex.CharactersBuilder.add_char = counting  # type: ignore[method-assign]
    try:
        alphabet = st.characters(codec="utf-8")
        st.from_regex(r"^[A-Za-z一-龥]x[0-9_一-龥]{2,9}\Z", alphabet=alphabet).validate()
        first = added
        st.from_regex(r"^[A-Za-z一-龥]y[0-9_一-龥]{9}\Z", alphabet=alphabet).validate()  # the same two classes
    finally:
        regex.CharactersBuilder.add_char = original  # type: ignore[method-assign]
    assert first > 40_000  # two classes of about 20,900 characters each were built
    assert added == first  # and not again
