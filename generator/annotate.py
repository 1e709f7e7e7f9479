"""Stage 3b, annotate: the Python type expression for a schema site, once the model stage named its classes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .hoist import Hoisted, Site
from .schema_util import PRIMITIVES, is_primitive, schema_types


@dataclass(frozen=True)
class Annotator:
    """Types schemas for the client: a generated model, a builtin, or a container or union of those."""

    data: dict[str, Any]  # the document
    models: Hoisted
    class_map: dict[str, str]  # component schema name -> generated class name

    def __call__(self, schema: Any, at: Site, *, depth: int = 0) -> str:
        """The Python type for the schema found at `at`."""
        hoisted, class_map = self.models.hoisted, self.class_map
        if at in hoisted and hoisted[at] in class_map:
            return f"models.{class_map[hoisted[at]]}"
        schema = self.models.reshaped.get(at, schema)
        if not isinstance(schema, dict) or depth > 20:
            return "Any"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            parts = ref.split("/")
            if len(parts) == 4 and parts[:3] == ["#", "components", "schemas"]:
                name = parts[3].replace("~1", "/").replace("~0", "~")
                target = (self.data.get("components") or {}).get("schemas", {}).get(name)
                if isinstance(target, dict) and is_primitive(target):
                    return self(target, ("components", "schemas", name), depth=depth + 1)
                if name in class_map:
                    return f"models.{class_map[name]}"
            return "Any"
        types = schema_types(schema)
        nullable = "null" in types or schema.get("nullable") is True
        non_null = [t for t in types if t != "null"]
        if len(non_null) == 1 and non_null[0] in PRIMITIVES:
            base = "bytes" if schema.get("format") == "binary" else PRIMITIVES[non_null[0]]
        elif non_null == ["array"]:
            base = f"list[{self(schema.get('items'), (*at, 'items'), depth=depth + 1)}]"
        elif non_null == ["object"] or (not non_null and "properties" in schema):
            base = "dict[str, Any]"
        elif types == ["null"]:
            base = "None"
        else:
            base = self._combined(schema, at, depth)
        return f"{base} | None" if nullable and base not in {"Any", "None"} else base

    def _combined(self, schema: dict[str, Any], at: Site, depth: int) -> str:
        """The union of oneOf/anyOf members (a one-member allOf is that member); Any when one member is."""
        for key in ("oneOf", "anyOf", "allOf"):
            parts = schema.get(key)
            if not isinstance(parts, list) or not parts or (key == "allOf" and len(parts) > 1):
                continue
            found = [self(p, (*at, key, i), depth=depth + 1) for i, p in enumerate(parts)]
            members = list(dict.fromkeys(m for a in found for m in _union_split(a)))
            if "Any" in members:
                return "Any"
            return " | ".join([m for m in members if m != "None"] + (["None"] if "None" in members else []))
        return "Any"


def union_members(annotations: list[str]) -> list[str]:
    """The members of a union of `annotations`: Any absorbs the rest, None goes last."""
    if "Any" in annotations:
        return ["Any"]
    members = [a for a in annotations if a != "None"]
    return members + (["None"] if "None" in annotations else [])


def _union_split(annotation: str) -> list[str]:
    """The top-level members of a union annotation: 'list[int | str] | None' -> ['list[int | str]', 'None']."""
    members, depth, start = [], 0, 0
    for i, ch in enumerate(annotation):
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if depth == 0 and annotation.startswith(" | ", i):
            members.append(annotation[start:i])
            start = i + 3
    return [*members, annotation[start:]]
