"""Which languages an API's docs are published in: configured, or Chinese first when its own text is mostly CJK."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SUPPORTED = ("zh", "en")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z]+")
_PROSE_KEYS = frozenset({"title", "summary", "description"})
_SAMPLE = 200_000  # characters of prose read at most: a big spec says what it is early


def _prose(node: Any, out: list[str], budget: list[int]) -> None:
    stack = [node]
    while stack and budget[0] > 0:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in _PROSE_KEYS and isinstance(value, str):
                    out.append(value)
                    budget[0] -= len(value)
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))


def detect(data: Any) -> str:
    """ "zh" when the spec's titles, summaries and descriptions hold more CJK characters than Latin words."""
    texts: list[str] = []
    _prose(data, texts, [_SAMPLE])
    text = "\n".join(texts)
    return "zh" if len(_CJK.findall(text)) > len(_WORD.findall(text)) else "en"


def languages(
    package: str, data: Any, override: tuple[str, ...] | None, configured: Mapping[str, tuple[str, ...]] | None
) -> tuple[str, ...]:
    """The API's languages, its default first: `override` (--lang), else its configuration, else detected
    (a mostly-CJK spec publishes zh and en, any other spec en)."""
    if override:
        return override
    if configured and configured.get(package):
        return tuple(configured[package])
    return ("zh", "en") if detect(data) == "zh" else ("en",)
