"""Stage docs: the published API reference (Markdown per language, one self-contained HTML page per API)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.docs.render import LANGS

if TYPE_CHECKING:
    from generator.docs.model import Api

__all__ = ["LANGS", "build_api", "render_docs"]


def build_api(spec: Path, package: str, *, allow_remote_refs: bool = False) -> Api:
    """Load and validate one spec, then build its docs model."""
    from generator import validate  # heavy imports stay off the no-op path
    from generator.docs.build import ApiBuilder
    from generator.load import load

    doc = load(spec, allow_remote_refs=allow_remote_refs)
    validate.check(doc, examples=False, operation_ids=False)
    return ApiBuilder(doc, package).build()


def render_docs(
    specs: list[tuple[Path, str]], langs: tuple[str, ...] = LANGS, *, allow_remote_refs: bool = False
) -> dict[str, bytes]:
    """Every file of the docs folder, by name: <package>.md (zh), <package>.<lang>.md, HTML, index."""
    from generator.docs.render import html, index, markdown

    apis = sorted(
        (build_api(spec, package, allow_remote_refs=allow_remote_refs) for spec, package in specs),
        key=lambda a: a.package,
    )
    files: dict[str, str] = {}
    for api in apis:
        for lang in langs:
            files[f"{api.package}.md" if lang == "zh" else f"{api.package}.{lang}.md"] = markdown(api, lang)
        files[f"{api.package}.html"] = html(api, langs[0])
    files["index.html"] = index(apis, langs[0], langs)
    return {name: text.encode() for name, text in sorted(files.items())}
