"""Stage 3a, hoist: the model stage's input (component schemas plus the inline schemas the client names)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import shapes
from .load import Document
from .naming import Namer, pascal
from .refs import Resolver
from .schema_util import LOCATIONS, is_primitive, pick_media, schema_types, status_sort, text
from .walk import iter_mappings, iter_operations

Site = tuple[str | int, ...]  # a JSON pointer into the document, as parts


@dataclass(frozen=True)
class Hoisted:
    """What the model stage gets, and how the build stage finds the models made for inline schemas."""

    components: dict[str, Any]  # the document's components, `schemas` extended
    hoisted: dict[Site, str]  # schema site -> the component schema name it was hoisted as
    reshaped: dict[Site, Any]  # request schema sites not hoisted -> their readOnly-free copy


def hoist(doc: Document) -> Hoisted:
    """The spec's own component schemas, inline body and enum parameter schemas hoisted by name, and request
    variants of schemas with readOnly/writeOnly properties (see generator.shapes)."""
    data: dict[str, Any] = doc.data
    resolver = Resolver(doc)
    hoisted: dict[Site, str] = {}
    reshaped: dict[Site, Any] = {}
    components = dict(data.get("components") or {})
    schemas = dict(components.get("schemas") or {})
    taken = set(schemas)
    op_namer = Namer()
    sites: list[tuple[Site, str, str, str]] = []
    for path, method, op in iter_operations(data):
        stem = pascal(text(op.get("operationId")) or f"{method} {path}", fallback="Operation")
        sites += _schema_sites(resolver, path, method, op, op_namer.claim(stem))
    shared = _shared_enums(data, sites, _property_names(schemas))
    named: dict[str, str] = {}  # shared enum key -> its model name
    requests: list[Site] = []
    for site, name, kind, _ in sites:
        requests += [site] if kind == "request" else []
        schema = _site_schema(data, site)
        needed = _is_enum(schema) if kind == "parameter" else _needs_model(schema)
        if schema is None or site in hoisted or not needed:
            continue
        key, (name, schema) = shared[site] if site in shared else ("", (name, schema))
        if key in named:
            hoisted[site] = named[key]
            continue
        name = suffix_name(name, taken)
        taken.add(name)
        schemas[name] = schema
        hoisted[site] = name
        if key:
            named[key] = name
    shaper = shapes.Shaper(schemas, taken)
    if shaper.split:  # only documents with readOnly/writeOnly properties change
        bodies = {hoisted[s] for s in requests if s in hoisted}
        schemas = {n: shaper.reshape(s, request=n in bodies) if n in shaper.split else s for n, s in schemas.items()}
        for site in requests:
            if site not in hoisted:
                reshaped[site] = shaper.reshape(_site_schema(data, site), request=True)
        schemas.update(shaper.request_variants())
    components["schemas"] = schemas
    return Hoisted(components, hoisted, reshaped)


def _schema_sites(
    resolver: Resolver, path: str, method: str, op: dict[str, Any], stem: str
) -> list[tuple[Site, str, str, str]]:
    """(site, model name to hoist it as, request | response | parameter, a parameter's own name in PascalCase)
    for each schema the client uses."""
    sites: list[tuple[Site, str, str, str]] = []
    body, at = resolver.deref(op.get("requestBody"), ["paths", path, method, "requestBody"])
    picked = pick_media(body.get("content")) if isinstance(body, dict) else None
    if picked:
        sites.append(((*at, "content", picked[0], "schema"), stem + "Request", "request", ""))
    for status, response in sorted((op.get("responses") or {}).items(), key=lambda kv: status_sort(str(kv[0]))):
        resp, rat = resolver.deref(response, ["paths", path, method, "responses", str(status)])
        picked = pick_media(resp.get("content")) if isinstance(resp, dict) else None
        if picked:
            name = f"{stem}Response{pascal(str(status))}"
            sites.append(((*rat, "content", picked[0], "schema"), name, "response", ""))
    merged: dict[tuple[Any, Any], tuple[dict[str, Any], list[str | int]]] = {}
    for owner, where in ((resolver.doc.data["paths"][path], ["paths", path]), (op, ["paths", path, method])):
        for i, raw in enumerate(owner.get("parameters") or []):
            param, pat = resolver.deref(raw, [*where, "parameters", i])
            if isinstance(param, dict) and param.get("in") in LOCATIONS and isinstance(param.get("schema"), dict):
                merged[(param.get("in"), param.get("name"))] = (param, pat)
    for param, pat in merged.values():
        shared = len(pat) == 3 and pat[:2] == ["components", "parameters"]
        name = pascal(str(pat[2]) if shared else f"{stem} {param.get('name')}", fallback="Parameter")
        site = (*pat, "schema")
        items = "Item" if schema_types(param["schema"]) == ["array"] else ""
        alone = pascal(str(param.get("name")), fallback="Parameter") + items
        sites.append(((*site, "items") if items else site, name + items, "parameter", alone))
    return sites


def _shared_enums(
    data: Any, sites: list[tuple[Site, str, str, str]], nested: set[str]
) -> dict[Site, tuple[str, tuple[str, Any]]]:
    """Enum parameter schemas that several sites declare alike (same parameter name; same schema but for
    description, examples and default, which the Enum class does not carry): site -> (group key, (model name,
    schema)). The name is a shared component parameter's model name when one is in the group, else the
    parameter's, with "Param" when the model stage names nested models so (`nested`); the schema keeps a
    description that every site agrees on."""
    groups: dict[str, dict[Site, tuple[str, dict[str, Any]]]] = {}
    for site, own, kind, alone in sites:
        schema = _site_schema(data, site)
        if kind == "parameter" and _is_enum(schema):
            same = {k: v for k, v in schema.items() if k not in {"description", "example", "examples", "default"}}
            key = json.dumps([alone, same], sort_keys=True, default=str)
            component = site[:2] == ("components", "parameters")
            groups.setdefault(key, {}).setdefault(site, (own if component else "", schema))
    shared: dict[Site, tuple[str, tuple[str, Any]]] = {}
    for key, members in groups.items():
        if len(members) < 2:
            continue
        schemas = [schema for _, schema in members.values()]
        schema = dict(schemas[0])
        if len({str(s.get("description")) for s in schemas}) > 1:
            schema.pop("description", None)
        alone = json.loads(key)[0]
        name = next((own for own, _ in members.values() if own), alone + ("Param" if alone in nested else ""))
        shared.update((site, (key, (name, schema))) for site in members)
    return shared


def _property_names(node: Any) -> set[str]:
    """The class names the model stage may give nested models: every property name in the schemas, PascalCased."""
    found: set[str] = set()
    for item in iter_mappings(node):
        props = item.get("properties")
        found |= {pascal(str(k)) for k in props} if isinstance(props, dict) else set()
    return found


def _is_enum(schema: Any) -> bool:
    """An enum of strings or of integers (a parameter's choices), typed by a hoisted Enum model."""
    if not isinstance(schema, dict) or {"$ref", "allOf", "oneOf", "anyOf"} & set(schema):
        return False
    values = schema.get("enum")
    if not isinstance(values, list) or not values:
        return False
    return all(isinstance(v, str) for v in values) or all(type(v) is int for v in values)


def _needs_model(schema: Any) -> bool:
    if not isinstance(schema, dict) or not schema or "$ref" in schema:
        return False
    if is_primitive(schema):
        return False
    if schema_types(schema) == ["array"]:
        return _needs_model(schema.get("items"))
    return not (schema_types(schema) == ["object"] and not schema.get("properties") and not schema.get("allOf"))


def _site_schema(data: Any, site: Site) -> Any:
    node: Any = data
    for part in site:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def suffix_name(name: str, taken: set[str]) -> str:
    """`name`, or `name2`, `name3`… so that it is not in `taken`."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}{n}"
    return candidate
