"""Build the docs model of one API from its loaded spec: operations, parameters, responses, models."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from http import HTTPStatus
from typing import Any

from .. import ir
from ..docs import model as m
from ..docs.samples import SampleMaker
from ..docs.schemas import Pointer, Schemas, constraints, dump, slug
from ..docs.tags import anchor, first_tag, group, ordered, with_samples
from ..load import Document
from ..naming import pascal
from ..walk import iter_operations

_RFC = "https://tools.ietf.org/html/rfc"
# Where each status code is defined (the links the source documents use).
_SECTIONS = {
    **{c: f"7231#section-6.2.{i}" for i, c in enumerate((100, 101), 1)},
    **{c: f"7231#section-6.3.{i}" for i, c in enumerate((200, 201, 202, 203, 204, 205), 1)},
    **{c: f"7231#section-6.4.{i}" for i, c in enumerate((300, 301, 302, 303, 305, 306, 307), 1)},
    **{c: f"7231#section-6.5.{i}" for i, c in enumerate((400, 402, 403, 404, 405, 406, 408, 409, 410, 411), 1)},
    **{c: f"7231#section-6.5.{i}" for i, c in enumerate((413, 414, 415, 417), 11)},
    426: "7231#section-6.5.15",
    **{c: f"7231#section-6.6.{i}" for i, c in enumerate((500, 501, 502, 503, 504, 505), 1)},
    206: "7233#section-4.1", 416: "7233#section-4.4", 304: "7232#section-4.1", 412: "7232#section-4.2",
    401: "7235#section-3.1", 407: "7235#section-3.2", 308: "7538#section-3", 207: "4918#section-11.1",
    422: "4918#section-11.2", 423: "4918#section-11.3", 424: "4918#section-11.4", 507: "4918#section-11.5",
    428: "6585#section-3", 429: "6585#section-4", 431: "6585#section-5", 511: "6585#section-6",
}  # fmt: skip
_RANGES = {"1XX": "Informational", "2XX": "Success", "3XX": "Redirection", "4XX": "Client Error", "5XX": "Server Error"}
_ERROR_CODE = re.compile(r"^(error_?code|err_?code|code)$", re.IGNORECASE)
_JSON_FIRST = ("json", "form", "multipart", "text")


def reason(status: str) -> tuple[str, str]:
    """The status code's reason phrase and a link to its RFC section ("" when none)."""
    if status.isdigit():
        try:
            phrase = HTTPStatus(int(status)).phrase
        except ValueError:
            return status, ""
        section = _SECTIONS.get(int(status))
        return phrase, f"{_RFC}{section}" if section else ""
    return _RANGES.get(status.upper(), "Default" if status == "default" else status), ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def doc_cell(node: Any, description: str) -> str:
    """The 说明 cell of a table row: the `x-doc-cell` extension when the spec sets one (the text a source
    document shows there, e.g. `none` or the bare status code), else the description."""
    cell = node.get("x-doc-cell") if isinstance(node, dict) else None
    return cell if isinstance(cell, str) else description


def _pick(content: Any) -> tuple[str, dict[str, Any]]:
    """The media type to document: JSON first, then forms, then anything."""
    if not isinstance(content, dict) or not content:
        return "", {}

    def rank(mime: str) -> int:
        base = mime.lower()
        return next((i for i, word in enumerate(_JSON_FIRST) if word in base), len(_JSON_FIRST))

    mime = sorted(content, key=rank)[0]
    media = content[mime]
    return str(mime), media if isinstance(media, dict) else {}


