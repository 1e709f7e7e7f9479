"""Stage docs: the published API reference (Markdown per language, one self-contained HTML page per API)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..docs.model import Api
    from ..load import Document

LANGS = ("zh", "en")  # the published languages, the first one the default (here: no heavy imports on a no-op)
Documents = Callable[[Path], "Document"]  # a spec file -> its loaded, validated document

__all__ = ["LANGS", "build_api", "render_docs"]


def build_api(doc: Document, package: str) -> Api:
    """The docs model of one loaded, validated spec."""
    from ..docs.build import ApiBuilder  # heavy imports stay off the no-op path

    return ApiBuilder(doc, package).build()


def render_docs(
    specs: list[tuple[Path, str]], documents: Documents, langs: tuple[str, ...] = LANGS
) -> dict[str, bytes]:
    """Every file of the docs folder, by name: <package>.md (zh), <package>.<lang>.md, HTML, index."""
    from ..docs.render import html, index, markdown

    apis = sorted(
        (build_api(documents(spec), package) for spec, package in specs),
        key=lambda a: a.package,
    )
    files: dict[str, str] = {}
    for api in apis:
        for lang in langs:
            files[f"{api.package}.md" if lang == "zh" else f"{api.package}.{lang}.md"] = markdown(api, lang)
        files[f"{api.package}.html"] = html(api, langs[0])
    files["index.html"] = index(apis, langs[0], langs)
    return {name: text.encode() for name, text in sorted(files.items())}
