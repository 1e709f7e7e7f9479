"""Parameters off the wire: path, query, header and cookie values read by their OpenAPI style, typed by schema."""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import unquote

MISSING = object()


def _types(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    kind = schema.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind]
    if isinstance(kind, str):
        return [kind]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(schema.get(key), list):
            return [t for sub in schema[key] for t in _types(sub)]
    if "properties" in schema:
        return ["object"]
    if "items" in schema:
        return ["array"]
    return []


def coerce(text: Any, schema: Any, resolve: Any) -> Any:
    """A wire string as the JSON value its schema describes; left a string when it does not parse."""
    schema = resolve(schema)
    if not isinstance(text, str):
        return text
    for kind in _types(schema):
        if kind == "integer":
            try:
                return int(text, 10)
            except ValueError:
                continue
        elif kind == "number":
            try:
                number = float(text)
            except ValueError:
                continue
            if math.isfinite(number):
                return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
        elif kind == "boolean" and text in ("true", "false"):
            return text == "true"
        elif kind == "null" and text in ("", "null"):
            return None
    return text


def _split(text: str, sep: str, schema: dict[str, Any], explode: bool, resolve: Any) -> Any:
    """A delimited value as an array or object, depending on what the schema says it is."""
    kinds = _types(schema)
    if "array" in kinds:
        items = [] if text == "" else text.split(sep)
        return [coerce(i, schema.get("items") or {}, resolve) for i in items]
    if "object" in kinds:
        props = schema.get("properties") or {}
        if explode:
            pairs = [p.partition("=") for p in text.split(sep) if p]
            return {k: coerce(v, props.get(k) or {}, resolve) for k, _, v in pairs}
        parts = text.split(sep)
        if len(parts) % 2:
            return text
        return {parts[i]: coerce(parts[i + 1], props.get(parts[i]) or {}, resolve) for i in range(0, len(parts), 2)}
    return coerce(text, schema, resolve)


def read(param: dict[str, Any], request: Any, path_params: dict[str, str], resolve: Any) -> Any:
    """The parameter's value as JSON data, or MISSING; `request` offers query pairs, headers and cookies."""
    name, where = str(param.get("name")), param.get("in")
    content = param.get("content")
    schema = resolve(param.get("schema") or {})
    if isinstance(content, dict) and content:
        schema = resolve(next(iter(content.values())).get("schema") or {})
    style = param.get("style") or {"query": "form", "cookie": "form"}.get(str(where), "simple")
    explode = param.get("explode", style == "form")
    if where == "path":
        if name not in path_params:
            return MISSING
        text = path_params[name]
        if style == "label":
            text = text[1:] if text.startswith(".") else text
            return _split(text, "." if explode else ",", schema, explode, resolve) if content is None else text
        if style == "matrix":
            text = text.split("=", 1)[1] if "=" in text else text
            return _split(text.lstrip(";"), ";" if explode else ",", schema, explode, resolve)
        return _parse_content(text) if content else _split(text, ",", schema, explode, resolve)
    if where == "header":
        text = request.headers.get(name)
        if text is None:
            return MISSING
        return _parse_content(text) if content else _split(text, ",", schema, explode, resolve)
    if where == "cookie":
        text = request.cookies.get(name)
        if text is None:
            return MISSING
        return _parse_content(text) if content else _split(text, ",", schema, explode, resolve)
    return _query(name, style, explode, schema, request.query_pairs, resolve, content)


def _query(
    name: str,
    style: str,
    explode: bool,
    schema: dict[str, Any],
    pairs: list[tuple[str, str]],
    resolve: Any,
    content: Any,
) -> Any:
    values = [v for k, v in pairs if k == name]
    kinds = _types(schema)
    if style == "deepObject":
        return deep_object(name, pairs, schema, resolve)
    if "object" in kinds and explode and style == "form" and not content:
        props = schema.get("properties") or {}
        found = {k: v for k, v in pairs if k in props}
        return {k: coerce(v, props[k], resolve) for k, v in found.items()} if found else MISSING
    if not values:
        return MISSING
    if content:
        return _parse_content(values[-1])
    if "array" in kinds:
        if explode and style == "form":
            return [coerce(v, schema.get("items") or {}, resolve) for v in values]
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return _split(values[-1], sep, schema, explode, resolve)
    if len(values) > 1:
        return values  # a scalar sent twice: the validator reports it as the wrong type
    return _split(values[0], ",", schema, explode, resolve)


_STEP = re.compile(r"\[([^\[\]]*)\]")
MAX_STEPS = 32


def deep_object(name: str, pairs: list[tuple[str, str]], schema: Any, resolve: Any) -> Any:
    """`name[a][b][0]=v` pairs as the nested value they spell (Stripe's query and form bodies), typed by the schema;
    MISSING when no pair is for `name`."""
    root: Any = MISSING
    for key, text in pairs:
        rest = key[len(name) :]
        if not key.startswith(name + "["):
            continue
        path = _STEP.findall(rest)
        if len(path) > MAX_STEPS or "".join(f"[{step}]" for step in path) != rest:
            continue  # not brackets all the way: not this parameter's
        root = _put(root, path, text, schema, resolve)
    return root


def _branch(schema: Any, kind: str, resolve: Any, depth: int = 0) -> dict[str, Any] | None:
    """The part of `schema` (itself, or an anyOf/oneOf/allOf branch) that describes a value of type `kind`."""
    schema = resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return None
    declared = schema.get("type")
    if declared == kind or (isinstance(declared, list) and kind in declared):
        return schema
    if declared is None and ("properties" if kind == "object" else "items") in schema:
        return schema
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            found = _branch(sub, kind, resolve, depth + 1)
            if found is not None:
                return found
    return None


def _put(node: Any, path: list[str], text: str, schema: Any, resolve: Any) -> Any:
    if not path:
        kinds = _types(resolve(schema))
        as_list = _branch(schema, "array", resolve)
        if as_list is not None and text != "":  # `tags[]=a&tags[]=b`, or the key repeated without an index
            items = node if isinstance(node, list) else []
            return [*items, coerce(text, as_list.get("items") or {}, resolve)]
        if text == "" and "string" not in kinds and ("array" in kinds or "object" in kinds):
            return [] if "array" in kinds else {}  # `files=`: an empty array or object has nothing else to send
        return coerce(text, schema, resolve)
    step, rest = path[0], path[1:]
    as_array = _branch(schema, "array", resolve)
    if as_array is not None and (step == "" or step.isdigit()) and not isinstance(node, dict):
        items = node if isinstance(node, list) else []
        item_schema = as_array.get("items") or {}
        index = int(step) if step else len(items)
        if index < len(items):
            items[index] = _put(items[index], rest, text, item_schema, resolve)
        else:  # indices name the order, not positions: no holes
            items.append(_put(MISSING, rest, text, item_schema, resolve))
        return items
    found = node if isinstance(node, dict) else {}
    as_object = _branch(schema, "object", resolve) or {}
    sub = (as_object.get("properties") or {}).get(step)
    if sub is None:
        extra = as_object.get("additionalProperties")
        sub = extra if isinstance(extra, dict) else {}
    found[step] = _put(found.get(step, MISSING), rest, text, sub, resolve)
    return found


def _parse_content(text: str) -> Any:
    try:
        return json.loads(unquote(text))
    except ValueError:
        return text
