"""The docs are made in two steps (pages with marks while the models run, then the samples and the model sections
joined in); the pages are those the templates give in one step from the finished model, byte for byte."""

from __future__ import annotations

import pytest

from generator.docs import _built, prepare_docs
from generator.docs.pages import is_split
from generator.docs.render import html, markdown, page_name
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
