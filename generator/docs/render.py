"""Render the docs model: Markdown (zh, en) and self-contained HTML, through Jinja templates."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import jinja2

from ..docs import model as m
from ..render import environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "docs"

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "lang": "zh-CN", "basics": "基础信息", "path": "请求路径", "body": "Body请求参数", "params": "请求参数",
        "auth": "认证", "responses": "返回结果", "models": "模型", "props": "属性", "req_examples": "请求示例",
        "resp_examples": "返回示例", "name": "名称", "in": "位置", "type": "类型", "required": "必选",
        "title": "中文名", "description": "说明", "constraints": "约束", "status": "状态码",
        "meaning": "状态码含义", "schema": "数据模型", "yes": "是", "no": "否", "operations": "接口",
        "search": "搜索接口、字段、错误码…", "copy_button": "复制", "copied": "已复制", "errors": "错误码",
        "server": "服务地址", "version": "版本", "content_type": "内容类型", "deprecated": "已废弃",
        "apis": "API 参考", "nothing": "没有匹配的结果", "example": "示例",
    },
    "en": {
        "lang": "en", "basics": "Basic information", "path": "Request path", "body": "Request body",
        "params": "Parameters", "auth": "Authentication", "responses": "Responses", "models": "Models",
        "props": "Properties", "req_examples": "Request examples", "resp_examples": "Response examples",
        "name": "Name", "in": "In", "type": "Type", "required": "Required", "title": "Title",
        "description": "Description", "constraints": "Constraints", "status": "Status", "meaning": "Meaning",
        "schema": "Schema", "yes": "yes", "no": "no", "operations": "Operations",
        "search": "Search operations, fields, error codes…", "copy_button": "Copy", "copied": "Copied",
        "errors": "Error codes", "server": "Server", "version": "Version", "content_type": "Content type",
        "deprecated": "deprecated", "apis": "API reference", "nothing": "No match", "example": "Example",
    },
}  # fmt: skip


def md_cell(value: Any, empty: str = "") -> str:
    """Text fit for one Markdown table cell: pipes escaped, line breaks as <br>; `empty` when blank."""
    text = str(value).strip()
    if not text:
        return empty
    return re.sub(r"\r\n|\r|\n", "<br>", text.replace("|", "\\|"))


def md_code(value: Any) -> str:
    """An inline code span that holds `value` whatever backticks it contains."""
    text = str(value)
    ticks = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def md_fence(value: Any) -> str:
    """A code fence longer than any backtick run inside `value`."""
    return "`" * max(3, max((len(r) for r in re.findall(r"`+", str(value))), default=0) + 1)


def shell_quote(value: Any) -> str:
    """One POSIX shell word."""
    return shlex.quote(str(value))


def _environment(*, html: bool) -> jinja2.Environment:
    return environment(TEMPLATES, autoescape=html, cell=md_cell, code=md_code, fence=md_fence, sh=shell_quote)


_MD = _environment(html=False)
_HTML = _environment(html=True)


def markdown(api: m.Api, lang: str) -> str:
    """The Markdown reference of one API in the source documents' format."""
    return _MD.get_template("api.md.jinja").render(api=api, t=LABELS[lang])


def html(api: m.Api, lang: str) -> str:
    """The self-contained HTML page of one API."""
    return _HTML.get_template("api.html.jinja").render(api=api, t=LABELS[lang])


def index(apis: list[m.Api], lang: str, langs: tuple[str, ...]) -> str:
    """The page listing every API."""
    return _HTML.get_template("index.html.jinja").render(apis=apis, t=LABELS[lang], langs=langs)
