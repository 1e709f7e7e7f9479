"""The Markdown reference reproduces the source documents' tables, row by row, cell by cell, from spec/ alone.

Cells are compared literally as a reader sees them (link text, code text, `<br>` as a line break, `\\|` as a
pipe): `none` where the document has `none`, `400` where its 说明 repeats the status code. A cell that is a
link in the document is a link here too, with the same text (the target is our own anchor). Only 约束 differs:
the documents write `none` there while spec/ carries the real limits (SEED-NOTES), so 约束 is checked against
the spec's own constraint keywords instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import GENERATED, ROOT, SPEC_DIR, run_specfirst
from tests.docs.mdtables import Table, headings, links, plain, tables
from tests.seeds import HUAWEI, RAINBOND, huawei_tables, markdown_tables, seed_text

RB_SPEC = yaml.safe_load((SPEC_DIR / "rainbond-console.yaml").read_text(encoding="utf-8"))
HW_SPEC = yaml.safe_load((SPEC_DIR / "huawei-apig.yaml").read_text(encoding="utf-8"))


def _doc(docs_dir: Path, name: str) -> list[Table]:
    return tables((docs_dir / name).read_text(encoding="utf-8"))


def _table(found: list[Table], heading: str, owner: str = "") -> Table:
    (table,) = [t for t in found if t.heading == heading and t.owner == owner]
    return table


def _same_row(seed: list[str], ours: list[str], header: list[str]) -> None:
    assert len(seed) == len(ours), (seed, ours)
    for column, want, got in zip(header, seed, ours, strict=True):
        if column == "约束":
            continue
        assert plain(got) == plain(want), f"{column}: document has {want!r}, generated {got!r} (row {seed})"
        for text, _target in links(want):
            assert text in [t for t, _ in links(got)], f"{column}: {text!r} is a link in the document (row {seed})"


def _constraints_of(schema: dict[str, Any]) -> list[str]:
    expected = []
    for key in ("format", "minLength", "maxLength", "pattern"):
        if key in schema:
            expected.append(f"{key}: {schema[key]}")
    if "enum" in schema:
        expected.append("enum: " + ", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"]))
    return expected


def _check_constraints(table: Table, schema: dict[str, Any]) -> None:
    column = table.header.index("约束")
    for row in table.rows:
        cell = plain(row[column])
        expected = _constraints_of(schema["properties"][row[0]])
        assert cell.splitlines() == (expected or ["none"]), (row[0], cell, expected)


def test_rainbond_request_parameters_row_by_row(docs_dir: Path) -> None:
    (seed,) = [t for t in markdown_tables(seed_text(RAINBOND)) if t.context == "请求参数"]
    ours = _table(_doc(docs_dir, "rainbond_console.md"), "请求参数")
    assert ours.header == seed.header
    assert [r[0] for r in ours.rows] == [r[0] for r in seed.rows]
    for want, got in zip(seed.rows, ours.rows, strict=True):
        _same_row(want, got, seed.header)
    assert links(ours.rows[1][2]) == [("UpdateRegionReq", "#updateregionreq")]


def test_rainbond_responses_row_by_row(docs_dir: Path) -> None:
    (seed,) = [t for t in markdown_tables(seed_text(RAINBOND)) if t.context == "返回结果"]
    ours = _table(_doc(docs_dir, "rainbond_console.md"), "返回结果")
    assert ours.header == seed.header
    by_status = {r[0]: r for r in ours.rows}
    for want in seed.rows:
        got = by_status[want[0]]
        _same_row(want, got, seed.header)
        assert set(links(want[1])) <= set(links(got[1])), "the RFC link of the reason phrase"
    extra = sorted(set(by_status) - {r[0] for r in seed.rows})
    assert extra == sorted(
        set(RB_SPEC["paths"]["/openapi/v2/manage/regions/{region_id}"]["put"]["responses"]) - {r[0] for r in seed.rows}
    )


@pytest.mark.parametrize("model", ["UpdateRegionReq", "v2_RegionInfoSerializer"])
def test_rainbond_model_properties_row_by_row(docs_dir: Path, model: str) -> None:
    seeds = [t for t in markdown_tables(seed_text(RAINBOND)) if t.header[:2] == ["名称", "类型"]]
    seed = seeds[["UpdateRegionReq", "v2_RegionInfoSerializer"].index(model)]
    ours = _table(_doc(docs_dir, "rainbond_console.md"), "属性", owner=model)
    assert ours.header == seed.header
    assert len(ours.rows) == len(seed.rows)
    for want, got in zip(seed.rows, ours.rows, strict=True):
        _same_row(want, got, seed.header)
    _check_constraints(ours, RB_SPEC["components"]["schemas"][model])


def _hw_model(ours: list[Table], status: str) -> Table:
    row = next(r for r in _table(ours, "返回结果").rows if r[0] == status)
    return _table(ours, "属性", owner=plain(row[3]))


def test_huawei_every_parameter_and_field(docs_dir: Path) -> None:
    ours = _doc(docs_dir, "huawei_apig.md")
    seed = huawei_tables(seed_text(HUAWEI))
    params = {r[0]: r for r in _table(ours, "请求参数").rows}
    auth = {r[0]: r for r in _table(ours, "认证").rows}
    body = {r[0]: r for r in _table(ours, "属性", owner="AppCreate").rows}
    request = [t for t in seed if t.header == ["参数", "是否必选", "参数类型", "描述"]]
    assert len(request) == 3
    checked = 0
    for table, found, where in ((request[0], params, "path"), (request[1], auth, "header"), (request[2], body, "")):
        for name, required, kind, text in table.rows:
            row = found[name]
            if where:  # 名称|位置|类型|必选|...|说明
                assert (row[1], row[2], row[3]) == (where, kind.lower(), required)
            else:  # 名称|类型|必选|约束|中文名|说明
                assert (row[1], row[2]) == (kind.lower(), {"是": "true", "否": "false"}[required])
            assert plain(row[-1]) == text
            checked += 1
    for table in [t for t in seed if t.header == ["参数", "参数类型", "描述"]]:
        status = table.context.split("状态码:")[1].split()[0]
        fields = {r[0]: r for r in _hw_model(ours, status).rows}
        assert list(fields) == [r[0] for r in table.rows], status
        for name, kind, text in table.rows:
            assert fields[name][1] == kind.lower()
            assert plain(fields[name][-1]) == text.strip()
            checked += 1
    assert checked == 3 + 1 + 4 + 11 + 5 * 2
    (codes,) = [t for t in seed if t.header == ["状态码", "描述"]]
    responses = {r[0]: r for r in _table(ours, "返回结果").rows}
    assert sorted(responses) == sorted(r[0] for r in codes.rows)
    for status, text in codes.rows:
        assert plain(responses[status][2]) == text


def test_huawei_constraints_come_from_the_spec(docs_dir: Path) -> None:
    ours = _doc(docs_dir, "huawei_apig.md")
    for model in ("AppCreate", "AppInfo", "ApigError"):
        _check_constraints(_table(ours, "属性", owner=model), HW_SPEC["components"]["schemas"][model])


@pytest.mark.parametrize("package", ["rainbond_console", "huawei_apig"])
def test_english_variant_has_english_headings_and_the_same_rows(docs_dir: Path, package: str) -> None:
    zh = (docs_dir / f"{package}.md").read_text(encoding="utf-8")
    en = (docs_dir / f"{package}.en.md").read_text(encoding="utf-8")
    assert "## Parameters" in en and "## Responses" in en and "## Models" in en and "### Properties" in en
    assert not any("\u4e00" <= ch <= "\u9fff" for h in headings(en) for ch in h if h.startswith("## "))
    zh_tables, en_tables = tables(zh), tables(en)
    assert [len(t.rows) for t in zh_tables] == [len(t.rows) for t in en_tables]
    yes_no = {"是": "yes", "否": "no"}
    for a, b in zip(zh_tables, en_tables, strict=True):
        for ra, rb in zip(a.rows, b.rows, strict=True):
            assert [yes_no.get(c.strip(), c) for c in ra] == [c.strip() for c in rb]


def test_seed_layout_sections_in_order(docs_dir: Path) -> None:
    text = (docs_dir / "rainbond_console.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ")
    order = ["## 基础信息", '```json title="请求路径"', "PUT /openapi/v2/manage/regions/{region_id}",
             '```json title="Body请求参数"', "## 请求参数", "## 返回结果", "## 请求示例", "## 返回示例", "## 模型",
             "### UpdateRegionReq", "### 属性", "### v2_RegionInfoSerializer"]  # fmt: skip
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert '|scope|string|false|`enum: "private", "public"`|Scope|数据中心范围 private\\|public|' in text
    assert "|token|string¦null|false|`format: password`<br>`maxLength: 255`|Token|数据中心token|" in text


def test_output_is_deterministic_and_committed(tmp_path: Path, docs_dir: Path) -> None:
    again = tmp_path / "again"
    assert run_specfirst("docs", "--out", str(again)).returncode == 0
    names = sorted(p.name for p in docs_dir.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    assert names == sorted(p.name for p in (GENERATED / "docs").iterdir())
    for name in names:
        assert (again / name).read_bytes() == (docs_dir / name).read_bytes(), name
        if name != ".manifest.json":  # it hashes the generator's files too; `specfirst check` covers it
            assert (GENERATED / "docs" / name).read_bytes() == (docs_dir / name).read_bytes(), name


def test_second_run_writes_nothing(docs_dir: Path) -> None:
    result = run_specfirst("docs", "--out", str(docs_dir))
    assert (result.returncode, result.stdout.strip()) == (0, f"{docs_dir}: up to date")


def test_lang_writes_one_language_and_needs_out(tmp_path: Path) -> None:
    result = run_specfirst("docs", "--lang", "en")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--out" in result.stderr
    result = run_specfirst("docs", "--lang", "en", "--out", str(tmp_path / "en"))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "en").iterdir())
    assert files == [".manifest.json", "huawei_apig.html", "huawei_apig.md", "index.html",
                     "rainbond_console.html", "rainbond_console.md"]  # fmt: skip
    page = (tmp_path / "en" / "huawei_apig.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "<h3>Parameters</h3>" in page and "请求参数" not in page
    assert "## Parameters" in (tmp_path / "en" / "huawei_apig.md").read_text(encoding="utf-8")


def test_default_language_follows_the_spec_text(tmp_path: Path) -> None:
    """A mostly-CJK spec publishes zh first and en beside it (the seeds); an English spec English only."""
    assert sorted(p.name for p in (GENERATED / "docs").glob("huawei_apig*")) == [
        "huawei_apig.en.html", "huawei_apig.en.md", "huawei_apig.html", "huawei_apig.md"]  # fmt: skip
    assert '<html lang="zh-CN">' in (GENERATED / "docs" / "huawei_apig.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in (GENERATED / "docs" / "huawei_apig.en.html").read_text(encoding="utf-8")
    english = ROOT / "tests" / "docs" / "specs" / "hostile-prose.yaml"
    result = run_specfirst("docs", str(english), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [".manifest.json", "hostile_prose.html", "hostile_prose.md", "index.html"]
    page = (tmp_path / "out" / "hostile_prose.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Parameters" in page and "请求参数" not in page
