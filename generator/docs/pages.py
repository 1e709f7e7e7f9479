"""How an API's HTML is cut into pages: one page for a small API; for a big one a home page, one page per tag
and one page of the models its operations reach (each model shown once, the tag pages link to it), and a search
index across every tag."""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from ..docs import model as m
from ..docs.tags import SPLIT_AT


@dataclass(frozen=True)
class Page:
    """One HTML file of an API: the tags it shows in full (none on a split API's home page) and its models."""

    name: str  # the file name
    current: str  # the tag anchor it shows (MODELS: the models page), "" for a single page or the home page
    groups: tuple[m.Group, ...]
    models: tuple[m.Model, ...]
    models_page: str = ""  # where its links to models go: "" (this page), or the models page's file name


MODELS = "models"  # a split API's models page: `github_api.models.html` (a tag's anchor starts with `tag-`)


def is_split(api: m.Api) -> bool:
    return len(api.operations) > SPLIT_AT and sum(len(g.tags) for g in api.groups) > 1


def tag_file(home: str, tag: m.Tag) -> str:
    """`github_api.html` -> `github_api.tag-repos.html`."""
    return home.removesuffix(".html") + f".{tag.anchor}.html"


def models_file(home: str) -> str:
    """`github_api.html` -> `github_api.models.html`."""
    return home.removesuffix(".html") + f".{MODELS}.html"


def _refs(parts: tuple[m.TypePart, ...]) -> set[str]:
    return {p.ref for p in parts if p.ref}


def _model_refs(model: m.Model) -> set[str]:
    found = _refs(model.types)
    for f in model.fields:
        found |= _refs(f.types)
    for alt in model.alternatives:
        found |= _refs(alt.types)
        for f in alt.fields:
            found |= _refs(f.types)
    return found


def _op_refs(op: m.Operation) -> set[str]:
    found: set[str] = set()
    for p in (*op.params, *((op.body,) if op.body else ())):
        found |= _refs(p.types)
    for r in op.responses:
        found |= _refs(r.types)
    return found


def reached(api: m.Api, operations: tuple[m.Operation, ...]) -> tuple[m.Model, ...]:
    """The models `operations` reach, directly or through other models, in the API's model order."""
    by_anchor = {model.anchor: model for model in api.models}
    todo = [ref for op in operations for ref in _op_refs(op)]
    seen: set[str] = set()
    while todo:
        ref = todo.pop()
        if ref in seen or ref not in by_anchor:
            continue
        seen.add(ref)
        todo += _model_refs(by_anchor[ref])
    return tuple(model for model in api.models if model.anchor in seen)


def pages(api: m.Api, home: str) -> list[Page]:
    """Every page of one API in one language; `home` is its main file name."""
    if not is_split(api):
        return [Page(home, "", api.groups, api.models)]
    models = models_file(home)
    out = [Page(home, "", (), (), models)]
    for group in api.groups:
        for tag in group.tags:
            out.append(Page(tag_file(home, tag), tag.anchor, (m.Group(group.name, (tag,)),), (), models))
    out.append(Page(models, MODELS, (), reached(api, api.operations)))
    return out


def op_links(api: m.Api, home: str) -> dict[str, str]:
    """Where each operation lives: `page.html#operationId` (or `#operationId` on a single page)."""
    split = is_split(api)
    return {
        op.anchor: (tag_file(home, tag) if split else "") + "#" + op.anchor
        for group in api.groups
        for tag in group.tags
        for op in tag.operations
    }


def entries(api: m.Api, home: str) -> list[list[str]]:
    """The search index: [link, method, path, summary, tag, operationId] per operation."""
    links = op_links(api, home)
    return [
        [links[op.anchor], op.method, op.path, op.summary, tag.name, op.operation_id]
        for group in api.groups
        for tag in group.tags
        for op in tag.operations
    ]


def script_json(value: object) -> Markup:
    """JSON safe inside a `<script type="application/json">` block (no `<`, `>` or `&` left raw)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
