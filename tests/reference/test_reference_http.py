"""Raw HTTP edge cases: every answer is a documented status with a body of the documented schema, never 422."""

from __future__ import annotations

import json

import httpx
import jsonschema_rs
import pytest
import yaml

from tests.reference.server import (
    APP_ID,
    HUAWEI_TOKEN,
    INSTANCE_ID,
    PROJECT_ID,
    RAINBOND_TOKEN,
    REGION_ID,
    ROOT,
    Server,
)

APP_PATH = f"/v2/{PROJECT_ID}/apigw/instances/{INSTANCE_ID}/apps/{APP_ID}"
REGION_PATH = f"/openapi/v2/manage/regions/{REGION_ID}"
HW_JSON = "application/json;charset=UTF-8"
REGION = {
    "region_alias": "a",
    "url": "http://a.example.com",
    "wsurl": "ws://a.example.com",
    "httpdomain": "h",
    "tcpdomain": "t",
    "status": "2",
}

# (content, content type, expected status): the Huawei body is required; 400 APIG.2012 for every bad one.
HUAWEI_BODIES = [
    (b"", HW_JSON, 400),
    (b"{", HW_JSON, 400),
    (b"[]", HW_JSON, 400),
    (b"null", HW_JSON, 400),
    (b'"app_demo"', HW_JSON, 400),
    (b'{"name": NaN}', HW_JSON, 400),
    (b"\xff\xfe", HW_JSON, 400),
    (b'{"name": "app_demo"}', "text/plain", 400),
    (b'{"name": "app_demo"}', "application/json;charset=ISO-8859-1", 400),
    (b'{"name": "app_demo"}', "application/x-www-form-urlencoded", 400),
    (b'{"remark": "no name"}', HW_JSON, 400),
    (b'{"name": "ab"}', HW_JSON, 400),
    (b'{"name": "app\\n"}', HW_JSON, 400),
    (b'{"name": "app_demo", "remark": null}', HW_JSON, 400),
    (b'{"name": "app_demo", "remark": "' + b"r" * 256 + b'"}', HW_JSON, 400),
    (b'{"name": "app_demo", "app_key": "_starts_with_underscore"}', HW_JSON, 400),
    (b'{"name": "app_demo", "app_secret": "short1"}', HW_JSON, 400),
    (b'{"name": "app_demo", "app_secret": "' + b"s" * 129 + b'"}', HW_JSON, 400),
    (b'{"name": "app_demo", "app_secret": "has space 123"}', HW_JSON, 400),
    (b'{"name": "app_demo"}', HW_JSON, 201),
    (b'{"name": "app_demo"}', "application/json", 201),
    (b'{"name": "app_demo"}', "Application/JSON; charset=utf-8", 201),
    (b'{"name": "app_demo", "unknown": [1, 2], "id": "ignored"}', HW_JSON, 201),
    (b'{"name": "app_demo", "app_secret": "A1_-!@#$%bcdefg"}', HW_JSON, 201),
]


def schema(spec: str, name: str) -> jsonschema_rs.Validator:
    """A validator for components/schemas/NAME of spec/SPEC.yaml: the spec, not the generated models, judges."""
    doc = yaml.safe_load((ROOT / "spec" / f"{spec}.yaml").read_text(encoding="utf-8"))
    return jsonschema_rs.Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": doc["components"]})


APIG_ERROR = schema("huawei-apig", "ApigError")
APP_INFO = schema("huawei-apig", "AppInfo")
FAIL = schema("rainbond-console", "Fail")
REGION_INFO = schema("rainbond-console", "v2_RegionInfoSerializer")


def check(response: httpx.Response, status: int, validator: jsonschema_rs.Validator) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    validator.validate(response.json())


@pytest.mark.parametrize(("content", "content_type", "status"), HUAWEI_BODIES)
def test_huawei_bodies(reference_server: Server, content: bytes, content_type: str, status: int) -> None:
    headers = {"X-Auth-Token": HUAWEI_TOKEN, "Content-Type": content_type}
    response = httpx.put(reference_server.base_url + APP_PATH, content=content, headers=headers)
    check(response, status, APP_INFO if status == 201 else APIG_ERROR)
    if status == 400:
        assert response.json()["error_code"] == "APIG.2012"
    else:
        assert response.json()["id"] == APP_ID


RAINBOND_BODIES = [
    (b"{", "application/json", 400),
    (b"[]", "application/json", 400),
    (b"null", "application/json", 400),
    (json.dumps(REGION).encode(), "text/plain", 400),
    (json.dumps({**REGION, "status": "st"}).encode(), "application/json", 400),
    (json.dumps({**REGION, "wsurl": "http://a.example.com"}).encode(), "application/json", 400),
    (json.dumps({**REGION, "region_alias": ""}).encode(), "application/json", 400),
    (json.dumps({**REGION, "desc": "d" * 201}).encode(), "application/json", 400),
    (json.dumps({**REGION, "desc": None}).encode(), "application/json", 400),
    (json.dumps({**REGION, "scope": "galaxy"}).encode(), "application/json", 400),
    (json.dumps({k: v for k, v in REGION.items() if k != "url"}).encode(), "application/json", 400),
    (b"", "application/json", 200),
    (b"", "", 200),
    (json.dumps(REGION).encode(), "application/json", 200),
    # U+0085 is not whitespace in ECMA-262 regex, so `\S` admits it; pydantic's engine disagrees, the spec wins.
    (json.dumps({**REGION, "url": "http://a.example.com/x\u0085"}).encode(), "application/json", 200),
    (json.dumps({**REGION, "token": None, "key_file": None, "extra": 1}).encode(), "application/json", 200),
]


@pytest.mark.parametrize(("content", "content_type", "status"), RAINBOND_BODIES)
def test_rainbond_bodies(reference_server: Server, content: bytes, content_type: str, status: int) -> None:
    headers = {"Authorization": RAINBOND_TOKEN}
    if content_type:
        headers["Content-Type"] = content_type
    response = httpx.put(reference_server.base_url + REGION_PATH, content=content, headers=headers)
    check(response, status, REGION_INFO if status == 200 else FAIL)


@pytest.mark.parametrize(
    ("method", "path", "status", "model"),
    [
        ("GET", APP_PATH, 405, APIG_ERROR),
        ("GET", REGION_PATH, 405, FAIL),
        ("PUT", "/v2/p/apigw/instances/i/apps/", 404, APIG_ERROR),
        ("PUT", "/openapi/v2/manage/regions/a/b", 404, FAIL),
        ("PUT", "/openapi/v2/manage/regions/" + "r" * 37, 400, FAIL),
        ("PUT", "/openapi/v2/manage/regions/%C3%A9t%C3%A9", 400, FAIL),
        ("GET", "/docs", 404, APIG_ERROR),
    ],
)
def test_other_routes_keep_the_shapes(
    reference_server: Server, method: str, path: str, status: int, model: jsonschema_rs.Validator
) -> None:
    headers = {"X-Auth-Token": HUAWEI_TOKEN, "Authorization": RAINBOND_TOKEN}
    check(httpx.request(method, reference_server.base_url + path, headers=headers), status, model)


def test_region_name_is_ignored(reference_server: Server) -> None:
    headers = {"Authorization": RAINBOND_TOKEN}
    body = {**REGION, "region_name": "renamed", "region_id": "other"}
    response = httpx.put(reference_server.base_url + REGION_PATH, json=body, headers=headers)
    check(response, 200, REGION_INFO)
    assert (response.json()["region_name"], response.json()["region_id"]) == ("rainbond", REGION_ID)
