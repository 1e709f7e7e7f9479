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


def sample(source: Path, out: Path, with_params: int = 2, without: int = 2) -> Path:
    """Keep `with_params` templated paths and `without` literal ones (document order) and what they reference."""
    text = source.read_text(encoding="utf-8")
    data = json.loads(text) if source.suffix == ".json" else yaml.safe_load(text)
    paths = data.get("paths") or {}
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
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def credentials(spec: Path) -> tuple[list[str], list[str]]:
    """(mock options, contract options) that authenticate with the document's first security scheme."""
    schemes = (json.loads(spec.read_text()).get("components") or {}).get("securitySchemes") or {}
    for scheme in schemes.values():
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            return ["--token", TOKEN], ["--header", f"{scheme['name']}: {TOKEN}"]
    for scheme in schemes.values():
        if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            value = base64.b64encode(f"{TOKEN}:{TOKEN}".encode()).decode()
            return ["--token", value], ["--header", f"Authorization: Basic {value}"]
    if schemes:
        return ["--token", TOKEN], ["--header", f"Authorization: Bearer {TOKEN}"]
    return [], []
