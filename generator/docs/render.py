"""Render the docs model: Markdown (zh, en) and self-contained HTML, through Jinja templates."""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import secrets
import shlex
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..docs import model as m
from ..docs.pages import entries, is_split, op_links, pages, script_json, tag_file
from ..docs.prose import prose
from ..docs.samples import py_pretty
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
        "apis": "API 参考", "nothing": "没有匹配的结果", "example": "示例", "samples": "代码示例", "tags": "分类",
        "read_only": "只读", "write_only": "只写", "oneOf": "满足其一（oneOf）", "anyOf": "满足任意（anyOf）",
        "allOf": "全部满足（allOf）",
        "in_zh": "中文", "in_en": "English",
        "changes": "变更", "changes_since": "相对于", "level_breaking": "破坏性变更", "level_warning": "警告",
        "level_info": "兼容变更", "no_changes": "没有变更",
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
        "samples": "Code samples", "tags": "Tags", "read_only": "read-only", "write_only": "write-only",
        "oneOf": "One of", "anyOf": "Any of", "allOf": "All of", "in_zh": "中文", "in_en": "English",
        "changes": "Changes", "changes_since": "Since", "level_breaking": "breaking", "level_warning": "warning",
        "level_info": "info", "no_changes": "No changes",
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
    return environment(
        TEMPLATES,
        autoescape=html,
        cell=md_cell,
        code=md_code,
        fence=md_fence,
        sh=shell_quote,
        md=prose,
        pylit=py_pretty,
    )


_MD = _environment(html=False)
_HTML = _environment(html=True)


def page_name(api: m.Api, lang: str, ext: str) -> str:
    """`<package>.md` / `.html` in the API's default language, `<package>.<lang>.<ext>` in the others."""
    return f"{api.package}.{ext}" if lang == api.langs[0] else f"{api.package}.{lang}.{ext}"


def markdown(api: m.Api, lang: str, known: Mapping[bytes, bytes] | None = None) -> str:
    """The Markdown reference of one API in the source documents' format (`known`: as `markdown_kept` says)."""
    return markdown_kept(api, lang, known)[0]


def markdown_kept(api: m.Api, lang: str, known: Mapping[bytes, bytes] | None = None) -> tuple[str, dict[bytes, bytes]]:
    """`markdown`, and given `known` (a cache's, maybe empty) each operation's and model's section by its digest,
    to give as `known` next time: a section made from equal data (an operation, and whether the page has several;
    a model), in this language with these templates, is not rendered again. Without `known`, no digest is made."""
    several = len(api.operations) > 1
    templates = {m.Operation: _MD.get_template("md_operation.jinja"), m.Model: _MD.get_template("md_model.jinja")}
    kept: dict[bytes, bytes] = {}

    def section(item: m.Operation | m.Model) -> str:
        context = {"op": item} if isinstance(item, m.Operation) else {"model": item}
        if known is None:
            return templates[type(item)].render(**context, api=api, t=LABELS[lang])
        digest = hashlib.blake2b(pickle.dumps((item, several), protocol=5), digest_size=20).digest()
        made = kept.get(digest) or known.get(digest)
        if made is None:
            made = templates[type(item)].render(**context, api=api, t=LABELS[lang]).encode()
        kept[digest] = made
        return made.decode()

    return _MD.get_template("api.md.jinja").render(api=api, t=LABELS[lang], section=section), kept


def model_sections(
    api: m.Api, lang: str, known: Mapping[bytes, bytes] | None = None
) -> tuple[dict[str, bytes], dict[bytes, bytes]]:
    """Each model's HTML section (UTF-8) by its anchor: what `SampleSlots.fill` joins into the pages; and, given
    `known` (a cache's, maybe empty), each section by its model's digest, to give as `known` next time (a model
    equal to one rendered before, in this language with these templates, is given its section without rendering
    it again; without `known`, no digest is made)."""
    section = _HTML.get_template("model.html.jinja")
    out: dict[str, bytes] = {}
    kept: dict[bytes, bytes] = {}
    for model in api.models:
        if known is None:
            out[model.anchor] = section.render(model=model, t=LABELS[lang]).encode()
            continue
        digest = hashlib.blake2b(pickle.dumps(model, protocol=5), digest_size=20).digest()
        made = kept.get(digest) or known.get(digest)
        if made is None:
            made = section.render(model=model, t=LABELS[lang]).encode()
        out[model.anchor] = kept[digest] = made
    return out, kept


def html(api: m.Api, lang: str, slot: Slot | None = None, sections: Sections | None = None) -> dict[str, str]:
    """The self-contained HTML pages of one API (one, or a home page, one per tag and one of its models), by
    file name; each links to the same page in the API's other languages. With `slot`, each operation's Python
    sample is what `slot(anchor, part)` gives, and with `sections` each page's model sections are what
    `sections(anchors)` gives (`SampleSlots` puts both there: the model sections, made apart by
    `model_sections`, are then joined in)."""
    home = page_name(api, lang, "html")
    split = is_split(api)
    tag_files = {tag.anchor: tag_file(home, tag) for group in api.groups for tag in group.tags}
    index = script_json(entries(api, home)) if split else ""
    homes = {other: page_name(api, other, "html") for other in api.langs if other != lang}
    out = {}
    template = _HTML.get_template("api.html.jinja")
    section = _HTML.get_template("model.html.jinja")
    # a model reached from several tags is on several pages: rendered once
    model_html = {m.anchor: section.render(model=m, t=LABELS[lang]) for m in api.models} if sections is None else {}
    link = {
        model.anchor: f'<li><a href="#model-{escape(model.anchor)}">{escape(model.name)}</a></li>\n'
        for model in api.models
    }
    for page in pages(api, home):
        model_links = Markup("".join(link[model.anchor] for model in page.models))
        if sections is not None:
            joined = sections([model.anchor for model in page.models])
        else:
            joined = Markup("\n".join(model_html[model.anchor] for model in page.models))
        others = [
            (other, other_home if not page.current else other_home.removesuffix(".html") + f".{page.current}.html")
            for other, other_home in homes.items()
        ]
        text = template.render(
            api=api, t=LABELS[lang], lang=lang, others=others, page=page, split=split, tag_files=tag_files,
            home=home, index=index, model_links=model_links, model_sections=joined, slot=slot,
        )  # fmt: skip
        # a link to a model (its types, a description's `#model-x`) goes to the page that shows the models
        out[page.name] = text.replace('href="#model-', f'href="{page.models_page}#model-') if page.models_page else text
    return out


