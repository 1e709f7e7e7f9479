"""A sample of a corpus document: a few of its operations, with only the components they reach, as JSON."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import yaml

TOKEN = "corpus-token"


def _refs(node: Any, into: list[str]) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                into.append(ref)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


METHODS = ("get", "put", "post", "delete", "patch")


def _documents_errors(item: Any, secured_by_default: bool) -> bool:
    """Every operation of the path documents the answers a mock gives to bad requests: 400 (and 401 if secured)."""
    for method in METHODS:
        op = item.get(method) if isinstance(item, dict) else None
        if not isinstance(op, dict):
            continue
        codes = {str(c).upper() for c in op.get("responses") or {}}
        if codes & {"DEFAULT", "4XX"}:
            continue
        secured = bool(op.get("security")) if "security" in op else secured_by_default
        if "400" not in codes or (secured and not codes & {"401", "403"}):
            return False
    return True


def sample(source: Path, out: Path, with_params: int = 2, without: int = 2) -> Path:
    """Keep `with_params` templated paths and `without` literal ones (document order) whose operations document
    their error answers (a mock can only answer a bad request with what the spec documents), and what they reference.
    """
    text = source.read_text(encoding="utf-8")
    data = json.loads(text) if source.suffix == ".json" else yaml.safe_load(text)
    every = data.get("paths") or {}
    paths = {p: i for p, i in every.items() if _documents_errors(i, bool(data.get("security")))} or every
    keep = [p for p in paths if "{" in p][:with_params] + [p for p in paths if "{" not in p][:without]
    data["paths"] = {p: paths[p] for p in keep}
    components = data.get("components") or {}
    kept: dict[str, dict[str, Any]] = {"securitySchemes": components.get("securitySchemes") or {}}
    pending: list[str] = []
    _refs(data["paths"], pending)
    _refs(data.get("security") or [], pending)
    while pending:
        ref = pending.pop()
        _, _, kind, name = ref.split("/", 3)
        name = name.replace("~1", "/").replace("~0", "~")
        if name in kept.setdefault(kind, {}) or name not in (components.get(kind) or {}):
            continue
        kept[kind][name] = components[kind][name]
        _refs(kept[kind][name], pending)
    data["components"] = {k: v for k, v in kept.items() if v}
    out.write_text(json.dumps(data, default=str), encoding="utf-8")
    return out


def documents_errors(spec: Path) -> bool:
    """Whether every operation of a sample documents its error answers (else only the examples phase applies)."""
    data = json.loads(spec.read_text())
    return all(_documents_errors(item, bool(data.get("security"))) for item in (data.get("paths") or {}).values())


def credentials(spec: Path) -> tuple[list[str], list[str]]:
    """(mock options, contract options) that authenticate with every security scheme of the document."""
    schemes = (json.loads(spec.read_text()).get("components") or {}).get("securitySchemes") or {}
    kinds = [(s.get("type"), str(s.get("scheme", "")).lower()) for s in schemes.values()]
    if ("http", "basic") in kinds and all(k == ("http", "basic") or k[0] == "apiKey" for k in kinds):
        value = base64.b64encode(f"{TOKEN}:{TOKEN}".encode()).decode()
        return ["--token", value], ["--header", f"Authorization: Basic {value}"]
    headers = {s["name"]: TOKEN for s in schemes.values() if s.get("type") == "apiKey" and s.get("in") == "header"}
    if any(kind in {"oauth2", "openIdConnect"} or (kind == "http" and sub == "bearer") for kind, sub in kinds):
        headers["Authorization"] = f"Bearer {TOKEN}"  # every scheme the operations may require, not only the first
    if headers:
        return ["--token", TOKEN], [arg for name, value in headers.items() for arg in ("--header", f"{name}: {value}")]
    return [], []
