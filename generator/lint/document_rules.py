"""Rules over the document as a whole: info, servers, tags, paths, components, security, texts, examples."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from .. import validate
from ..walk import iter_operations
from .model import Context, Ptr, Raw
from .walker import as_dict

_COMPONENT_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_SERVER_VAR = re.compile(r"\{([^{}]*)\}")
_SCRIPT = re.compile(r"<script", re.IGNORECASE)
_EVAL = re.compile(r"\beval\s*\(")
_JS_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
_TEMPLATE = re.compile(r"^\{[^{}]*\}$")


def document(ctx: Context) -> None:
    """Top-level objects: info, servers, tags, security, component names, paths side by side."""
    data = ctx.data
    info = as_dict(data.get("info"))
    at: Ptr = ("info",) if "info" in data else ()
    if not info.get("contact"):
        ctx.emit("info-contact", at, "info has no contact object")
    if not info.get("license"):
        ctx.emit("info-license", at, "info has no license object")
    if not (isinstance(info.get("description"), str) and info["description"].strip()):
        ctx.emit("info-description", at, "info has no description")
    servers = data.get("servers")
    if not isinstance(servers, list) or not servers:
        ctx.emit("oas3-api-servers", ("servers",) if "servers" in data else (), "no servers: clients have no base URL")
    tags = data.get("tags")
    if not isinstance(tags, list) or not tags:
        ctx.emit("openapi-tags", ("tags",) if "tags" in data else (), "the document has no global tags")
    seen: set[str] = set()
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        name = tag.get("name") if isinstance(tag, dict) else None
        if isinstance(name, str):
            if name in seen:
                ctx.emit("openapi-tags-uniqueness", ("tags", i, "name"), f"tag {name!r} is declared twice")
            seen.add(name)
    security_defined(ctx, data.get("security"), ("security",))
    components = as_dict(data.get("components"))
    for kind, group in components.items():
        for name in group if isinstance(group, dict) else {}:
            if not str(kind).startswith("x-") and not _COMPONENT_NAME.match(str(name)):
                message = f"component name {name!r} has characters other than A-Z a-z 0-9 . _ -"
                ctx.emit("spec-components-invalid-map-name", ("components", kind, name), message)
    _paths_side_by_side(ctx)
    ctx.finishers.append(_unused_components)
    ctx.finishers.append(_examples)


def security_defined(ctx: Context, requirements: Any, ptr: Ptr) -> None:
    """Every scheme a security requirement names is declared in components.securitySchemes."""
    schemes = (ctx.data.get("components") or {}).get("securitySchemes")
    declared = schemes if isinstance(schemes, dict) else {}
    for i, requirement in enumerate(requirements if isinstance(requirements, list) else []):
        for name in requirement if isinstance(requirement, dict) else {}:
            if name not in declared:
                ctx.emit("security-defined", (*ptr, i, name), f"security scheme {name!r} is not defined")


def _segments(path: str) -> list[str]:
    return path.strip("/").split("/")


def _paths_side_by_side(ctx: Context) -> None:
    paths = ctx.data.get("paths")
    if not isinstance(paths, dict):
        return
    by_shape: dict[str, str] = {}
    by_length: dict[int, list[tuple[str, list[str], set[str]]]] = {}
    for path in paths:
        text = str(path)
        item = paths[path] if isinstance(paths[path], dict) else {}
        shape = re.sub(r"\{[^{}]*\}", "{}", text.rstrip("/"))
        if shape in by_shape:
            ctx.emit("no-identical-paths", ("paths", path), f"{text} is the same path as {by_shape[shape]}")
            continue
        by_shape[shape] = text
        segs = _segments(text)
        methods = {m for m in item if not str(m).startswith("x-")}
        for other, other_segs, other_methods in by_length.get(len(segs), []):
            if methods & other_methods and _ambiguous(segs, other_segs):
                ctx.emit("no-ambiguous-paths", ("paths", path), f"{text} and {other} can match the same request")
        by_length.setdefault(len(segs), []).append((text, segs, methods))


def _ambiguous(a: list[str], b: list[str]) -> bool:
    """Each segment matches the other's, and each path is the more specific one somewhere."""
    a_wins = b_wins = False
    for x, y in zip(a, b, strict=True):
        x_var, y_var = bool(_TEMPLATE.match(x)), bool(_TEMPLATE.match(y))
        if not x_var and not y_var and x != y:
            return False
        a_wins |= y_var and not x_var
        b_wins |= x_var and not y_var
    return a_wins and b_wins


