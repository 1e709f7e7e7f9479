"""A synthetic document large enough that its models are made in groups by worker processes."""

from __future__ import annotations

from typing import Any

FILLER = "Described at length so that the document is large enough to be split. " * 40  # ~2.9 KB


def _family(prefix: str, extra: str, count: int) -> dict[str, Any]:
    """`count` schemas that reference each other (one group), plus an inline `address` and a `metadata` map."""
    schemas: dict[str, Any] = {}
    for i in range(count):
        schemas[f"{prefix}{i}"] = {
            "type": "object",
            "description": FILLER,
            "properties": {
                "id": {"type": "string"},
                "next": {"$ref": f"#/components/schemas/{prefix}{(i + 1) % count}"},
            },
        }
    schemas[prefix] = {
        "type": "object",
        "required": ["address"],
        "properties": {
            "first": {"$ref": f"#/components/schemas/{prefix}0"},
            # an inline object: the model generator names it Address in each group on its own
            "address": {"type": "object", "required": [extra], "properties": {extra: {"type": "string"}}},
            # a constrained map value: a TypeAliasType named MetadataAdditionalProperty in each group
            "metadata": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 5}},
            # an inline enum with a default (an enum class Status in each group, its member as the default)
            "status": {"type": "string", "enum": ["open", "closed"], "default": "open"},
            # a field named like a class that gets renamed: the field keeps its name
            "Status": {"type": "integer"},
        },
    }
    return schemas


def grouped_spec(size: int = 80) -> dict[str, Any]:
    """Two independent families of `size` schemas each, plus a component that clashes with their inline names."""
    schemas = {**_family("Order", "street", size), **_family("Shipment", "dock", size)}
    schemas["Address"] = {"type": "object", "properties": {"line": {"type": "string"}}}  # a third Address
    paths = {
        f"/{name.lower()}s/{{id}}": {
            "get": {
                "operationId": f"get{name}",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                    }
                },
            }
        }
        for name in ("Order", "Shipment", "Address")
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Groups", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
