"""The constraints written into spec/*.yaml accept real valid values and reject real invalid ones.

Each property schema is taken from the spec's components and checked with a Draft 2020-12
validator (format checking off), so a wrong pattern, length or enum in the YAML makes a test fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

SPEC_DIR = Path(__file__).resolve().parent.parent / "spec"


def _load(name: str) -> dict[str, Any]:
    with (SPEC_DIR / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


HUAWEI = _load("huawei-apig.yaml")
RAINBOND = _load("rainbond-console.yaml")
HUAWEI_SCHEMAS = HUAWEI["components"]["schemas"]
RAINBOND_SCHEMAS = RAINBOND["components"]["schemas"]


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)  # no format_checker: formats are annotations only


def _accepts(schema: dict[str, Any], value: Any) -> bool:
    return _validator(schema).is_valid(value)


def _prop(schemas: dict[str, Any], model: str, field: str) -> dict[str, Any]:
    return schemas[model]["properties"][field]


# --------------------------------------------------------------------------- Huawei APIG: name

NAME_VALID = [
    "app_demo",
    "应用_01",
    "测试应用",
    "Abc",
    "abc",
    "a" * 64,
    "应" * 64,
    "App_测试_123",
    "中a1",
    "Z__",
]
NAME_INVALID = [
    "1abc",  # starts with a digit
    "_abc",  # starts with an underscore
    "ab",  # 2 characters
    "a" * 65,  # 65 characters
    "app-demo",  # hyphen not allowed
    "app demo",  # space not allowed
    "",
    "应用",  # 2 characters
    "app.demo",
    "app@demo",
    "アプリ_01",  # katakana is not in the CJK range
    "é_app",  # non-ASCII letter
    "app\tdemo",
]
# Not listed: "app_demo\n". JSON Schema patterns are ECMA-262, where `$` is the very end, but
# jsonschema runs them with Python's re.search, where `$` also matches before a final newline.


@pytest.mark.parametrize("value", NAME_VALID)
def test_huawei_name_valid(value: str) -> None:
    assert _accepts(_prop(HUAWEI_SCHEMAS, "AppCreate", "name"), value)


@pytest.mark.parametrize("value", NAME_INVALID)
def test_huawei_name_invalid(value: str) -> None:
    assert not _accepts(_prop(HUAWEI_SCHEMAS, "AppCreate", "name"), value)


# --------------------------------------------------------------------------- Huawei APIG: app_key

APP_KEY_VALID = [
    "ee8f878c252747028f07eb116c2cd91b",
    "a" * 8,  # lower bound
    "A" * 200,  # upper bound
    "1" + "x" * 7,  # starts with a digit
    "Key_with-dash",
    "k-------",
    "k_______",
    "0123456789",
]
APP_KEY_INVALID = [
    "a" * 7,  # 7: one below the lower bound
    "a" * 201,  # 201: one above the upper bound
    "_abcdefgh",  # leading underscore
    "-abcdefgh",  # leading hyphen
    "abcd efgh",  # space
    "abcdefg!",  # ! is only allowed in app_secret
    "abcdefg@",
    "abcdefg#",
    "abcdefg$",
    "abcdefg%",
    "abcdefg.",
    "应用应用应用应用",  # Chinese not allowed
    "",
]


@pytest.mark.parametrize("value", APP_KEY_VALID)
def test_huawei_app_key_valid(value: str) -> None:
    assert _accepts(_prop(HUAWEI_SCHEMAS, "AppCreate", "app_key"), value)


@pytest.mark.parametrize("value", APP_KEY_INVALID)
def test_huawei_app_key_invalid(value: str) -> None:
    assert not _accepts(_prop(HUAWEI_SCHEMAS, "AppCreate", "app_key"), value)


# --------------------------------------------------------------------------- Huawei APIG: app_secret

APP_SECRET_VALID = [
    "a" * 8,  # lower bound
    "Z" * 128,  # upper bound
    "9abc_def",
    "Secret-1",
    "Secret!1",
    "Secret@1",
    "Secret#1",
    "Secret$1",
    "Secret%1",
    "a_-!@#$%",  # every allowed special after the first character
    "416ab8ee8f878c25",
]
APP_SECRET_INVALID = [
    "a" * 7,  # 7: one below the lower bound
    "a" * 129,  # 129: one above the upper bound
    "_secret1",  # leading underscore
    "-secret1",  # leading hyphen
    "!secret1",  # leading special
    "@secret1",
    "secret 1x",  # space
    "secret^1",
    "secret&1",
    "secret*1",
    "secret.1",
    "416************ab8",  # the masked value the response returns is not a valid input
    "密钥密钥密钥密钥",
    "",
]


@pytest.mark.parametrize("value", APP_SECRET_VALID)
def test_huawei_app_secret_valid(value: str) -> None:
    assert _accepts(_prop(HUAWEI_SCHEMAS, "AppCreate", "app_secret"), value)


@pytest.mark.parametrize("value", APP_SECRET_INVALID)
def test_huawei_app_secret_invalid(value: str) -> None:
    assert not _accepts(_prop(HUAWEI_SCHEMAS, "AppCreate", "app_secret"), value)


# --------------------------------------------------------------------------- Huawei APIG: other fields


@pytest.mark.parametrize(("value", "ok"), [("", True), ("Demo app", True), ("描" * 255, True), ("x" * 256, False)])
def test_huawei_remark_length(value: str, ok: bool) -> None:
    assert _accepts(_prop(HUAWEI_SCHEMAS, "AppCreate", "remark"), value) is ok


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"name": "app_demo", "remark": "Demo app"}, True),
        ({"name": "app_demo"}, True),
        ({"remark": "Demo app"}, False),  # name is required
        ({}, False),
        ({"name": "app_demo", "app_key": "short"}, False),
    ],
)
def test_huawei_app_create_body(body: dict[str, Any], ok: bool) -> None:
    assert _accepts(HUAWEI_SCHEMAS["AppCreate"], body) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("USER", True), ("MARKET", True), ("user", False), ("ADMIN", False), ("", False)]
)
def test_huawei_creator_enum(value: str, ok: bool) -> None:
    assert _accepts(_prop(HUAWEI_SCHEMAS, "AppInfo", "creator"), value) is ok


@pytest.mark.parametrize(("value", "ok"), [("apig", True), ("roma", False), ("APIG", False)])
def test_huawei_app_type_enum(value: str, ok: bool) -> None:
    assert _accepts(_prop(HUAWEI_SCHEMAS, "AppInfo", "app_type"), value) is ok


@pytest.mark.parametrize(("value", "ok"), [(1, True), (0, True), ("1", False), (1.5, False), (None, False)])
def test_huawei_status_integer(value: Any, ok: bool) -> None:
    assert _accepts(_prop(HUAWEI_SCHEMAS, "AppInfo", "status"), value) is ok


def test_huawei_response_fields_optional_and_masked_secret_accepted() -> None:
    assert "required" not in HUAWEI_SCHEMAS["AppInfo"]
    assert _accepts(HUAWEI_SCHEMAS["AppInfo"], {})
    assert _accepts(_prop(HUAWEI_SCHEMAS, "AppInfo", "app_secret"), "416************ab8")


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"error_code": "APIG.3002", "error_msg": "App 356de8eb7a8742168586e5daf5339965 does not exist"}, True),
        ({"error_code": "APIG.9999"}, False),
        ({"error_msg": "System error"}, False),
        ({"error_code": 2012, "error_msg": "x"}, False),
    ],
)
def test_huawei_error_body(body: dict[str, Any], ok: bool) -> None:
    assert _accepts(HUAWEI_SCHEMAS["ApigError"], body) is ok


# --------------------------------------------------------------------------- Rainbond: enums

RAINBOND_MODELS = ["UpdateRegionReq", "v2_RegionInfoSerializer"]


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0", True),
        ("1", True),
        ("2", True),
        ("3", True),
        ("st", False),
        ("4", False),
        ("", False),
        (1, False),
        (None, False),
    ],
)
def test_rainbond_status_enum(model: str, value: Any, ok: bool) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, "status"), value) is ok


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize(
    ("value", "ok"),
    [("private", True), ("public", True), ("Private", False), ("internal", False), ("", False), (None, False)],
)
def test_rainbond_scope_enum(model: str, value: Any, ok: bool) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, "scope"), value) is ok


# --------------------------------------------------------------------------- Rainbond: url / wsurl

URL_VALID = [
    "http://region.goodrain.me:8443",
    "https://region.goodrain.me:8443",
    "https://192.168.1.10:8443",
    "http://localhost:8888",
    "https://region.example.com/",
    "https://region.example.com/api/v1?x=1",
]
URL_INVALID = [
    "ws://region.goodrain.me:6060",
    "wss://region.goodrain.me:6060",
    "ftp://region.goodrain.me",
    "region.goodrain.me:8443",
    "http://",
    "https://exa mple.com",
    "http://region.goodrain.me:port",
    "http://rbd-api-api-inner",  # single-label host: the console's urlregex wants a dotted domain
    "",
    "https://" + "a" * 240 + ".com",  # over 256 characters
]
WSURL_VALID = [
    "ws://region.goodrain.me:6060",
    "wss://region.goodrain.me:6060",
    "ws://192.168.1.10:6060",
    "wss://localhost/event_log",
]
WSURL_INVALID = [
    "http://region.goodrain.me:6060",
    "https://region.goodrain.me:6060",
    "region.goodrain.me:6060",
    "ws://",
    "wss://bad host:6060",
    "",
]


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize("value", URL_VALID)
def test_rainbond_url_valid(model: str, value: str) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, "url"), value)


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize("value", URL_INVALID)
def test_rainbond_url_invalid(model: str, value: str) -> None:
    assert not _accepts(_prop(RAINBOND_SCHEMAS, model, "url"), value)


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize("value", WSURL_VALID)
def test_rainbond_wsurl_valid(model: str, value: str) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, "wsurl"), value)


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize("value", WSURL_INVALID)
def test_rainbond_wsurl_invalid(model: str, value: str) -> None:
    assert not _accepts(_prop(RAINBOND_SCHEMAS, model, "wsurl"), value)


# --------------------------------------------------------------------------- Rainbond: lengths


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("a", True),
        ("默认数据中心", True),
        ("a" * 64, True),
        ("别" * 64, True),
        ("", False),
        ("a" * 65, False),
        (None, False),
    ],
)
def test_rainbond_region_alias_length(model: str, value: Any, ok: bool) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, "region_alias"), value) is ok


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize(
    ("value", "ok"), [("", True), ("数据中心描述", True), ("d" * 200, True), ("d" * 201, False), (None, False)]
)
def test_rainbond_desc_length(model: str, value: Any, ok: bool) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, "desc"), value) is ok


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize("field", ["httpdomain", "tcpdomain"])
@pytest.mark.parametrize(("value", "ok"), [("a", True), ("x" * 256, True), ("", False), ("x" * 257, False)])
def test_rainbond_domain_length(model: str, field: str, value: str, ok: bool) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, field), value) is ok


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize(("value", "ok"), [(None, True), ("", True), ("t" * 255, True), ("t" * 256, False), (5, False)])
def test_rainbond_token_nullable_and_length(model: str, value: Any, ok: bool) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, "token"), value) is ok


@pytest.mark.parametrize("model", RAINBOND_MODELS)
@pytest.mark.parametrize("field", ["ssl_ca_cert", "cert_file", "key_file"])
@pytest.mark.parametrize(
    ("value", "ok"), [(None, True), ("", True), ("-----BEGIN CERTIFICATE-----\n" + "A" * 70000, True), (1, False)]
)
def test_rainbond_key_material_nullable_unbounded(model: str, field: str, value: Any, ok: bool) -> None:
    assert _accepts(_prop(RAINBOND_SCHEMAS, model, field), value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2b1e6b6d1c7c4f4f9f8a3f0e5d6c7b8a", True),
        ("region-01_a", True),
        ("a" * 36, True),
        ("a" * 37, False),
        ("", False),
        ("bad/id", False),
        ("bad id", False),
        ("bad.id", False),
    ],
)
def test_rainbond_region_id_path_param(value: str, ok: bool) -> None:
    (param,) = RAINBOND["paths"]["/openapi/v2/manage/regions/{region_id}"]["put"]["parameters"]
    assert param["name"] == "region_id" and param["in"] == "path" and param["required"] is True
    assert _accepts(param["schema"], value) is ok


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        ({"msg": "修改的数据中心不存在"}, True),
        ({"msg": "m" * 300}, True),
        ({"msg": "m" * 301}, False),
        ({"msg": ""}, False),
        ({}, False),
        ({"msg": None}, False),
    ],
)
def test_rainbond_fail_msg(body: dict[str, Any], ok: bool) -> None:
    assert _accepts(RAINBOND_SCHEMAS["Fail"], body) is ok


FULL_REQ = {
    "region_alias": "默认数据中心",
    "url": "https://region.goodrain.me:8443",
    "wsurl": "wss://region.goodrain.me:6060",
    "httpdomain": "8f3a2c.grapps.cn",
    "tcpdomain": "192.168.1.10",
    "status": "1",
}


@pytest.mark.parametrize("missing", sorted(FULL_REQ))
def test_rainbond_request_required_fields(missing: str) -> None:
    schema = RAINBOND_SCHEMAS["UpdateRegionReq"]
    assert _accepts(schema, FULL_REQ)
    assert not _accepts(schema, {k: v for k, v in FULL_REQ.items() if k != missing})


def test_rainbond_required_lists() -> None:
    assert set(RAINBOND_SCHEMAS["UpdateRegionReq"]["required"]) == {
        "region_alias",
        "url",
        "wsurl",
        "httpdomain",
        "tcpdomain",
        "status",
    }
    assert set(RAINBOND_SCHEMAS["v2_RegionInfoSerializer"]["required"]) == {
        "region_id",
        "region_name",
        "region_alias",
        "url",
        "wsurl",
        "httpdomain",
        "tcpdomain",
        "status",
    }
    assert RAINBOND_SCHEMAS["Fail"]["required"] == ["msg"]


# --------------------------------------------------------------------------- secrets

SECRET_FIELDS = [
    (HUAWEI_SCHEMAS, "AppCreate", "app_secret"),
    (HUAWEI_SCHEMAS, "AppInfo", "app_secret"),
    *[(RAINBOND_SCHEMAS, m, f) for m in RAINBOND_MODELS for f in ("token", "ssl_ca_cert", "cert_file", "key_file")],
]


@pytest.mark.parametrize(("schemas", "model", "field"), SECRET_FIELDS, ids=[f"{m}.{f}" for _, m, f in SECRET_FIELDS])
def test_secret_fields_marked(schemas: dict[str, Any], model: str, field: str) -> None:
    prop = _prop(schemas, model, field)
    assert prop.get("format") == "password"
    assert prop.get("x-sensitive") is True


@pytest.mark.parametrize("doc", [HUAWEI, RAINBOND], ids=["huawei", "rainbond"])
def test_no_other_field_marked_or_unmarked(doc: dict[str, Any]) -> None:
    """x-sensitive and format: password always go together, and only on the listed secret fields."""
    expected = {(m, f) for _, m, f in SECRET_FIELDS}
    for model, schema in doc["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            marked_sensitive = prop.get("x-sensitive") is True
            marked_password = prop.get("format") == "password"
            assert marked_sensitive == marked_password, f"{model}.{field}"
            assert marked_sensitive == ((model, field) in expected), f"{model}.{field}"


def test_auth_schemes() -> None:
    h = HUAWEI["components"]["securitySchemes"]["token"]
    assert (h["type"], h["in"], h["name"]) == ("apiKey", "header", "X-Auth-Token")
    r = RAINBOND["components"]["securitySchemes"]["token"]
    assert (r["type"], r["in"], r["name"]) == ("apiKey", "header", "Authorization")
    h_op = HUAWEI["paths"]["/v2/{project_id}/apigw/instances/{instance_id}/apps/{app_id}"]["put"]
    r_op = RAINBOND["paths"]["/openapi/v2/manage/regions/{region_id}"]["put"]
    assert h_op["security"] == [{"token": []}] and r_op["security"] == [{"token": []}]
    assert all(p["in"] != "header" for p in h_op["parameters"])
