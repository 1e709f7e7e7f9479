"""Routing: request path and method -> the operation, its raw path parameters, or why none matches."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .spec import MockSpec, Operation, Route


@dataclass(frozen=True)
class Match:
    """The outcome of routing one request: an operation, or a route without that method, or nothing."""

    route: Route | None
    operation: Operation | None
    path_params: dict[str, str]

    @property
    def allow(self) -> str:
        return ", ".join(sorted(self.route.operations)) if self.route else ""


def _candidates(spec: MockSpec, path: str) -> list[str]:
    if path.startswith(("http://", "https://")):  # an absolute-form request target
        path = urlsplit(path).path or "/"
    found = [path]
    if spec.base_path and (path == spec.base_path or path.startswith(spec.base_path + "/")):
        found.insert(0, path[len(spec.base_path) :] or "/")
    return found


def route(spec: MockSpec, method: str, path: str) -> Match:
    """The most specific route whose template matches, preferring one that declares the method."""
    fallback: Match | None = None
    for candidate in _candidates(spec, path):
        for r in spec.routes:
            m = r.regex.fullmatch(candidate)
            if m is None:
                continue
            params = {name: unquote(value) for name, value in zip(r.names, m.groups(), strict=True)}
            op = r.operations.get(method.upper())
            if op is None and method.upper() == "HEAD":
                op = r.operations.get("GET")
            if op is not None:
                return Match(r, op, params)
            fallback = fallback or Match(r, None, params)
    return fallback or Match(None, None, {})
