"""Single-change spec pairs made by mutating the seed specs and corpus documents, each with its expected verdict."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "specs"
SOURCES = {
    "huawei": ROOT / "spec" / "huawei-apig.yaml",
    "rainbond": ROOT / "spec" / "rainbond-console.yaml",
    "petstore": CORPUS / "petstore3.yaml",
    "train": CORPUS / "train-travel-3.1.yaml",
}
Doc = dict[str, Any]
Mutation = Callable[[Doc], None]

H = "/v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}"
R = "/openapi/v2/manage/regions/{region_id}"


@cache
def _original(name: str) -> str:
    return json.dumps(yaml.safe_load(SOURCES[name].read_text(encoding="utf-8")), ensure_ascii=False)


def original(name: str) -> Doc:
    """A fresh copy of a source document's data."""
    data: Doc = json.loads(_original(name))
    return data


@dataclass(frozen=True)
class Pair:
    """BASE is `source` after `before`; HEAD is BASE after `after`. No expected id means no change at all."""

    name: str
    source: str
    after: Mutation
    rule: str | None = None
    level: str | None = None
    before: Mutation | None = None

    def documents(self) -> tuple[Doc, Doc]:
        base = original(self.source)
        if self.before is not None:
            self.before(base)
        head = copy.deepcopy(base)
        self.after(head)
        return base, head


# --- small helpers that each make one edit -------------------------------------------------------------------


def schema(doc: Doc, name: str) -> Doc:
    found: Doc = doc["components"]["schemas"][name]
    return found


def prop(doc: Doc, model: str, name: str) -> Doc:
    found: Doc = schema(doc, model)["properties"][name]
    return found


def op(doc: Doc, path: str, method: str) -> Doc:
    found: Doc = doc["paths"][path][method]
    return found


def huawei_put(doc: Doc) -> Doc:
    return op(doc, H, "put")


def nothing(doc: Doc) -> None:
    return None


def reorder(node: Any) -> Any:
    """Every mapping's keys (and nothing else) in reverse order."""
    if isinstance(node, dict):
        return {k: reorder(node[k]) for k in reversed(list(node))}
    if isinstance(node, list):
        return [reorder(v) for v in node]
    return node


def reorder_all(doc: Doc) -> None:
    reordered = reorder(doc)
    doc.clear()
    doc.update(reordered)


