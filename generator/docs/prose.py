"""Spec descriptions (CommonMark) as safe HTML: no raw HTML, links only to http, https, mailto and `#`."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")
# text with none of these is one plain paragraph to CommonMark: no need to parse it
_SYNTAX = re.compile(r"[\\`*_\[\]<>&!#|~=\n\r\t]|^\s*(?:[-+>]|\d+[.)])|^ {4}|  $|:/")


def _safe_link(url: str) -> bool:
    """markdown-it's link check: anything else (javascript:, data:, relative paths) stays plain text."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _safe_link  # type: ignore[method-assign]
    md.disable("image")  # an image would be a fetch, and the page's CSP refuses every fetch
    return md


@lru_cache(maxsize=8192)
def _render(source: str) -> Markup:
    if not _SYNTAX.search(source):
        return Markup(f"<p>{escapeHtml(source)}</p>\n")
    return Markup(_parser().render(source))


def prose(text: object) -> Markup:
    """The HTML of one description: CommonMark rendered with raw HTML escaped, links checked."""
    source = str(text or "").strip()
    return _render(source) if source else Markup("")
