"""Client methods kept by the digest of their operation: an edit renders again only the methods of the operations
it changed, and the package is the one rendered without the cache, byte for byte."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import jinja2.runtime
import pytest

from generator.docs.samples import client_apis
from generator.documents import DocumentCache
from generator.render import render_package
from tests.conftest import ROOT

SPOTIFY = ROOT.parent / "shared" / "specs" / "spotify.yaml"


def test_an_edit_renders_again_only_the_methods_of_the_operations_it_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    api = client_apis([(SPOTIFY, "api")], DocumentCache(tolerant=True).document)["api"]
    plain = render_package(api, None)
    kept: dict[bytes, bytes] = {}
    assert render_package(api, None, known={}, kept=kept) == plain
    assert len(kept) == 2 * len(api.operations) > 40  # each operation's sync and async method
    made: list[str] = []
    real = jinja2.runtime.Macro.__call__

    def counted(self: jinja2.runtime.Macro, *args: Any, **kwargs: Any) -> Any:
        made.append(self.name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.runtime.Macro, "__call__", counted)
    again: dict[bytes, bytes] = {}
    assert render_package(api, None, known=kept, kept=again) == plain
    assert made.count("methods") == 0 and again == kept
    first, *rest = api.operations
    edited = replace(api, operations=(replace(first, description='Edited: """quoted""" \\ and\nsplit.'), *rest))
    newer: dict[bytes, bytes] = {}
    files = render_package(edited, None, known=kept, kept=newer)
    assert made.count("methods") == 2  # the edited operation's, sync and async
    monkeypatch.undo()
    assert files == render_package(edited, None) != plain
    assert len(newer) == len(kept) and len(set(newer) - set(kept)) == 2