def set_in(path: list[Any], value: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return mutate


def delete_in(path: list[Any]) -> Mutation:
    def mutate(doc: Doc) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return mutate


def edit(fn: Callable[[Doc], Any]) -> Mutation:
    """A mutation written as one expression (a lambda whose value is ignored)."""

    def mutate(doc: Doc) -> None:
        fn(doc)

    return mutate


def inline_ref(path: list[Any]) -> Mutation:
    """Replace the `$ref` at `path` by a copy of the component it names (a refactor, not a change)."""

    def mutate(doc: Doc) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        ref = node[path[-1]]["$ref"]
        node[path[-1]] = copy.deepcopy(schema(doc, ref.rsplit("/", 1)[-1]))

    return mutate


def rename_path_param(old_path: str, new_path: str, old: str, new: str, method_level: bool = True) -> Mutation:
    def mutate(doc: Doc) -> None:
        doc["paths"] = {(new_path if k == old_path else k): v for k, v in doc["paths"].items()}
        item = doc["paths"][new_path]
        holders = [item.get("parameters") or []] + [
            o.get("parameters") or [] for o in item.values() if isinstance(o, dict)
        ]
        for params in holders:
            for param in params:
                if isinstance(param, dict) and param.get("name") == old and param.get("in") == "path":
                    param["name"] = new

    return mutate


def add_param(path: str, method: str, param: Doc) -> Mutation:
    return edit(lambda d: op(d, path, method).setdefault("parameters", []).append(param))


def query(name: str, required: bool, **schema_: Any) -> Doc:
    return {"name": name, "in": "query", "required": required, "schema": schema_ or {"type": "string"}}


def add_security_scheme(name: str) -> Mutation:
    return edit(
        lambda d: d["components"].setdefault("securitySchemes", {}).update({name: {"type": "http", "scheme": "basic"}})
    )


def both(*mutations: Mutation) -> Mutation:
    def mutate(doc: Doc) -> None:
        for m in mutations:
            m(doc)

    return mutate


def to_allof(doc: Doc) -> None:
    """Booking as allOf [the readOnly id, the rest]: the same schema, written differently."""
    booking = schema(doc, "Booking")
    props = booking.pop("properties")
    first = {"type": "object", "properties": {"id": props.pop("id")}}
    booking["allOf"] = [first, {"type": "object", "properties": props}]


B, W, N = "breaking", "warning", "info"  # N: info
UPDATE_APP = ["paths", H, "put"]
APP_CREATE = ["components", "schemas", "AppCreate"]
APP_INFO = ["components", "schemas", "AppInfo"]
REGION_REQ = ["components", "schemas", "UpdateRegionReq"]
FIND = ["paths", "/pet/findByStatus", "get", "parameters", 0]

PAIRS: list[Pair] = [
    # traps: nothing changed on the wire
    Pair("identical", "huawei", nothing),
    Pair("keys-reordered", "huawei", reorder_all),
    Pair("keys-reordered-petstore", "petstore", reorder_all),
    Pair(
        "media-type-parameters-spelled-differently",
        "huawei",
        edit(
            lambda d: huawei_put(d)["requestBody"].update(
                content={
                    "application/json; charset=utf-8": huawei_put(d)["requestBody"]["content"].pop(
                        "application/json;charset=UTF-8"
                    )
                }
            )
        ),
    ),
    Pair(
        "request-schema-inlined",
        "huawei",
        inline_ref([*UPDATE_APP, "requestBody", "content", "application/json;charset=UTF-8", "schema"]),
    ),
    Pair(
        "response-schema-moved-to-components",
        "huawei",
        set_in(
            [*UPDATE_APP, "responses", "201", "content", "application/json", "schema"],
            {"$ref": "#/components/schemas/AppInfo"},
        ),
        before=inline_ref([*UPDATE_APP, "responses", "201", "content", "application/json", "schema"]),
    ),
    Pair("nested-schema-inlined", "petstore", inline_ref(["components", "schemas", "Pet", "properties", "category"])),
    Pair("schema-rewritten-as-allof", "train", to_allof),
    Pair(
        "train-request-body-inlined",
        "train",
        inline_ref(["paths", "/bookings", "post", "requestBody", "content", "application/json", "schema"]),
    ),
    Pair(
        "nullable-written-as-anyof-null",
        "rainbond",
        set_in(
            [*REGION_REQ, "properties", "token"],
            {
                "anyOf": [
                    {"type": "string", "maxLength": 255, "format": "password", "x-sensitive": True},
                    {"type": "null"},
                ],
                "title": "Token",
            },
        ),
    ),
    Pair(
        "response-became-anyof-null",
        "huawei",
        set_in([*APP_INFO, "properties", "status"], {"anyOf": [{"type": "integer"}, {"type": "null"}]}),
        "response-property-became-nullable",
        B,
    ),
    Pair("implicit-object-type", "petstore", delete_in(["components", "schemas", "Category", "type"])),
    Pair("description-edited", "huawei", set_in([*APP_CREATE, "properties", "name", "description"], "changed")),
    Pair("example-edited", "huawei", set_in([*UPDATE_APP, "parameters", 0, "example"], "other")),
    Pair(
        "header-name-case", "petstore", set_in(["paths", "/pet/{petId}", "delete", "parameters", 0, "name"], "API_KEY")
    ),
    # paths and operations
    Pair(
        "path-parameter-renamed",
        "huawei",
        rename_path_param(H, H.replace("{app_id}", "{application_id}"), "app_id", "application_id"),
        "request-path-parameter-renamed",
        N,
    ),
    Pair(
        "path-level-parameter-renamed",
        "train",
        rename_path_param("/bookings/{bookingId}", "/bookings/{id}", "bookingId", "id"),
        "request-path-parameter-renamed",
        N,
    ),
    Pair(
        "petstore-path-parameter-renamed",
        "petstore",
        rename_path_param("/pet/{petId}", "/pet/{id}", "petId", "id"),
        "request-path-parameter-renamed",
        N,
    ),
    Pair("path-removed", "huawei", delete_in(["paths", H]), "api-path-removed-without-deprecation", B),
    Pair(
        "operation-removed",
        "petstore",
        delete_in(["paths", "/pet/{petId}", "delete"]),
        "api-removed-without-deprecation",
        B,
    ),
    Pair(
        "deprecated-operation-removed",
        "petstore",
        delete_in(["paths", "/pet/{petId}", "delete"]),
        "api-removed-with-deprecation",
        W,
        before=set_in(["paths", "/pet/{petId}", "delete", "deprecated"], True),
    ),
    Pair(
        "operation-added",
        "huawei",
        set_in(["paths", "/health"], {"get": {"operationId": "health", "responses": {"200": {"description": "OK"}}}}),
        "endpoint-added",
        N,
    ),
    Pair(
        "operation-id-renamed",
        "huawei",
        set_in([*UPDATE_APP, "operationId"], "modify_app"),
        "api-operation-id-changed",
        N,
    ),
    Pair("operation-deprecated", "huawei", set_in([*UPDATE_APP, "deprecated"], True), "endpoint-deprecated", N),
    # parameters
    Pair(
        "required-query-parameter-added",
        "huawei",
        add_param(H, "put", query("dry_run", True)),
        "new-required-request-parameter",
        B,
    ),
    Pair(
        "optional-query-parameter-added",
        "huawei",
        add_param(H, "put", query("dry_run", False)),
        "new-optional-request-parameter",
        N,
    ),
    Pair(
        "parameter-location-changed",
        "huawei",
        set_in([*UPDATE_APP, "parameters", 3, "in"], "header"),
        "request-parameter-location-changed",
        B,
        before=add_param(H, "put", query("trace", False)),
    ),
    Pair(
        "query-parameter-became-required",
        "petstore",
        set_in([*FIND, "required"], True),
        "request-parameter-became-required",
        B,
    ),
    Pair(
        "query-parameter-became-optional",
        "train",
        set_in(["paths", "/trips", "get", "parameters", 2, "required"], False),
        "request-parameter-became-optional",
        N,
    ),
    Pair(
        "query-parameter-removed",
        "train",
        delete_in(["paths", "/trips", "get", "parameters", 2]),
        "request-parameter-removed",
        W,
    ),
    Pair(
        "query-parameter-enum-value-removed",
        "petstore",
        set_in([*FIND, "schema", "enum"], ["available", "sold"]),
        "request-parameter-enum-value-removed",
        B,
    ),
    Pair(
        "query-parameter-enum-value-added",
        "petstore",
        edit(lambda d: d["paths"]["/pet/findByStatus"]["get"]["parameters"][0]["schema"]["enum"].append("lost")),
        "request-parameter-enum-value-added",
        N,
    ),
    Pair(
        "query-parameter-type-changed",
        "train",
        set_in(["paths", "/trips", "get", "parameters", 3, "schema"], {"type": "string"}),
        "request-parameter-type-changed",
        B,
    ),
    Pair(
        "path-parameter-type-changed",
        "rainbond",
        set_in(["paths", R, "put", "parameters", 0, "schema", "type"], "integer"),
        "request-parameter-type-changed",
        B,
    ),
    Pair(
        "path-parameter-max-length-decreased",
        "rainbond",
        set_in(["paths", R, "put", "parameters", 0, "schema", "maxLength"], 20),
        "request-parameter-max-length-decreased",
        B,
    ),
    Pair(
        "path-parameter-pattern-changed",
        "rainbond",
        set_in(["paths", R, "put", "parameters", 0, "schema", "pattern"], "^[a-f0-9]+$"),
        "request-parameter-pattern-changed",
        W,
    ),
    Pair(
        "path-parameter-min-length-set",
        "rainbond",
        set_in(["paths", R, "put", "parameters", 0, "schema", "minLength"], 8),
        "request-parameter-min-length-increased",
        B,
    ),
    # request bodies
    Pair(
        "request-property-became-required",
        "huawei",
        set_in([*APP_CREATE, "required"], ["name", "remark"]),
        "request-property-became-required",
        B,
    ),
    Pair(
        "request-property-became-optional",
        "huawei",
        set_in([*APP_CREATE, "required"], []),
        "request-property-became-optional",
        N,
    ),
    Pair(
        "required-request-property-added",
        "huawei",
        both(
            set_in([*APP_CREATE, "properties", "owner"], {"type": "string"}),
            set_in([*APP_CREATE, "required"], ["name", "owner"]),
        ),
        "new-required-request-property",
        B,
    ),
    Pair(
        "optional-request-property-added",
        "huawei",
        set_in([*APP_CREATE, "properties", "owner"], {"type": "string"}),
        "new-optional-request-property",
        N,
    ),
    Pair(
        "request-property-removed",
        "huawei",
        delete_in([*APP_CREATE, "properties", "remark"]),
        "request-property-removed",
        W,
    ),
    Pair(
        "request-max-length-decreased",
        "huawei",
        set_in([*APP_CREATE, "properties", "name", "maxLength"], 32),
        "request-property-max-length-decreased",
        B,
    ),
    Pair(
        "request-max-length-increased",
        "huawei",
        set_in([*APP_CREATE, "properties", "name", "maxLength"], 128),
        "request-property-max-length-increased",
        N,
    ),
    Pair(
        "request-min-length-increased",
        "huawei",
        set_in([*APP_CREATE, "properties", "name", "minLength"], 5),
        "request-property-min-length-increased",
        B,
    ),
    Pair(
        "request-min-length-decreased",
        "huawei",
        set_in([*APP_CREATE, "properties", "name", "minLength"], 1),
        "request-property-min-length-decreased",
        N,
    ),
    Pair(
        "request-pattern-changed",
        "huawei",
        set_in([*APP_CREATE, "properties", "name", "pattern"], "^[a-z]+$"),
        "request-property-pattern-changed",
        W,
    ),
    Pair(
        "request-pattern-added",
        "huawei",
        set_in([*APP_CREATE, "properties", "remark", "pattern"], "^[a-z ]*$"),
        "request-property-pattern-added",
        B,
    ),
    Pair(
        "request-pattern-removed",
        "huawei",
        delete_in([*APP_CREATE, "properties", "name", "pattern"]),
        "request-property-pattern-removed",
        N,
    ),
    Pair(
        "request-type-changed",
        "huawei",
        set_in([*APP_CREATE, "properties", "remark", "type"], "integer"),
        "request-property-type-changed",
        B,
    ),
    Pair(
        "request-type-widened",
        "huawei",
        set_in([*APP_CREATE, "properties", "remark", "type"], ["string", "integer"]),
        "request-property-type-generalized",
        N,
    ),
    Pair(
        "request-became-not-nullable",
        "rainbond",
        set_in([*REGION_REQ, "properties", "token", "type"], "string"),
        "request-property-became-not-nullable",
        B,
    ),
    Pair(
        "request-became-nullable",
        "huawei",
        set_in([*APP_CREATE, "properties", "remark", "type"], ["string", "null"]),
        "request-property-became-nullable",
        N,
    ),
    Pair(
        "request-enum-value-removed",
        "rainbond",
        set_in([*REGION_REQ, "properties", "scope", "enum"], ["private"]),
        "request-property-enum-value-removed",
        B,
    ),
    Pair(
        "request-enum-value-added",
        "rainbond",
        set_in([*REGION_REQ, "properties", "scope", "enum"], ["private", "public", "shared"]),
        "request-property-enum-value-added",
        N,
    ),
    Pair(
        "request-became-enum",
        "rainbond",
        set_in([*REGION_REQ, "properties", "desc", "enum"], ["a", "b"]),
        "request-property-became-enum",
        B,
    ),
    Pair(
        "request-maximum-set",
        "petstore",
        set_in(["components", "schemas", "Order", "properties", "quantity", "maximum"], 100),
        "request-property-max-decreased",
        B,
    ),
    Pair(
        "request-minimum-raised",
        "petstore",
        set_in(["components", "schemas", "Order", "properties", "quantity", "minimum"], 1),
        "request-property-min-increased",
        B,
    ),
    Pair(
        "request-body-became-optional",
        "huawei",
        set_in([*UPDATE_APP, "requestBody", "required"], False),
        "request-body-became-optional",
        N,
    ),
    Pair(
        "request-body-became-required",
        "huawei",
        set_in([*UPDATE_APP, "requestBody", "required"], True),
        "request-body-became-required",
        B,
        before=set_in([*UPDATE_APP, "requestBody", "required"], False),
    ),
    Pair(
        "request-media-type-removed",
        "petstore",
        delete_in(["paths", "/pet", "put", "requestBody", "content", "application/xml"]),
        "request-body-media-type-removed",
        B,
    ),
    Pair(
        "request-media-type-added",
        "huawei",
        set_in(
            [*UPDATE_APP, "requestBody", "content", "application/xml"],
            {"schema": {"$ref": "#/components/schemas/AppCreate"}},
        ),
        "request-body-media-type-added",
        N,
    ),
    Pair(
        "read-only-property-became-required",
        "train",
        set_in(["components", "schemas", "Booking", "required"], ["id"]),
        "response-property-became-required",
        N,
    ),
    Pair(
        "booking-property-became-required",
        "train",
        set_in(["components", "schemas", "Booking", "required"], ["passenger_name"]),
        "request-property-became-required",
        B,
    ),
    # responses
    Pair(
        "response-optional-property-removed",
        "huawei",
        delete_in([*APP_INFO, "properties", "remark"]),
        "response-optional-property-removed",
        W,
    ),
    Pair(
        "response-required-property-removed",
        "huawei",
        delete_in([*APP_INFO, "properties", "id"]),
        "response-required-property-removed",
        B,
        before=set_in([*APP_INFO, "required"], ["id"]),
    ),
    Pair(
        "response-property-became-optional",
        "huawei",
        set_in([*APP_INFO, "required"], []),
        "response-property-became-optional",
        B,
        before=set_in([*APP_INFO, "required"], ["id"]),
    ),
    Pair(
        "response-property-added",
        "huawei",
        set_in([*APP_INFO, "properties", "owner"], {"type": "string"}),
        "response-optional-property-added",
        N,
    ),
    Pair(
        "response-enum-value-added",
        "huawei",
        set_in([*APP_INFO, "properties", "creator", "enum"], ["USER", "MARKET", "SYSTEM"]),
        "response-property-enum-value-added",
        W,
    ),
    Pair(
        "response-enum-value-removed",
        "huawei",
        set_in([*APP_INFO, "properties", "creator", "enum"], ["USER"]),
        "response-property-enum-value-removed",
        N,
    ),
    Pair(
        "response-type-changed",
        "huawei",
        set_in([*APP_INFO, "properties", "status", "type"], "string"),
        "response-property-type-changed",
        B,
    ),
    Pair(
        "response-type-widened",
        "huawei",
        set_in([*APP_INFO, "properties", "status", "type"], "number"),
        "response-property-type-changed",
        B,
    ),
    Pair(
        "response-became-not-nullable",
        "rainbond",
        set_in(["components", "schemas", "v2_RegionInfoSerializer", "properties", "token", "type"], "string"),
        "response-property-became-not-nullable",
        N,
    ),
    Pair(
        "response-became-nullable",
        "huawei",
        set_in([*APP_INFO, "properties", "status", "type"], ["integer", "null"]),
        "response-property-became-nullable",
        B,
    ),
    Pair(
        "response-nullable-3.0",
        "petstore",
        set_in(["components", "schemas", "Order", "properties", "status", "nullable"], True),
        "response-property-became-nullable",
        B,
    ),
    Pair(
        "success-status-removed",
        "huawei",
        delete_in([*UPDATE_APP, "responses", "201"]),
        "response-success-status-removed",
        B,
    ),
    Pair(
        "error-status-removed",
        "huawei",
        delete_in([*UPDATE_APP, "responses", "404"]),
        "response-non-success-status-removed",
        N,
    ),
    Pair(
        "error-status-added",
        "huawei",
        set_in([*UPDATE_APP, "responses", "409"], {"description": "Conflict"}),
        "response-non-success-status-added",
        N,
    ),
    Pair(
        "response-media-type-removed",
        "petstore",
        delete_in(["paths", "/pet/{petId}", "get", "responses", "200", "content", "application/xml"]),
        "response-media-type-removed",
        B,
    ),
    Pair(
        "response-header-removed",
        "train",
        delete_in(["paths", "/stations", "get", "responses", "200", "headers"]),
        "optional-response-header-removed",
        W,
    ),
    Pair(
        "required-response-header-became-optional",
        "train",
        delete_in(["components", "headers", "RateLimit", "required"]),
        "response-header-became-optional",
        B,
        before=set_in(["components", "headers", "RateLimit", "required"], True),
    ),
    Pair(
        "response-header-name-case",
        "train",
        edit(
            lambda d: d["paths"]["/stations"]["get"]["responses"]["200"].update(
                headers={"ratelimit": d["paths"]["/stations"]["get"]["responses"]["200"]["headers"]["RateLimit"]}
            )
        ),
    ),
    Pair(
        "recursive-schema-unchanged",
        "huawei",
        nothing,
        before=set_in(
            [*APP_INFO, "properties", "children"], {"type": "array", "items": {"$ref": "#/components/schemas/AppInfo"}}
        ),
    ),
    Pair(
        "recursive-schema-enum-value-added",
        "huawei",
        set_in([*APP_INFO, "properties", "creator", "enum"], ["USER", "MARKET", "SYSTEM"]),
        "response-property-enum-value-added",
        W,
        before=set_in(
            [*APP_INFO, "properties", "children"], {"type": "array", "items": {"$ref": "#/components/schemas/AppInfo"}}
        ),
    ),
    # security
    Pair(
        "security-added",
        "huawei",
        set_in([*UPDATE_APP, "security"], [{"token": []}]),
        "api-security-added",
        B,
        before=delete_in([*UPDATE_APP, "security"]),
    ),
    Pair(
        "security-alternative-removed",
        "huawei",
        set_in([*UPDATE_APP, "security"], [{"token": []}]),
        "api-security-removed",
        B,
        before=both(add_security_scheme("basic"), set_in([*UPDATE_APP, "security"], [{"token": []}, {"basic": []}])),
    ),
    Pair(
        "security-alternative-added",
        "huawei",
        both(add_security_scheme("basic"), set_in([*UPDATE_APP, "security"], [{"token": []}, {"basic": []}])),
        "api-security-alternative-added",
        N,
    ),
    Pair(
        "security-scope-added",
        "petstore",
        set_in(
            ["paths", "/pet/findByStatus", "get", "security"], [{"petstore_auth": ["write:pets", "read:pets", "admin"]}]
        ),
        "api-security-scope-added",
        B,
    ),
    Pair(
        "security-made-optional",
        "train",
        set_in(["paths", "/bookings", "post", "security"], []),
        "api-security-made-optional",
        N,
    ),
]