class ApiBuilder:
    """Turns one document into an m.Api."""

    def __init__(self, doc: Document, package: str) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
        self.package = package
        self.schemas = Schemas(doc)

    def _examples(self, media: dict[str, Any], at: Pointer) -> tuple[m.Example, ...]:
        out = []
        examples = media.get("examples")
        if isinstance(examples, dict):
            for key, raw in examples.items():
                ex, _ = self.schemas.deref(raw, [*at, "examples", key])
                if isinstance(ex, dict) and "value" in ex:
                    out.append(m.Example(_text(ex.get("summary")) or str(key), dump(ex["value"])))
        elif "example" in media:
            out.append(m.Example("example", dump(media["example"])))
        return tuple(out)

    def _param(self, raw: Any, at: Pointer) -> m.Param:
        param, at = self.schemas.deref(raw, at)
        schema: Any = param.get("schema", {})
        where = [*at, "schema"]
        if "content" in param:
            mime, media = _pick(param["content"])
            schema, where = media.get("schema", {}), [*at, "content", mime, "schema"]
        resolved, _ = self.schemas.deref(schema, where)
        info = resolved if isinstance(resolved, dict) else {}
        example = param.get("example", info.get("example"))
        if example is None and isinstance(info.get("examples"), list) and info["examples"]:
            example = info["examples"][0]
        return m.Param(
            name=str(param.get("name", "")),
            location=str(param.get("in", "")),
            types=self.schemas.types(schema, where),
            required=param.get("required") is True or param.get("in") == "path",
            title=_text(info.get("title")),
            description=_text(param.get("description")),
            constraints=constraints(info),
            example="" if example is None else str(example),
            cell=doc_cell(param, _text(param.get("description"))),
        )

    def _credentials(self, op: dict[str, Any]) -> tuple[m.Credential, ...]:
        requirements = op.get("security", self.data.get("security")) or []
        schemes = (self.data.get("components") or {}).get("securitySchemes") or {}
        out: list[m.Credential] = []
        requirements = requirements if isinstance(requirements, list) else []
        only = len(requirements) == 1
        for requirement in requirements:
            for name in requirement if isinstance(requirement, dict) else {}:
                scheme, _ = self.schemas.deref(schemes.get(name, {}), ["components", "securitySchemes", name])
                kind = _text(scheme.get("type")) if isinstance(scheme, dict) else ""
                if kind == "apiKey":
                    wire, where, holder = _text(scheme.get("name")), _text(scheme.get("in")), f"<{name}>"
                elif kind == "http" and _text(scheme.get("scheme")).lower() == "basic":
                    wire, where, holder = "Authorization", "header", "Basic <credentials>"
                elif kind in {"http", "oauth2", "openIdConnect"}:
                    wire, where, holder = "Authorization", "header", "Bearer <token>"
                else:
                    continue
                cred = m.Credential(name, wire, where, kind, _text(scheme.get("description")), holder, only)
                if cred not in out:
                    out.append(cred)
        return tuple(out)

    def _response(self, status: str, raw: Any, at: Pointer) -> m.Response:
        resp, at = self.schemas.deref(raw, at)
        resp = resp if isinstance(resp, dict) else {}
        mime, media = _pick(resp.get("content"))
        types: tuple[m.TypePart, ...] = ()
        if "schema" in media:
            types = self.schemas.types(media["schema"], [*at, "content", mime, "schema"])
        examples = self._examples(media, [*at, "content", mime])
        codes: list[str] = []
        for key, raw_ex in (media.get("examples") or {}).items() if isinstance(media.get("examples"), dict) else []:
            ex, _ = self.schemas.deref(raw_ex, [*at, "content", mime, "examples", key])
            value = ex.get("value") if isinstance(ex, dict) else None
            if isinstance(value, dict):
                codes += [str(v) for k, v in value.items() if _ERROR_CODE.match(str(k)) and str(v) not in codes]
        phrase, rfc = reason(status)
        text = _text(resp.get("description"))
        return m.Response(status, phrase, rfc, text, types, mime, examples, tuple(codes), doc_cell(resp, text))

    def operation(self, path: str, method: str, op: dict[str, Any], path_params: list[Any]) -> m.Operation:
        at: Pointer = ["paths", path, method]
        params: dict[tuple[str, str], m.Param] = {}
        for i, raw in enumerate(path_params):
            p = self._param(raw, ["paths", path, "parameters", i])
            params[(p.name, p.location)] = p
        for i, raw in enumerate(op.get("parameters") or []):
            p = self._param(raw, [*at, "parameters", i])
            params[(p.name, p.location)] = p
        op_id = _text(op.get("operationId")) or f"{method} {path}"
        body, sketch, mime = None, "", ""
        request_examples: tuple[m.Example, ...] = ()
        if "requestBody" in op:
            rb, rb_at = self.schemas.deref(op["requestBody"], [*at, "requestBody"])
            rb = rb if isinstance(rb, dict) else {}
            mime, media = _pick(rb.get("content"))
            schema, where = media.get("schema", {}), [*rb_at, "content", mime, "schema"]
            resolved, _ = self.schemas.deref(schema, where)
            if (
                isinstance(resolved, dict)
                and "$ref" not in schema
                and ("properties" in resolved or "allOf" in resolved)
            ):
                name = self.schemas.register(pascal(op_id, fallback="Operation") + "Request", schema, where)
                types: tuple[m.TypePart, ...] = (m.TypePart(name, slug(name)),)
            else:
                types = self.schemas.types(schema, where)
            text = _text(rb.get("description"))
            body = m.Param("body", "body", types, rb.get("required") is True, "", text, (), "", doc_cell(rb, text))
            sketch = dump(self.schemas.sketch(schema, where))
            request_examples = self._examples(media, [*rb_at, "content", mime])
        responses: dict[str, Any] = op["responses"] if isinstance(op.get("responses"), dict) else {}
        order = sorted(responses, key=lambda s: (str(s) == "default", str(s).upper().replace("X", "0")))
        credentials = self._credentials(op)
        listed = tuple(params.values())
        return m.Operation(
            anchor=anchor(_text(op.get("operationId")), method, path),
            method=method.upper(),
            path=path,
            summary=_text(op.get("summary")) or op_id,
            description=_text(op.get("description")),
            deprecated=op.get("deprecated") is True,
            params=listed,
            body=body,
            body_sketch=sketch,
            content_type=mime,
            request_examples=request_examples,
            responses=tuple(self._response(str(s), responses[s], [*at, "responses", s]) for s in order),
            credentials=credentials,
            curl=self._curl(method, path, listed, credentials, mime, request_examples, sketch),
            operation_id=_text(op.get("operationId")),
            tag=first_tag(op),
        )

    def _curl(
        self,
        method: str,
        path: str,
        params: tuple[m.Param, ...],
        credentials: tuple[m.Credential, ...],
        mime: str,
        examples: tuple[m.Example, ...],
        sketch: str,
    ) -> m.Curl:
        url = self.server() + path
        for p in params:
            if p.location == "path":
                url = url.replace("{" + p.name + "}", p.example or "{" + p.name + "}")
        query = [f"{p.name}={p.example or '<' + p.name + '>'}" for p in params if p.location == "query" and p.required]
        query += [f"{c.name}={c.placeholder}" for c in credentials if c.location == "query"]
        if query:
            url += "?" + "&".join(query)
        headers = [f"{c.name}: {c.placeholder}" for c in credentials if c.location == "header"]
        headers += [
            f"{p.name}: {p.example or '<' + p.name + '>'}" for p in params if p.location == "header" and p.required
        ]
        if mime:
            headers.append(f"Content-Type: {mime}")
        data = examples[0].text if examples else sketch
        return m.Curl(method.upper(), url, tuple(headers), data if mime else "")

    def server(self) -> str:
        servers = self.data.get("servers")
        first = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], dict) else {}
        url = _text(first.get("url")) or "http://localhost"
        for name, var in (first.get("variables") or {}).items():
            if isinstance(var, dict):
                url = url.replace("{" + str(name) + "}", str(var.get("default", "")))
        return url.rstrip("/")

    def build(
        self, client: ir.Api | None = None, langs: tuple[str, ...] = ("en",), known: Mapping[bytes, bytes] | None = None
    ) -> m.Api:
        """The docs model (with `client`, the operations' Python samples made from it); `known`: the models a cache
        holds (`Schemas.models`)."""
        info: dict[str, Any] = self.data["info"] if isinstance(self.data.get("info"), dict) else {}
        ops = []
        for path, method, op in iter_operations(self.data):
            item = self.data["paths"][path]
            ops.append(self.operation(path, method, op, item.get("parameters") or []))
        groups = group(self.data, ops)
        api = m.Api(
            package=self.package,
            source=self.doc.path.name,
            title=_text(info.get("title")) or self.package,
            version=str(info.get("version", "")),
            description=_text(info.get("description")),
            server=self.server(),
            operations=ordered(groups),
            models=self.schemas.models(known),
            groups=groups,
            langs=langs,
        )
        return api if client is None else self.with_samples(api, client)

    def with_samples(self, api: m.Api, client: ir.Api) -> m.Api:
        """`api` (this builder's) with each operation's Python sample, made from the client's model."""
        groups = with_samples(api.groups, SampleMaker(self.schemas, self.data, client, self.server()).all())
        return replace(api, operations=ordered(groups), groups=groups)
