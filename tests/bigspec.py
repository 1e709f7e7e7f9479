"""A synthetic document large enough that its models are made in groups by worker processes."""

from __future__ import annotations

from typing import Any

FILLER = "Described at length so that the document is large enough to be split. " * 40  # ~2.9 KB


def _family(prefix: str, extra: str, count: int) -> dict[str, Any]:
    """`count` schemas that reference each other in a ring, plus an inline `address` and a `metadata` map."""
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


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# schemas whose classes are made with others' (a base class, a root model's type, an enum member as a default,
# the variants of a discriminated union): first and last in the document, so far apart that they would be in
# different groups if they were not kept together
def _users(size: int) -> dict[str, Any]:
    """Schemas made with others (`_USED`, and two of the families', late in the document)."""
    return {
        "Painted": {"type": "object", "properties": {"colour": {**_ref("Colour"), "default": "red"}}},
        "Child": {"allOf": [_ref("Base"), {"type": "object", "properties": {"extra": {"type": "string"}}}]},
        "Pet": {
            "oneOf": [_ref("Cat"), _ref("Dog")],
            "discriminator": {
                "propertyName": "kind",
                "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
            },
        },
        "Paints": {"type": "array", "items": _ref("Painted")},
        # extra properties' types: a type alias made at module level, and a class attribute
        "Bag": {
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "additionalProperties": {"type": "array", "items": _ref(f"Order{size * 3 // 4}"), "maxItems": 3},
        },
        "Box": {
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "additionalProperties": _ref(f"Shipment{size * 7 // 8}"),
        },
    }


_USED = {
    "Colour": {"type": "string", "enum": ["red", "green"]},
    "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
    "Cat": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}},
    },
    "Dog": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}},
    },
}


def grouped_spec(size: int = 80) -> dict[str, Any]:
    """Two families of `size` schemas each (each one a ring of references: its schemas fall in several groups),
    a component that clashes with their inline names, and schemas that must be made together though far apart."""
    schemas = {**_users(size), **_family("Order", "street", size), **_family("Shipment", "dock", size)}
    schemas["Address"] = {"type": "object", "properties": {"line": {"type": "string"}}}  # a third Address
    schemas.update(_USED)
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
