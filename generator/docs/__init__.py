"""Stage docs: the published API reference (Markdown per language, one self-contained HTML page per API)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..docs.lang import SUPPORTED as LANGS
from ..docs.lang import languages

if TYPE_CHECKING:
    from .. import ir
    from ..docs.changelog import Base
    from ..docs.model import Api, IndexEntry
    from ..load import Document

Documents = Callable[[Path], "Document"]  # a spec file -> its loaded, validated document

__all__ = ["LANGS", "build_api", "render_docs"]


def build_api(
    doc: Document,
    package: str,
    client: ir.Api | None = None,
    langs: tuple[str, ...] | None = None,
    api_langs: Mapping[str, tuple[str, ...]] | None = None,
    changelog: Base | None = None,
) -> Api:
    """The docs model of one loaded, validated spec (with Python samples when the client's model is given)."""
    from dataclasses import replace

    from ..docs.build import ApiBuilder  # heavy imports stay off the no-op path

    api = ApiBuilder(doc, package).build(client, languages(package, doc.data, langs, api_langs))
    if changelog is None:
        return api
    from ..docs.changelog import changes

    return replace(api, changelog=changes(changelog))


def render_docs(
    specs: list[tuple[Path, str]],
    documents: Documents,
    langs: tuple[str, ...] | None = None,
    *,
    api_langs: Mapping[str, tuple[str, ...]] | None = None,
    clients: Mapping[str, ir.Api] | None = None,
    site: bool = False,
    kept: Sequence[IndexEntry] = (),
    changelogs: Mapping[str, Base] | None = None,
) -> tuple[dict[str, bytes], list[IndexEntry]]:
    """Every file of these specs' APIs, by name, and the index listing them with the `kept` ones (APIs whose
    pages stay as they are); and these APIs' index entries.

    `langs` (--lang) overrides every API's languages; `api_langs` gives some APIs theirs (by package); the
    others get theirs from their text (lang.py). `clients` holds the client models already built (the
    pipeline has them); the missing ones are built here. `site` adds what a static host wants: a search
    index of every API (search-index.json) and `.nojekyll` (GitHub Pages serves the files as they are).
    """
    from ..docs.model import IndexEntry
    from ..docs.render import html, index, index_row, markdown, page_name, search_entry, search_index
    from ..docs.samples import client_apis

    missing = [(spec, package) for spec, package in specs if package not in (clients or {})]
    built = {**(clients or {}), **(client_apis(missing, documents) if missing else {})}
    apis = sorted(
        (
            build_api(documents(spec), package, built[package], langs, api_langs, (changelogs or {}).get(package))
            for spec, package in specs
        ),
        key=lambda a: a.package,
    )
    files: dict[str, str] = {}
    entries = []
    for api in apis:
        own: dict[str, str] = {}
        for lang in api.langs:
            own[page_name(api, lang, "md")] = markdown(api, lang)
            own.update(html(api, lang))
        files.update(own)
        search = json.dumps(search_entry(api), ensure_ascii=False) if site else ""
        entries.append(IndexEntry(api.package, api.langs[0], index_row(api), tuple(sorted(own)), search))
    listed = sorted([*entries, *kept], key=lambda e: e.package)
    defaults = [e.lang for e in listed]
    lang = max(sorted(set(defaults)), key=defaults.count) if defaults else "en"
    files["index.html"] = index([e.row for e in listed], lang)
    if site:
        # every API the index lists, those whose pages an earlier run made (kept) too
        files["search-index.json"] = search_index([json.loads(e.search) for e in listed if e.search])
        files[".nojekyll"] = ""
    return {name: text.encode() for name, text in sorted(files.items())}, entries
