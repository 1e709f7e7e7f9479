"""Stage docs: the published API reference (Markdown per language, one self-contained HTML page per API)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..docs.lang import SUPPORTED as LANGS
from ..docs.lang import languages

if TYPE_CHECKING:
    from .. import ir
    from ..cache import Cache
    from ..docs.build import ApiBuilder
    from ..docs.changelog import Base
    from ..docs.model import Api, IndexEntry
    from ..load import Document

Documents = Callable[[Path], "Document"]  # a spec file -> its loaded, validated document

__all__ = ["LANGS", "prepare_docs"]


Finish = Callable[["Mapping[str, ir.Api] | None"], "tuple[dict[str, bytes], list[IndexEntry]]"]


def _built(
    doc: Document,
    package: str,
    langs: tuple[str, ...] | None,
    api_langs: Mapping[str, tuple[str, ...]] | None,
    changelog: Base | None,
    cache: Cache | None = None,
    salt: str = "",
) -> tuple[ApiBuilder, Api]:
    """The docs model of one spec without Python samples, and the builder that adds them (`with_samples`); with
    `cache`, the models unchanged since the last run are taken from it (`salt`: the generator's fingerprint)."""
    from dataclasses import replace

    from ..cache import key
    from ..docs.build import ApiBuilder  # heavy imports stay off the no-op path

    builder = ApiBuilder(doc, package)
    name = key("docmodels", salt, package)
    known = cache.get_parts(name) if cache is not None else None
    api = builder.build(None, languages(package, doc.data, langs, api_langs), known)
    if cache is not None and known is not None:
        cache.keep_parts(name, known, builder.schemas.kept)
    if changelog is None:
        return builder, api
    from ..docs.changelog import changes

    return builder, replace(api, changelog=changes(changelog))


def _apart(api: Api, cache: Cache | None, salt: str) -> tuple[dict[str, dict[str, bytes]], dict[str, str]]:
    """The parts of an API's docs made apart from its pages: the model sections by language, the Markdown pages
    (with `cache`, the sections of the models and operations unchanged since the last run taken from it; `salt`:
    the generator's fingerprint)."""
    from ..cache import key
    from ..docs.render import markdown, markdown_kept, model_sections, page_name

    sections, pages = {}, {}
    for lang in api.langs:
        if cache is None:
            sections[lang], _ = model_sections(api, lang)
            pages[page_name(api, lang, "md")] = markdown(api, lang)
            continue
        name = key("sections", salt, api.package, lang)
        known = cache.get_parts(name)
        sections[lang], kept = model_sections(api, lang, known)
        cache.keep_parts(name, known, kept)
        name = key("md-sections", salt, api.package, lang)
        known = cache.get_parts(name)
        pages[page_name(api, lang, "md")], kept = markdown_kept(api, lang, known)
        cache.keep_parts(name, known, kept)
    return sections, pages


def prepare_docs(
    specs: list[tuple[Path, str]],
    documents: Documents,
    langs: tuple[str, ...] | None = None,
    *,
    api_langs: Mapping[str, tuple[str, ...]] | None = None,
    site: bool = False,
    kept: Sequence[IndexEntry] = (),
    changelogs: Mapping[str, Base] | None = None,
    api_clients: Mapping[str, tuple[str, str]] | None = None,
    cache: Cache | None = None,
    salt: str = "",
) -> Finish:
    """Render these specs' APIs in two steps: everything but the operations' Python samples now (they need the
    clients' names, which the model runs give), and a function that adds them given the client models built so
    far (building the missing ones) and returns every file by name, with the index listing these APIs and the
    `kept` ones (APIs whose pages stay as they are), and these APIs' index entries.

    `langs` (--lang) overrides every API's languages; `api_langs` gives some APIs theirs (by package); the
    others get theirs from their text (lang.py). `site` adds what a static host wants: a search index of every
    API (search-index.json) and `.nojekyll` (GitHub Pages serves the files as they are). The clients built here
    (those `finish` is not given) take their class names from `api_clients` (by package), as the packages do,
    and their model runs from `cache` where `generate` stored them (`salt`: the generator's fingerprint).
    """
    from .. import workers
    from ..docs.model import IndexEntry
    from ..docs.render import SampleSlots, html, index, index_row, search_entry, search_index
    from ..docs.samples import client_apis

    prepared = []
    for spec, package in sorted(specs, key=lambda s: s[1]):
        log = (changelogs or {}).get(package)
        builder, api = _built(documents(spec), package, langs, api_langs, log, cache, salt)
        slots = SampleSlots()
        with ExitStack() as stack:  # the model sections and the Markdown in a worker while the pages are made here
            apart = workers.aside(partial(_apart, api, cache, salt), stack)
            marked = {lang: slots.cut(html(api, lang, slots.slot, slots.sections)) for lang in api.langs}
            sections, md = apart()
        prepared.append((spec, builder, api, slots, marked, sections, md))

    def finish(clients: Mapping[str, ir.Api] | None) -> tuple[dict[str, bytes], list[IndexEntry]]:
        missing = [(spec, api.package) for spec, _, api, *_ in prepared if api.package not in (clients or {})]
        built = {**(clients or {}), **(client_apis(missing, documents, api_clients, cache, salt) if missing else {})}
        files: dict[str, bytes] = {}
        entries = []
        for _, builder, plain, slots, marked, sections, md in prepared:
            api = builder.with_samples(plain, built[plain.package])
            own = {name: text.encode() for name, text in md.items()}
            for lang, pages in marked.items():
                own.update(slots.fill(pages, api, lang, sections[lang]))
            files.update(own)
            search = json.dumps(search_entry(api), ensure_ascii=False) if site else ""
            entries.append(IndexEntry(api.package, api.langs[0], index_row(api), tuple(sorted(own)), search))
        listed = sorted([*entries, *kept], key=lambda e: e.package)
        defaults = [e.lang for e in listed]
        lang = max(sorted(set(defaults)), key=defaults.count) if defaults else "en"
        files["index.html"] = index([e.row for e in listed], lang).encode()
        if site:
            # every API the index lists, those whose pages an earlier run made (kept) too
            files["search-index.json"] = search_index([json.loads(e.search) for e in listed if e.search]).encode()
            files[".nojekyll"] = b""
        return dict(sorted(files.items())), entries

    return finish
