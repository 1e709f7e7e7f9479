"""Shapes real documents use: allOf of closed objects, API keys with their own prefix, operations without responses."""

from __future__ import annotations

import json

import httpx
import jsonschema

from tests.conftest import run_specfirst
from tests.mock.servers import serving

TOKEN = "shape-token"
NAMED = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
DETAILS = {
    "type": "object",
    "required": ["chapters", "explicit"],
    "properties": {"chapters": {"type": "integer", "minimum": 1}, "explicit": {"type": "boolean"}},
}
BOOK = {"allOf": [{"$ref": "#/components/schemas/Named"}, {"$ref": "#/components/schemas/Details"}]}
ADDRESS = {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "integer"}}}
LIST = {"type": "array", "items": {"type": "string"}}
CUSTOMER = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "address": ADDRESS,
        "expand": LIST,
        "files": {"type": "array", "items": {"type": "string"}},
        "aliases": {"anyOf": [LIST, {"type": "string", "enum": [""]}]},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
FORM = {
    "schema": CUSTOMER,
    "encoding": {name: {"style": "deepObject", "explode": True} for name in CUSTOMER["properties"]},
}
ANSWER = {"description": "ok", "content": {"application/json": {"schema": CUSTOMER}}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, "example": "b1"}
BOOK_REF = {"$ref": "#/components/schemas/Book"}
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "shapes", "version": "1"},
    "components": {
        "schemas": {"Named": NAMED, "Details": DETAILS, "Book": BOOK},
        "securitySchemes": {"BotToken": {"type": "apiKey", "in": "header", "name": "Authorization"}},
    },
    "security": [{"BotToken": []}],
    "paths": {
        "/books/{id}": {
            "get": {
                "operationId": "getBook",
                "parameters": [ID],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": BOOK_REF}}},
                    "401": {"description": "no credentials"},
                    "404": {"description": "unknown"},
                },
            }
        },
        "/customers": {
            "post": {
                "operationId": "createCustomer",
                "requestBody": {"content": {"application/x-www-form-urlencoded": FORM}},
                "responses": {"200": ANSWER, "400": {"description": "bad"}, "401": {"description": "no credentials"}},
            }
        },
        "/echo": {
            "post": {
                "operationId": "echo",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            }
        },
    },
}  # fmt: skip


def _spec(tmp_path, *left_out: str):
    path = tmp_path / "shapes.json"
    paths = {k: v for k, v in SPEC["paths"].items() if k not in left_out}
    path.write_text(json.dumps({**SPEC, "paths": paths}), encoding="utf-8")
    return path


def test_an_allof_of_closed_objects_is_answered_with_a_valid_instance_and_a_prefixed_api_key_is_accepted(tmp_path):
    defs = json.loads(json.dumps(SPEC["components"]["schemas"]).replace("#/components/schemas/", "#/$defs/"))
    schema = {"$defs": defs, "$ref": "#/$defs/Book"}
    with serving("mock", str(_spec(tmp_path)), "--token", TOKEN) as mock:
        seeded = httpx.get(f"{mock.url}/books/b1", headers={"Authorization": f"Bot {TOKEN}"})
        other = httpx.get(f"{mock.url}/books/b1", headers={"Authorization": f"Bot not-{TOKEN}"})
        bare = httpx.get(f"{mock.url}/books/b1", headers={"Authorization": TOKEN})
    assert seeded.status_code == 200, seeded.text
    body = seeded.json()
    jsonschema.validate(body, schema)  # every required property of both branches, none invented
    assert body["id"] == "b1"
    assert set(body) <= {"id", "name", "chapters", "explicit"}
    assert other.status_code == 401
    assert bare.status_code == 200


def test_an_operation_documenting_no_responses_fails_no_status_check(tmp_path):
    spec = _spec(tmp_path, "/customers")  # a form body: some of its negative cases are valid ones on the wire
    with serving("mock", str(spec), "--token", TOKEN) as mock:
        done = run_specfirst(
            "contract", str(spec), "--base-url", mock.url, "--header", f"Authorization: Bot {TOKEN}",
            "--phases", "examples,coverage", "--max-examples", "2", "--seed", "1", timeout=300,
        )  # fmt: skip
    assert "status_code_conformance" not in done.stdout, done.stdout[-3000:]
    assert "POST /echo" in done.stdout
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_a_form_body_in_deepobject_encoding_is_read_as_the_nested_value_it_spells(tmp_path):
    form = {"content-type": "application/x-www-form-urlencoded", "authorization": TOKEN}
    sent = "address[city]=Oslo&address[zip]=150&expand[0]=a&expand[1]=b&files=&aliases[0]=x&aliases=y&metadata[k]=v"
    with serving("mock", str(_spec(tmp_path)), "--token", TOKEN) as mock:
        good = httpx.post(f"{mock.url}/customers", content=sent, headers=form)
        bad = httpx.post(f"{mock.url}/customers", content="address[zip]=north", headers=form)
    assert good.status_code == 200, good.text + good.headers.get("x-specfirst-violation", "")
    assert bad.status_code == 400
    assert "address/zip" in bad.headers["x-specfirst-violation"]
