"""Stage docs: the published API reference (Markdown per language, one self-contained HTML page per API)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..docs.render import LANGS

if TYPE_CHECKING:
    from ..docs.model import Api, IndexEntry
    from ..load import Document

Documents = Callable[[Path], "Document"]  # a spec file -> its loaded, validated document

__all__ = ["LANGS", "api_files", "build_api", "render_docs"]


def build_api(doc: Document, package: str) -> Api:
    """The docs model of one loaded, validated spec."""
    from ..docs.build import ApiBuilder  # heavy imports stay off the no-op path

    return ApiBuilder(doc, package).build()


def api_files(package: str, langs: tuple[str, ...]) -> list[str]:
    """The files of one API in the docs folder: <package>.md (the first language), <package>.<lang>.md, HTML."""
    return [f"{package}.md" if lang == "zh" else f"{package}.{lang}.md" for lang in langs] + [f"{package}.html"]


def render_docs(
    specs: list[tuple[Path, str]],
    documents: Documents,
    langs: tuple[str, ...] = LANGS,
    kept: Sequence[IndexEntry] = (),
) -> tuple[dict[str, bytes], list[IndexEntry]]:
    """Every file of these specs' APIs, by name, and the index listing them with the `kept` ones; and their entries."""
    from ..docs.model import IndexEntry
    from ..docs.render import html, index, markdown

    apis = sorted(
        (build_api(documents(spec), package) for spec, package in specs),
        key=lambda a: a.package,
    )
    files: dict[str, str] = {}
    for api in apis:
        *pages, page = api_files(api.package, langs)
        for lang, name in zip(langs, pages, strict=True):
            files[name] = markdown(api, lang)
        files[page] = html(api, langs[0])
    entries = [IndexEntry.of(api) for api in apis]
    files["index.html"] = index(sorted([*entries, *kept], key=lambda e: e.package), langs[0], langs)
    return {name: text.encode() for name, text in sorted(files.items())}, entries
