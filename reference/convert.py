"""Between JSON and the generated models: bodies into request models, response models into JSON."""

from __future__ import annotations

import typing
from collections.abc import Collection
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, SecretStr, ValidationError

from reference.validation import Invalid

M = TypeVar("M", bound=BaseModel)


def from_body(model: type[M], data: dict[str, Any]) -> M:
    """The generated request model for a body the spec's validator has already accepted."""
    try:
        return build(model, data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise Invalid(str(first["loc"][0]) if first["loc"] else "body", first["type"]) from exc


def build(model: type[M], data: dict[str, Any]) -> M:
    """`model.model_validate(data)`, except that pydantic's regular expressions do not overrule the spec's.

    The spec (ECMA-262 regular expressions, checked by jsonschema_rs) is the authority. Pydantic's regex
    engine reads a few classes differently (e.g. `\\S` and U+0085), so when pydantic objects only to
    patterns, the model is built from the values as they are instead of rejecting valid data.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        if any(p["type"] != "string_pattern_mismatch" for p in exc.errors()):
            raise
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in data:
            value = data[name]
            if isinstance(value, str) and _is_secret(info.annotation):
                value = SecretStr(value)
            values[name] = value
    return model.model_construct(_fields_set=set(values), **values)


def _is_secret(annotation: Any) -> bool:
    return annotation is SecretStr or SecretStr in typing.get_args(annotation)


def to_json(model: BaseModel, nullable: Collection[str] = ()) -> dict[str, Any]:
    """JSON-ready data with secrets revealed (the wire format); None is dropped unless the field is nullable."""
    data = model.model_dump(mode="python", warnings=False)
    out: dict[str, Any] = {}
    for name, value in data.items():
        if value is None and name not in nullable:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        out[name] = value.value if isinstance(value, Enum) else value
    return out
