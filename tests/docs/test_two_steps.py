"""The docs are made in two steps (pages with marks while the models run, then the samples and the model sections
joined in); the pages are those the templates give in one step from the finished model, byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.cache import Cache
from generator.docs import _built, prepare_docs
from generator.docs.pages import is_split
from generator.docs.render import html, markdown, markdown_kept, model_sections, page_name
from generator.docs.samples import client_apis
from generator.documents import DocumentCache
from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "specs"


@pytest.mark.parametrize("name", ["discord-3.1.json", "spotify.yaml"])
def test_pages_made_in_two_steps_are_those_made_in_one(name: str) -> None:
    spec = CORPUS / name
    documents = DocumentCache(tolerant=True)
    clients = client_apis([(spec, "api")], documents.document)
    files, _ = prepare_docs([(spec, "api")], documents.document)(clients)
    builder, plain = _built(documents.document(spec), "api", None, None, None)
    api = builder.with_samples(plain, clients["api"])
    assert any(op.python for op in api.operations)  # the samples are there to be compared
    assert api.models
    one_step: dict[str, bytes] = {}
    for lang in api.langs:
        one_step.update({page: text.encode() for page, text in html(api, lang).items()})
        one_step[page_name(api, lang, "md")] = markdown(api, lang).encode()
    assert len(one_step) > (len(api.langs) * 2 if is_split(api) else 0)
    assert {page: files[page] for page in one_step} == one_step


def _renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates rendered from now on (in this process), in order."""
    rendered: list[str] = []
    real = jinja2.Template.render

    def counted(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        rendered.append(str(self.name))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counted)
    return rendered


def test_model_sections_are_rendered_again_only_for_the_models_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "spotify.yaml"
    text = (CORPUS / "spotify.yaml").read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    _, api = _built(DocumentCache(tolerant=True).document(spec), "api", None, None, None)
    lang = api.langs[0]
    fresh, kept = model_sections(api, lang, {})
    rendered = _renders(monkeypatch)
    assert model_sections(api, lang, kept)[0] == fresh
    assert rendered == []  # every section known
    old = "            Known external URLs for this artist.\n"
    spec.write_text(text.replace(old, "            Known URLs of this artist, elsewhere.\n"), encoding="utf-8")
    _, edited = _built(DocumentCache(tolerant=True).document(spec), "api", None, None, None)
    before = {model.anchor: model for model in api.models}
    changed = [model for model in edited.models if before.get(model.anchor) != model]
    assert 1 <= len(changed) < len(edited.models) // 4
    again, _ = model_sections(edited, lang, kept)
    assert rendered == ["model.html.jinja"] * len(changed)
    monkeypatch.undo()
    assert again == model_sections(edited, lang)[0]
    assert again != fresh


def test_markdown_sections_are_rendered_again_only_for_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "spotify.yaml"
    text = (CORPUS / "spotify.yaml").read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    _, api = _built(DocumentCache(tolerant=True).document(spec), "api", None, None, None)
    lang = api.langs[0]
    whole, kept = markdown_kept(api, lang, {})
    assert whole == markdown(api, lang) and len(kept) == len(api.operations) + len(api.models)
    rendered = _renders(monkeypatch)
    assert markdown_kept(api, lang, kept)[0] == whole
    assert rendered == ["api.md.jinja"]  # every section known
    edits = [  # an operation's description, and a property's of one model
        ("        Get Spotify catalog information for a single album.\n", "        One album, by its id.\n"),
        ("            Known external URLs for this artist.\n", "            Known URLs of this artist, elsewhere.\n"),
    ]
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    spec.write_text(text, encoding="utf-8")
    _, edited = _built(DocumentCache(tolerant=True).document(spec), "api", None, None, None)
    rendered.clear()
    again, _ = markdown_kept(edited, lang, kept)
    models = sum(model not in api.models for model in edited.models)
    assert rendered.count("md_operation.jinja") == 1 and rendered.count("md_model.jinja") == models >= 1
    monkeypatch.undo()
    assert again == markdown(edited, lang) != whole


def test_pages_made_with_a_cache_are_those_made_without(tmp_path: Path) -> None:
    spec = CORPUS / "spotify.yaml"
    documents = DocumentCache(tolerant=True)
    clients = client_apis([(spec, "api")], documents.document)
    plain, _ = prepare_docs([(spec, "api")], documents.document)(clients)
    cache = Cache(tmp_path / "cache")
    for _ in range(2):  # filling the cache, then from it
        files, _ = prepare_docs([(spec, "api")], documents.document, cache=cache, salt="s")(clients)
        assert files == plain
    assert any(entry.name.startswith("sections-") for entry in cache.root.glob("*/*"))