class SampleSlots:
    """Stand-ins for the operations' Python samples in pages rendered before the clients are built: `slot` marks
    a place, `cut` turns marked pages into UTF-8 pieces between the marks, and `fill` renders the samples (as the
    pages would have) into every place marked. `sections` marks a page's model sections the same way (`fill` joins
    them in from `model_sections`: rendered and encoded once, however many pages show them)."""

    def __init__(self) -> None:
        self._nonce = secrets.token_hex(8)  # a page cannot hold a mark by chance, or by a spec's design
        self._anchors: dict[str, int] = {}
        self._sections: list[list[str]] = []

    def sections(self, anchors: list[str]) -> Markup:
        """The mark of a run of model sections (by the models' anchors), joined by newlines where it stands."""
        self._sections.append(anchors)
        return Markup(f"<!--sample-{self._nonce} sections {len(self._sections) - 1}-->")

    def slot(self, anchor: str, part: str) -> Markup:
        """The mark of one part (`tab`, `panes`) of one operation's sample."""
        return Markup(f"<!--sample-{self._nonce} {part} {self._anchors.setdefault(anchor, len(self._anchors))}-->")

    def cut(self, pages: dict[str, str]) -> dict[str, Cut]:
        """Each marked page as UTF-8 pieces and the mark between each two (so filling is a join); `pages` is
        emptied on the way (a large API's pages are not held twice)."""
        out = {}
        for name in list(pages):
            first, *rest = pages.pop(name).split(f"<!--sample-{self._nonce} ")
            pieces, marks = [first.encode()], []
            for chunk in rest:  # "panes 12-->" then the page up to the next mark
                end = chunk.index("-->")
                part, number = chunk[:end].split(" ")
                marks.append((part, int(number)))
                pieces.append(chunk[end + 3 :].encode())
            out[name] = (pieces, marks)
        return out

    def fill(self, pages: dict[str, Cut], api: m.Api, lang: str, sections: dict[str, bytes]) -> dict[str, bytes]:
        """`pages` (of `api` in `lang`, cut) with each mark replaced by its part of `api`'s sample, or by the
        model sections it stands for (`sections`: `model_sections(api, lang)`'s first part)."""
        parts = _HTML.get_template("_samples.html.jinja").module
        t = LABELS[lang]
        ops = {op.anchor: op for op in api.operations}
        by_number = {number: ops[anchor] for anchor, number in self._anchors.items()}
        made: dict[tuple[str, int], bytes] = {}

        def part(key: tuple[str, int]) -> bytes:
            if key not in made:
                made[key] = str(getattr(parts, key[0])(by_number[key[1]], t)).encode()
            return made[key]

        out = {}
        for name, (pieces, marks) in pages.items():
            joined = [pieces[0]]
            for key, piece in zip(marks, pieces[1:], strict=True):
                if key[0] == "sections":  # each section as it is, newlines between (not joined twice)
                    for i, anchor in enumerate(self._sections[key[1]]):
                        joined += (b"\n", sections[anchor]) if i else (sections[anchor],)
                else:
                    joined.append(part(key))
                joined.append(piece)
            out[name] = b"".join(joined)
        return out


Cut = tuple[list[bytes], list[tuple[str, int]]]  # a page's UTF-8 pieces, and the sample part between each two
Slot = Callable[[str, str], Markup]
Sections = Callable[[list[str]], Markup]


def index_row(api: m.Api) -> str:
    """One API's row on the index page (the tags of a split API, the operations of the others); the docs
    manifest keeps it, so a later run of other specs still lists this API."""
    home = page_name(api, api.langs[0], "html")
    markdown = [(other, page_name(api, other, "md")) for other in api.langs]
    return _HTML.get_template("index_row.html.jinja").render(
        api=api, markdown=markdown, home=home, links=op_links(api, home), split=is_split(api), tag_file=tag_file
    )


def index(rows: list[str], lang: str) -> str:
    """The page listing every API, one row each (as index_row made them)."""
    return _HTML.get_template("index.html.jinja").render(rows=[Markup(row) for row in rows], t=LABELS[lang])


def search_entry(api: m.Api) -> dict[str, Any]:
    """One API's part of the site-wide search index: every operation as [link, method, path, summary, tag,
    operationId]."""
    home = page_name(api, api.langs[0], "html")
    operations = [[home + e[0] if e[0].startswith("#") else e[0], *e[1:]] for e in entries(api, home)]
    return {"api": api.package, "title": api.title, "home": home, "operations": operations}


def search_index(found: list[dict[str, Any]]) -> str:
    """The site-wide search index of these APIs' entries (search_entry)."""
    return json.dumps({"apis": found}, ensure_ascii=False, indent=1) + "\n"
