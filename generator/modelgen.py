"""Stage 4a, models: Pydantic v2 models through datamodel-code-generator's Python API."""

from __future__ import annotations

import json
import tempfile
import unicodedata
import warnings
from pathlib import Path
from typing import Any

from datamodel_code_generator import PythonVersion, generate
from datamodel_code_generator.enums import DataModelType, InputFileType

from .errors import GenerationError
from .walk import iter_mappings

SCHEMAS = ("components", "schemas")
# formats whose pydantic types need optional packages (email-validator): plain strings in generated code
# and URL formats (AnyUrl rejects the templated and relative URLs real APIs return)
_PLAIN_FORMATS = frozenset({"email", "idn-email", "uri", "uri-reference", "iri", "iri-reference", "uri-template"})
TEMPLATES = Path(__file__).parent / "templates" / "models"
_PROTECTED = ("model_dump", "model_validate")  # pydantic's protected namespaces: a field name there warns


def _is_nullable(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return schema.get("nullable") is True or (isinstance(types, list) and "null" in types) or types == "null"


def prepare(schema: Any) -> Any:
    """A copy made safe for the model generator.

    - `x-sensitive: true` strings become `format: password`, so they become SecretStr;
    - formats needing optional packages (email) become plain strings;
    - `default: null` on a schema that does not allow null is dropped (the field is just optional);
    - `nullable: false` is dropped (it is the default).
    """
    if isinstance(schema, list):
        return [prepare(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: prepare(v) for k, v in schema.items()}
    types = out.get("type")
    is_string = types == "string" or (isinstance(types, list) and "string" in types)
    if out.get("x-sensitive") is True and is_string and "format" not in out:
        out["format"] = "password"
    if is_string and out.get("format") in _PLAIN_FORMATS:
        del out["format"]
    if "default" in out and out["default"] is None and not _is_nullable(out):
        del out["default"]
    if out.get("nullable") is False:  # the default anyway; spelled out, it makes an optional field `str = None`
        del out["nullable"]
    return out


def local_name(ref: Any) -> str | None:
    """The component schema a `$ref` names (`#/components/schemas/NAME`, unescaped), or None."""
    if isinstance(ref, str) and ref.startswith("#/components/schemas/") and ref.count("/") == 3:
        return ref.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
    return None


def _own_properties(schema: Any, schemas: dict[str, Any], seen: frozenset[str] = frozenset()) -> set[str]:
    """Property names a schema declares, its allOf parents included."""
    if not isinstance(schema, dict):
        return set()
    name = local_name(schema.get("$ref"))
    if name is not None:
        return set() if name in seen else _own_properties(schemas.get(name), schemas, seen | {name})
    names = set(schema.get("properties") or {}) if isinstance(schema.get("properties"), dict) else set()
    for part in schema.get("allOf") or []:
        names |= _own_properties(part, schemas, seen)
    return names


def discriminated(node: Any, found: dict[str, set[str]]) -> dict[str, set[str]]:
    """schema name -> the discriminator properties it is a variant for (the generator pins them to a Literal)."""
    if isinstance(node, list):
        for v in node:
            discriminated(v, found)
    elif isinstance(node, dict):
        disc = node.get("discriminator")
        if isinstance(disc, dict) and isinstance(disc.get("propertyName"), str):
            refs = [p.get("$ref") for p in (node.get("oneOf") or node.get("anyOf") or []) if isinstance(p, dict)]
            mapping = disc.get("mapping")
            refs += list(mapping.values()) if isinstance(mapping, dict) else []
            for ref in refs:
                name = local_name(ref)
                if name is not None:
                    found.setdefault(name, set()).add(disc["propertyName"])
        for v in node.values():
            discriminated(v, found)
    return found


def flatten_overrides(node: Any, schemas: dict[str, Any], pinned: frozenset[str] = frozenset()) -> Any:
    """Inline an allOf parent that the schema redefines a property of, so no subclass narrows a field's type.

    `pinned` names properties the generator will redefine itself (discriminators of a union this schema is in).
    """
    if isinstance(node, list):
        return [flatten_overrides(v, schemas) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: flatten_overrides(v, schemas) for k, v in node.items()}
    parts = out.get("allOf")
    if isinstance(parts, list) and (len(parts) > 1 or pinned):
        inline = set(pinned)
        for part in parts:
            if isinstance(part, dict) and "$ref" not in part:
                inline |= _own_properties(part, schemas)
        redefined = [
            _own_properties(p, schemas) & inline if isinstance(p, dict) and "$ref" in p else set() for p in parts
        ]
        if any(redefined):
            out["allOf"] = [_inline(p, schemas) if clash else p for p, clash in zip(parts, redefined, strict=True)]
    return out


def _inline(part: dict[str, Any], schemas: dict[str, Any]) -> Any:
    name = local_name(part.get("$ref"))
    target = schemas.get(name) if name is not None else None
    if not isinstance(target, dict):
        return part
    copy = dict(target)
    # the inlined parent's own allOf parents are kept as references; a discriminator belongs to the parent
    copy.pop("discriminator", None)
    return copy


def normalizing_names(schemas: Any) -> dict[str, str]:
    """Field names for property names Python would change (NFKC: 'µ' -> 'μ'), so the wire name stays an alias."""
    found: dict[str, str] = {}
    for node in iter_mappings(schemas):
        props = node.get("properties")
        if isinstance(props, dict):
            for name in props:
                if isinstance(name, str) and unicodedata.normalize("NFKC", name) != name:
                    found[name] = "field_" + "".join(c if c.isascii() and c.isalnum() else f"u{ord(c):x}" for c in name)
                elif isinstance(name, str) and name.startswith(_PROTECTED):  # pydantic warns at import
                    found[name] = "field_" + "".join(c if c.isascii() and c.isalnum() else "_" for c in name)
    return dict(sorted(found.items()))


def prepare_components(components: dict[str, Any]) -> dict[str, Any]:
    """The components made safe for the model generator: `prepare`d, allOf overrides flattened (whole set at once)."""
    schemas = prepare(components.get("schemas") or {})
    pins = discriminated(schemas, {})
    schemas = {
        name: flatten_overrides(schema, schemas, frozenset(pins.get(name, ()))) for name, schema in schemas.items()
    }
    return {**components, "schemas": schemas}


def run_generator(openapi: str, components: dict[str, Any], source: str) -> tuple[str, dict[str, str]]:
    """Render one models module for prepared `components`; return its text and the schema-name -> class-name map."""
    document = {
        "openapi": openapi,
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": components,
    }
    with tempfile.TemporaryDirectory(prefix="specfirst-models-") as tmp:
        meta_path = Path(tmp) / "meta.json"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                text = generate(
                    document,
                    input_file_type=InputFileType.OpenAPI,
                    output_model_type=DataModelType.PydanticV2BaseModel,
                    target_python_version=PythonVersion.PY_310,
                    disable_timestamp=True,
                    use_annotated=True,
                    field_constraints=True,
                    use_standard_collections=True,
                    use_union_operator=True,
                    strict_nullable=True,
                    use_schema_description=True,
                    use_field_description=False,
                    set_default_enum_member=True,
                    use_subclass_enum=True,
                    capitalise_enum_members=True,
                    custom_template_dir=TEMPLATES,
                    treat_dot_as_module=False,
                    emit_model_metadata=meta_path,
                    aliases=normalizing_names(components.get("schemas") or {}),
                    formatters=[],
                )
        except GenerationError:
            raise
        except Exception as exc:
            message = " ".join(str(exc).split())[:300]
            raise GenerationError(f"{source}: datamodel-code-generator failed: {message}") from None
        if not isinstance(text, str):
            raise GenerationError(f"{source}: schema names would split models over several modules; not supported")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    class_map: dict[str, str] = {}
    for model in meta.get("models", []):
        path = model.get("source_path") or []
        if len(path) == 3 and tuple(path[:2]) == SCHEMAS:
            class_map[path[2]] = model["class_name"]
    return text, class_map


def warm_up() -> None:
    """A tiny run, so a worker has the model generator's imports and templates loaded before its first group."""
    schemas = {
        "Warm": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"$ref": "#/components/schemas/Up"}}},
        "Up": {"type": "string", "enum": ["x", "y"]},
    }
    run_generator("3.0.3", {"schemas": schemas}, "warm-up")


def generate_models(openapi: str, components: dict[str, Any], source: str) -> tuple[str, dict[str, str]]:
    """Render models.py for `components` in one run; return its text and the schema-name -> class-name map."""
    return run_generator(openapi, prepare_components(components), source)
