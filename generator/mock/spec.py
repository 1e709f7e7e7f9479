"""The served spec: read through the shared loader (a parsed copy cached by content hash), indexed by operation."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import validate
from ..errors import InputError
from ..load import Document, display_path, load
from ..walk import HTTP_METHODS

VALIDATE_BELOW = 1024 * 1024  # larger documents were validated on the first (cached) start, or are not
_PARAM = re.compile(r"\{([^{}/]+)\}")


@dataclass
class Operation:
    """One operation with its parameters (path-level merged in, $refs followed) and what it documents."""

    method: str
    path: str
    raw: dict[str, Any]
    params: list[dict[str, Any]]
    security: list[dict[str, Any]]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def pointer(self) -> str:
        return "/paths/" + self.path.replace("~", "~0").replace("/", "~1") + "/" + self.method.lower()


@dataclass
class Route:
    """One path template: its matcher and its operations by method."""

    template: str
    regex: re.Pattern[str]
    names: list[str]
    literal: int
    operations: dict[str, Operation] = field(default_factory=dict)


@dataclass
class MockSpec:
    """Everything the server needs from the document, built once at start."""

    doc: Document
    version: str
    base_path: str
    routes: list[Route]
    schemes: dict[str, dict[str, Any]]

    def resolve(self, node: Any) -> Any:
        """Follow local $ref chains (bounded) to the node they name."""
        for _ in range(64):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
                return node
            target: Any = self.doc.data
            for part in node["$ref"][2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            node = target if target is not None else {}
        return node

    def operations(self) -> list[Operation]:
        return [op for route in self.routes for op in route.operations.values()]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specfirst" / "mock"


def read(path: Path) -> Document:
    """The bundled document; a parsed copy is cached by content hash so a large spec starts in a second."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{display_path(path)}: cannot read: {exc.strerror or exc}") from None
    key = hashlib.sha256(raw).hexdigest()
    cached = _cache_dir() / f"{key}.json"
    if cached.is_file() and path.suffix.lower() in (".yaml", ".yml", ".json"):
        try:
            data = json.loads(cached.read_text("utf-8"))
            return Document(path=path, display=display_path(path), text="", data=data)
        except (OSError, ValueError):
            pass
    doc = load(path)
    version = validate.openapi_version(doc)
    if len(raw) < VALIDATE_BELOW:
        validate.require_valid(doc)
    del version
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temp = cached.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(json.dumps(doc.data, ensure_ascii=False), "utf-8")
        temp.replace(cached)
    except (OSError, TypeError, ValueError):
        pass  # a cache is an optimisation: a read-only home or a non-JSON value just means no cache
    return doc


def _base_path(data: dict[str, Any]) -> str:
    servers = data.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = re.sub(r"\{[^}]*\}", "x", str(servers[0].get("url", "")))
        return urlsplit(url).path.rstrip("/")
    return ""


def index(doc: Document) -> MockSpec:
    """Routes for every path of the document, most specific (most literal characters) first."""
    version = validate.openapi_version(doc)
    data = doc.data
    spec = MockSpec(doc, version, _base_path(data), [], {})
    for name, scheme in ((data.get("components") or {}).get("securitySchemes") or {}).items():
        spec.schemes[str(name)] = spec.resolve(scheme) if isinstance(scheme, dict) else {}
    global_security = data.get("security") or []
    for template, item in (data.get("paths") or {}).items():
        item = spec.resolve(item)
        if not isinstance(item, dict) or not isinstance(template, str):
            continue
        names = _PARAM.findall(template)
        pattern = "".join(
            "([^/]+)" if _PARAM.fullmatch(part) else re.escape(part) for part in re.split(r"(\{[^{}/]+\})", template)
        )
        route = Route(template, re.compile(pattern + "/?"), names, len(_PARAM.sub("", template)))
        shared = [spec.resolve(p) for p in item.get("parameters") or []]
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            own = [spec.resolve(p) for p in op.get("parameters") or []]
            keys = {(p.get("name"), p.get("in")) for p in own if isinstance(p, dict)}
            params = [p for p in shared if isinstance(p, dict) and (p.get("name"), p.get("in")) not in keys]
            params += [p for p in own if isinstance(p, dict)]
            security = op.get("security", global_security)
            route.operations[method.upper()] = Operation(
                method.upper(), template, op, params, security if isinstance(security, list) else []
            )
        spec.routes.append(route)
    spec.routes.sort(key=lambda r: (-r.literal, len(r.names)))
    return spec


def properties(spec: MockSpec, schema: Any, depth: int = 0) -> dict[str, Any]:
    """The properties an object schema declares, through allOf (and the first anyOf/oneOf branch), $refs followed."""
    schema = spec.resolve(schema)
    if not isinstance(schema, dict) or depth > 16:
        return {}
    found: dict[str, Any] = {}
    for part in schema.get("allOf") or []:
        found.update(properties(spec, part, depth + 1))
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key) or []
        if branches and not found:
            found.update(properties(spec, branches[0], depth + 1))
    own = schema.get("properties")
    if isinstance(own, dict):
        found.update(own)
    return found


def all_properties(spec: MockSpec, schema: Any, depth: int = 0) -> dict[str, Any]:
    """Every property any branch (allOf, anyOf, oneOf) of an object schema declares."""
    schema = spec.resolve(schema)
    if not isinstance(schema, dict) or depth > 16:
        return {}
    found: dict[str, Any] = {}
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key) or []:
            found.update(all_properties(spec, part, depth + 1))
    own = schema.get("properties")
    if isinstance(own, dict):
        found.update(own)
    return found
