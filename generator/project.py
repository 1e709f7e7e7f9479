"""Per-API settings applied to the intermediate model: client class names, base URL, a publishable project."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from . import ir
from .config import ApiSettings
from .errors import UsageError


def configured(api: ir.Api, settings: ApiSettings) -> ir.Api:
    """The API as its settings name it: client class names, default base URL."""
    if settings.client_class == settings.async_client_class:
        raise UsageError(f"{api.package}: client_class and async_client_class are both {settings.client_class!r}")
    server_url = api.server_url if settings.base_url is None else settings.base_url
    return replace(
        api,
        client_class=settings.client_class,
        async_client_class=settings.async_client_class,
        server_url=server_url,
    )


_PEP440 = re.compile(r"(\d+!)?\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[a-z0-9]+(\.[a-z0-9]+)*)?", re.I)


def _release(version: str) -> str:
    """The leading release number of a version PEP 440 does not accept (1.0.27-SNAPSHOT -> 1.0.27), or 0.0.0."""
    found = re.match(r"v?(\d+(\.\d+)*)", version)
    return found.group(1) if found else "0.0.0"


def distribution(api: ir.Api, data: dict[str, Any]) -> ir.Distribution:
    """The publishable project of a package: its name, info.version, title, summary and licence."""
    found = data.get("info")
    info: dict[str, Any] = found if isinstance(found, dict) else {}
    found = info.get("license")
    licence: dict[str, Any] = found if isinstance(found, dict) else {}
    version = str(info.get("version", "")).strip()
    title = str(info.get("title") or api.package)
    summary = str(info.get("summary") or f"Typed Python client for {title}")
    return ir.Distribution(
        name=api.package.replace("_", "-"),
        version=version if _PEP440.fullmatch(version) else _release(version),
        title=" ".join(title.split()),
        summary=" ".join(summary.split()),
        license=str(licence.get("identifier") or licence.get("name") or ""),
        license_url=str(licence.get("url") or ""),
    )
