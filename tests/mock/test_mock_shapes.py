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
        "/echo": {
            "post": {
                "operationId": "echo",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            }
        },
    },
}  # fmt: skip


def _spec(tmp_path):
    path = tmp_path / "shapes.json"
    path.write_text(json.dumps(SPEC), encoding="utf-8")
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
    spec = _spec(tmp_path)
    with serving("mock", str(spec), "--token", TOKEN) as mock:
        done = run_specfirst(
            "contract", str(spec), "--base-url", mock.url, "--header", f"Authorization: Bot {TOKEN}",
            "--phases", "examples,coverage", "--max-examples", "2", "--seed", "1", timeout=300,
        )  # fmt: skip
    assert "status_code_conformance" not in done.stdout, done.stdout[-3000:]
    assert "POST /echo" in done.stdout
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
