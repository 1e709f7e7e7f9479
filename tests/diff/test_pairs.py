"""Every single-change pair gets its expected rule and level; refactors, reorderings and spellings get none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from specfirst.diff import Change, compare
from specfirst.diff.model import rank
from specfirst.diff.sources import Source, load_source
from tests.diff.pairs import PAIRS, Pair


def diff(base: dict[str, Any], head: dict[str, Any]) -> list[Change]:
    """The public compare() over two documents loaded through the one loader and bundler."""
    docs = [
        load_source(Source(f"{side}.json", Path(f"{side}.json"), json.dumps(data)))
        for side, data in (("base", base), ("head", head))
    ]
    return compare(*docs)


def test_there_are_at_least_sixty_pairs_with_distinct_names() -> None:
    assert len(PAIRS) >= 60
    assert len({p.name for p in PAIRS}) == len(PAIRS)
    assert len({p.rule for p in PAIRS if p.rule}) >= 50


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_pair(pair: Pair) -> None:
    base, head = pair.documents()
    assert base != head or pair.rule is None
    changes = diff(base, head)
    shown = "\n".join(f"{c.level} {c.id} {c.operation}: {c.message}" for c in changes)
    if pair.rule is None:
        assert changes == [], shown
        return
    assert any(c.id == pair.rule and c.level == pair.level for c in changes), shown
    assert max(rank(c.level) for c in changes) == rank(str(pair.level)), shown
    for change in changes:
        file, line, col = change.location.rsplit(":", 2)
        assert file in ("base.json", "head.json") and int(line) >= 1 and int(col) >= 1


def test_removals_are_located_in_base_and_the_rest_in_head() -> None:
    pair = next(p for p in PAIRS if p.name == "operation-removed")
    (removed,) = [c for c in diff(*pair.documents()) if c.id == "api-removed-without-deprecation"]
    assert removed.location.startswith("base.json:")
    pair = next(p for p in PAIRS if p.name == "request-max-length-decreased")
    (tightened,) = diff(*pair.documents())
    assert tightened.location.startswith("head.json:")
    assert "from 64 to 32" in tightened.message


def test_a_recursive_schema_reports_each_change_once_at_its_shortest_path() -> None:
    pair = next(p for p in PAIRS if p.name == "recursive-schema-enum-value-added")
    (change,) = diff(*pair.documents())
    assert change.message.startswith("response property 'creator' (status 201): enum value \"SYSTEM\" added")
