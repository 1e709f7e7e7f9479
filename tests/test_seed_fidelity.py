"""Every row of both source documents can be found in spec/: field, type, nullability, required flag, text."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.conftest import SPEC_DIR
from tests.seeds import HUAWEI, RAINBOND, huawei_examples, huawei_tables, markdown_tables, seed_text

RB = yaml.safe_load((SPEC_DIR / "rainbond-console.yaml").read_text(encoding="utf-8"))
HW = yaml.safe_load((SPEC_DIR / "huawei-apig.yaml").read_text(encoding="utf-8"))
RB_TABLES = markdown_tables(seed_text(RAINBOND))
HW_TABLES = huawei_tables(seed_text(HUAWEI))


def _op(spec: dict[str, Any]) -> dict[str, Any]:
    (item,) = spec["paths"].values()
    return item["put"]  # type: ignore[no-any-return]


def _schema(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]  # type: ignore[no-any-return]


def _notation(prop: dict[str, Any]) -> str:
    types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    return "¦".join(types)


def _rb_model_rows() -> list[tuple[str, list[str]]]:
    tables = [t for t in RB_TABLES if t.header[:2] == ["名称", "类型"]]
    assert len(tables) == 2
    return [
        (model, row)
        for model, t in zip(["UpdateRegionReq", "v2_RegionInfoSerializer"], tables, strict=True)
        for row in t.rows
    ]


@pytest.mark.parametrize(("model", "row"), _rb_model_rows(), ids=lambda v: v if isinstance(v, str) else v[0])
def test_rainbond_model_row(model: str, row: list[str]) -> None:
    name, notation, required, _constraint, title, description = row
    schema = RB["components"]["schemas"][model]
    prop = schema["properties"][name]
    assert _notation(prop) == notation
    assert (name in schema.get("required", [])) == (required == "true")
    assert prop["title"] == title
    assert prop["description"] == description


def test_rainbond_models_have_no_extra_fields() -> None:
    for model, t in zip(
        ["UpdateRegionReq", "v2_RegionInfoSerializer"],
        [t for t in RB_TABLES if t.header[:2] == ["名称", "类型"]],
        strict=True,
    ):
        assert list(RB["components"]["schemas"][model]["properties"]) == [r[0] for r in t.rows]


def test_rainbond_request_parameters() -> None:
    (table,) = [t for t in RB_TABLES if t.header[:2] == ["名称", "位置"]]
    op = _op(RB)
    path_params = {p["name"]: p for p in op.get("parameters", [])}
    for name, where, kind, required, _cn, _desc in table.rows:
        if where == "body":
            assert kind == "[UpdateRegionReq](#updateregionreq)"
            assert op["requestBody"]["required"] is (required == "是")
            media = op["requestBody"]["content"]["application/json"]
            assert media["schema"]["$ref"].endswith("/UpdateRegionReq")
        else:
            param = path_params[name]
            assert param["in"] == where
            assert param["schema"]["type"] == kind
            assert param["required"] is (required == "是")


def test_rainbond_responses() -> None:
    (table,) = [t for t in RB_TABLES if t.header[0] == "状态码"]
    responses = _op(RB)["responses"]
    for status, _meaning, _text, model in table.rows:
        schema_ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert model.startswith(f"[{schema_ref.rsplit('/', 1)[-1]}]")
    assert responses["200"]["description"] == "成功"


def test_rainbond_path_and_method() -> None:
    match = re.search(r"(PUT) (/openapi/\S+)", seed_text(RAINBOND))
    assert match
    assert list(RB["paths"]) == [match.group(2)]
    assert _op(RB)["summary"] == "更新指定数据中心元数据"


def _hw_rows(kind: str) -> list[list[str]]:
    if kind == "path":
        return HW_TABLES[0].rows
    if kind == "header":
        return HW_TABLES[1].rows
    return HW_TABLES[2].rows


@pytest.mark.parametrize("row", _hw_rows("path"), ids=lambda r: r[0])
def test_huawei_path_parameter(row: list[str]) -> None:
    name, required, kind, description = row
    (param,) = [p for p in _op(HW)["parameters"] if p["name"] == name]
    assert param["in"] == "path"
    assert param["required"] is (required == "是")
    assert param["schema"]["type"] == kind.lower()
    assert description in param["description"]


def test_huawei_auth_header_is_the_security_scheme() -> None:
    ((name, required, kind, description),) = _hw_rows("header")
    ((scheme_name, _),) = [next(iter(req.items())) for req in _op(HW)["security"]]
    scheme = HW["components"]["securitySchemes"][scheme_name]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", name)
    assert required == "是" and kind == "String"
    assert description in scheme["description"]


@pytest.mark.parametrize("row", _hw_rows("body"), ids=lambda r: r[0])
def test_huawei_body_field(row: list[str]) -> None:
    name, required, kind, description = row
    media = _op(HW)["requestBody"]["content"]["application/json;charset=UTF-8"]
    schema = _schema(HW, media["schema"]["$ref"])
    assert _notation(schema["properties"][name]) == kind.lower()
    assert (name in schema.get("required", [])) == (required == "是")
    assert schema["properties"][name]["description"] == description


def _hw_response_rows() -> list[tuple[str, list[str]]]:
    out = []
    for table in HW_TABLES[3:]:
        match = re.search(r"状态码: (\d{3})\n参数$", table.context)
        if match and table.header == ["参数", "参数类型", "描述"]:
            out += [(match.group(1), row) for row in table.rows]
    assert len(out) == 11 + 5 * 2
    return out


@pytest.mark.parametrize(("status", "row"), _hw_response_rows(), ids=lambda v: v if isinstance(v, str) else v[0])
def test_huawei_response_field(status: str, row: list[str]) -> None:
    name, kind, description = row
    media = _op(HW)["responses"][status]["content"]["application/json"]
    schema = _schema(HW, media["schema"]["$ref"])
    prop = schema["properties"][name]
    assert _notation(prop) == kind.lower()
    assert prop["description"].strip() == description.strip()


def test_huawei_status_table_and_descriptions() -> None:
    table = HW_TABLES[-1]
    assert table.header == ["状态码", "描述"]
    responses = _op(HW)["responses"]
    assert sorted(responses) == sorted(r[0] for r in table.rows)
    for status, description in table.rows:
        assert responses[status]["description"] == description


def test_huawei_examples_are_the_documents() -> None:
    examples = huawei_examples(seed_text(HUAWEI))
    op = _op(HW)
    request = next(iter(op["requestBody"]["content"]["application/json;charset=UTF-8"]["examples"].values()))
    assert request["value"] == examples.pop("request")
    for status, body in examples.items():
        values = [e["value"] for e in op["responses"][status]["content"]["application/json"]["examples"].values()]
        assert body in values, status


def test_huawei_path_method_and_title() -> None:
    text = seed_text(HUAWEI)
    match = re.search(r"(PUT) (/v2/\S+)", text)
    assert match
    assert list(HW["paths"]) == [match.group(2)]
    assert _op(HW)["summary"] == text.splitlines()[0]
