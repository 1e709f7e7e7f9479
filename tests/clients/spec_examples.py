"""Read the documented response examples straight from spec/, so the tests follow the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def operation(spec: str) -> dict[str, Any]:
    """The single PUT operation of a spec file."""
    data = yaml.safe_load((ROOT / "spec" / spec).read_text(encoding="utf-8"))
    (item,) = data["paths"].values()
    return item["put"]  # type: ignore[no-any-return]


def response_examples(spec: str) -> list[tuple[int, Any]]:
    """(status, example body) for every documented response example, in spec order."""
    out = []
    for status, response in operation(spec)["responses"].items():
        media = response["content"]["application/json"]
        for example in media.get("examples", {}).values():
            out.append((int(status), example["value"]))
    return out


def request_example(spec: str) -> Any:
    """The first documented request body example."""
    media = next(iter(operation(spec)["requestBody"]["content"].values()))
    return next(iter(media["examples"].values()))["value"]