def path(ctx: Context, text: str, item: dict[str, Any], ptr: Ptr) -> None:
    """One path key: no trailing slash, no query string, no empty `{}`."""
    if len(text) > 1 and text.endswith("/"):
        ctx.emit("path-keys-no-trailing-slash", ptr, f"path {text} ends with a slash")
    if "?" in text:
        ctx.emit("path-not-include-query", ptr, f"path {text} has a query string (use `in: query` parameters)")
    if "{}" in text:
        ctx.emit("path-declarations-must-exist", ptr, f"path {text} has an empty parameter declaration {{}}")


def server(ctx: Context, node: dict[str, Any], ptr: Ptr) -> None:
    """A server URL: not example.com, no trailing slash, variables declared with non-empty enums."""
    url = node.get("url")
    if not isinstance(url, str):
        return
    at = (*ptr, "url")
    host = (urlsplit(_SERVER_VAR.sub("x", url)).hostname or "").lower()
    if host == "example.com" or host.endswith(".example.com"):
        ctx.emit("no-server-example.com", at, f"server URL {url} points to example.com")
    if url.endswith("/") and url != "/":
        ctx.emit("no-server-trailing-slash", at, f"server URL {url} ends with a slash")
    variables = as_dict(node.get("variables"))
    for name in _SERVER_VAR.findall(url):
        if name not in variables:
            ctx.emit("no-undefined-server-variable", at, f"server variable {{{name}}} is not defined in `variables`")
    for name, var in variables.items():
        if isinstance(var, dict) and var.get("enum") == []:
            ctx.emit(
                "no-server-variables-empty-enum", (*ptr, "variables", name, "enum"), "server variable enum is empty"
            )


def tag(ctx: Context, node: dict[str, Any], ptr: Ptr) -> None:
    """A global tag has a description."""
    if not node.get("description"):
        ctx.emit("tag-description", ptr, f"tag {node.get('name')!r} has no description")


def text(ctx: Context, key: str, value: str, ptr: Ptr) -> None:
    """A description, summary or title: nothing a rendered page would run."""
    if "<" in value and _SCRIPT.search(value):
        ctx.emit("no-script-tags-in-markdown", ptr, f"{key} has a <script> tag")
    if "eval" in value and _EVAL.search(value):
        ctx.emit("no-eval-in-markdown", ptr, f"{key} has an eval( call")
    if ":" in value and _JS_URL.search(value):
        ctx.emit("no-javascript-url-in-markdown", ptr, f"{key} has a javascript: URL")


def _ref_target(ref: str) -> tuple[str, str] | None:
    if not ref.startswith("#/components/"):
        return None
    parts = ref[len("#/components/") :].split("/")
    if len(parts) < 2:
        return None
    return parts[0], unquote(parts[1]).replace("~1", "/").replace("~0", "~")


def _unused_components(ctx: Context) -> None:
    used = {t for t in map(_ref_target, ctx.refs) if t is not None}
    components = as_dict(ctx.data.get("components"))
    schemes = components.get("securitySchemes")
    named = _requirement_names(ctx.data.get("security"))
    for _, _, op in iter_operations(ctx.data):
        named |= _requirement_names(op.get("security"))
    for name in schemes if isinstance(schemes, dict) else {}:
        if name in named:
            used.add(("securitySchemes", str(name)))
    for kind, group in components.items():
        if str(kind).startswith("x-") or not isinstance(group, dict):
            continue
        for name in group:
            if (kind, str(name)) not in used:
                ctx.emit("no-unused-components", ("components", kind, name), f"components.{kind}.{name} is never used")


def _requirement_names(requirements: Any) -> set[str]:
    return {str(n) for r in (requirements if isinstance(requirements, list) else []) if isinstance(r, dict) for n in r}


def _examples(ctx: Context) -> None:
    """Examples valid against their schemas: validate.py's own example check, each error placed."""
    wanted = {"oas3-valid-media-example", "oas3-valid-schema-example"} & ctx.active
    if not wanted:
        return
    for pointer, message in validate.example_errors(ctx.doc):
        rule = "oas3-valid-schema-example" if pointer[:2] == ["components", "schemas"] else "oas3-valid-media-example"
        ctx.emit(rule, tuple(pointer), message)


def structure(ctx: Context) -> None:
    """The document against the OpenAPI schema (openapi-spec-validator, as `specfirst validate`)."""
    if "oas3-schema" not in ctx.active:
        return
    for problem in validate.structural_problems(ctx.doc):
        ctx.raws.append(Raw("oas3-schema", (), problem.message, (problem.line, problem.col)))
