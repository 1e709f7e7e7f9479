"""Stage 4a, models: Pydantic v2 models through datamodel-code-generator's Python API."""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path
from typing import Any

from datamodel_code_generator import PythonVersion, generate
from datamodel_code_generator.enums import DataModelType, InputFileType

from generator.errors import GenerationError

SCHEMAS = ("components", "schemas")


def mark_sensitive(schema: Any) -> Any:
    """A copy where every `x-sensitive: true` string is `format: password`, so it becomes SecretStr."""
    if isinstance(schema, list):
        return [mark_sensitive(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: mark_sensitive(v) for k, v in schema.items()}
    types = out.get("type")
    is_string = types == "string" or (isinstance(types, list) and "string" in types)
    if out.get("x-sensitive") is True and is_string and "format" not in out:
        out["format"] = "password"
    return out


def generate_models(openapi: str, components: dict[str, Any], source: str) -> tuple[str, dict[str, str]]:
    """Render models.py for `components`; return its text and the schema-name -> class-name map."""
    components = {**components, "schemas": mark_sensitive(components.get("schemas") or {})}
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
                    target_python_version=PythonVersion.PY_311,
                    disable_timestamp=True,
                    use_annotated=True,
                    field_constraints=True,
                    use_standard_collections=True,
                    use_union_operator=True,
                    strict_nullable=True,
                    use_schema_description=True,
                    use_field_description=False,
                    emit_model_metadata=meta_path,
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
