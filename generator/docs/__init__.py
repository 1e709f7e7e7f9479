"""Stage docs: the published API reference (Markdown per language, one self-contained HTML page per API)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..docs.render import LANGS

if TYPE_CHECKING:
    from ..docs.model import Api
    from ..load import Document

Documents = Callable[[Path], "Document"]  # a spec file -> its loaded, validated document

__all__ = ["LANGS", "build_api", "render_docs"]


def build_api(doc: Document, package: str) -> Api:
    """The docs model of one loaded, validated spec."""
    from ..docs.build import ApiBuilder  # heavy imports stay off the no-op path

    return ApiBuilder(doc, package).build()


def render_docs(
    specs: list[tuple[Path, str]],
    documents: Documents,
    langs: tuple[str, ...] = LANGS,
    per_api: Mapping[str, tuple[str, ...]] | None = None,
) -> dict[str, bytes]:
    """Every file of the docs folder, by name: <package>.md (zh), <package>.<lang>.md, HTML, index.

    `per_api` gives some packages their own languages (the first one is their HTML page's).
    """
    from ..docs.render import html, index, markdown

    apis = sorted(
        (build_api(documents(spec), package) for spec, package in specs),
        key=lambda a: a.package,
    )
    files: dict[str, str] = {}
    for api in apis:
        own = (per_api or {}).get(api.package, langs)
        for lang in own:
            files[f"{api.package}.md" if lang == "zh" else f"{api.package}.{lang}.md"] = markdown(api, lang)
        files[f"{api.package}.html"] = html(api, own[0])
    files["index.html"] = index(apis, langs[0], langs, dict(per_api or {}))
    return {name: text.encode() for name, text in sorted(files.items())}
