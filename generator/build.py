"""Stage 3b, build: from a loaded spec (and the hoist stage's names) to the intermediate model."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any

from . import ir
from .annotate import Annotator, union_members
from .hoist import Hoisted
from .load import Document
from .naming import Namer, pascal, snake
from .refs import Resolver
from .schema_util import body_kind, pick_media, status_sort, text
from .walk import iter_operations

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
CLIENT_ATTRIBUTES = frozenset(
    {"close", "aclose", "base_url", "timeout", "retry", "headers", "request", "http", "with_raw_response"}
)
# the styles each location allows (OpenAPI "Style Values"), the default first
PARAM_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}
PARAM_RESERVED = frozenset({"self", "body", "timeout", "headers", "extra_headers", "cls"})
# names the generated method and constructor bodies use: a parameter must not shadow them
BODY_NAMES = frozenset(
    {"cast", "request", "response", "httpx", "runtime", "errors", "models", "isinstance", "super", "found"}
)


def is_success(status: str) -> bool:
    """2xx and 2XX count as success; everything else (default included) raises."""
    return status.upper().startswith("2")


def error_stem(status: str) -> str:
    """A readable class stem for a status: NotFound, ClientError, Status499, Default."""
    upper = status.upper()
    if upper == "DEFAULT":
        return "Default"
    if upper == "4XX":
        return "Client"
    if upper == "5XX":
        return "Server"
    if upper.isdigit():
        try:
            return pascal(HTTPStatus(int(upper)).phrase)
        except ValueError:
            return f"Status{upper}"
    return f"Status{pascal(upper)}"


@dataclass
class Builder:
    """Walks one spec once, after the hoist stage, and produces the intermediate model."""

    doc: Document
    package: str
    models: Hoisted  # what the hoist stage handed the model stage
    resolver: Resolver = field(init=False)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.doc)

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data  # type: ignore[no-any-return]

    # -- operations ---------------------------------------------------------------------------------
    def build(self, class_map: dict[str, str]) -> ir.Api:
        """The intermediate model of the whole API."""
        info = self.data.get("info") or {}
        schemes = self._security()
        by_name = {s.name: s.py_name for s in schemes}
        errors: dict[tuple[str, str], ir.ErrorClass] = {}
        method_namer = Namer(CLIENT_ATTRIBUTES)
        annotate = Annotator(self.data, self.models, class_map)
        operations = [
            self._operation(path, method, op, annotate, by_name, errors, method_namer)
            for path, method, op in iter_operations(self.data)
        ]
        error_classes = _name_errors(errors)
        names = {(e.status, e.annotation): e.name for e in error_classes}
        operations = [
            replace(
                op,
                responses=tuple(
                    replace(r, error_class=names[(r.status, r.annotation)]) if r.error_class else r
                    for r in op.responses
                ),
            )
            for op in operations
        ]
        servers = self.data.get("servers") or []
        server = servers[0].get("url", "") if servers and isinstance(servers[0], dict) else ""
        return ir.Api(
            package=self.package,
            title=text(info.get("title")),
            version=str(info.get("version", "")),
            description=text(info.get("description")),
            openapi=str(self.data.get("openapi", "")),
            server_url=server if isinstance(server, str) else "",
            operations=tuple(operations),
            security=tuple(schemes),
            error_classes=tuple(error_classes),
            model_names=tuple(sorted(set(class_map.values()))),
        )

    def _security(self) -> list[ir.SecurityScheme]:
        raw = (self.data.get("components") or {}).get("securitySchemes") or {}
        namer = Namer({"base_url", "timeout", "retry", "headers", "transport", "http_client", "self"} | BODY_NAMES)
        single = len(raw) == 1
        out = []
        for name, scheme in raw.items():
            scheme, _ = self.resolver.deref(scheme, ["components", "securitySchemes", name])
            if not isinstance(scheme, dict):
                continue
            kind, wire = _scheme_kind(scheme)
            if kind is None:
                continue
            py = namer.claim("token" if single else snake(str(name), fallback="credential"))
            out.append(ir.SecurityScheme(str(name), py, kind, wire, text(scheme.get("description"))))
        return out

    def _operation(
        self,
        path: str,
        method: str,
        op: dict[str, Any],
        annotate: Annotator,
        schemes: dict[str, str],
        errors: dict[tuple[str, str], ir.ErrorClass],
        namer: Namer,
    ) -> ir.Operation:
        op_id = text(op.get("operationId"))
        py_name = namer.claim(snake(op_id or f"{method} {path}", fallback="operation"))
        raw_name = namer.claim(f"{py_name}_raw")
        params = self._parameters(path, method, op, annotate)
        body = self._body(path, method, op, annotate)
        responses = []
        for status, response in sorted((op.get("responses") or {}).items(), key=lambda kv: status_sort(str(kv[0]))):
            status = str(status)
            resp, rat = self.resolver.deref(response, ["paths", path, method, "responses", status])
            resp = resp if isinstance(resp, dict) else {}
            picked = pick_media(resp.get("content"))
            if picked:
                mime, media = picked
                kind = body_kind(mime)
                site = (*rat, "content", mime, "schema")
                annotation = (
                    annotate(media.get("schema"), site) if kind == "json" else ("str" if kind == "text" else "bytes")
                )
            else:
                mime, kind, annotation = None, None, "None"
            error_class = None
            if not is_success(status):
                key = (status, annotation)
                if key not in errors:
                    errors[key] = ir.ErrorClass("", status, annotation, kind, text(resp.get("description")))
                error_class = "pending"  # named once every operation is known
            responses.append(ir.Response(status, text(resp.get("description")), mime, kind, annotation, error_class))
        returns = sorted({r.annotation for r in responses if is_success(r.status)}) or ["None"]
        security = op.get("security", self.data.get("security", []))
        names = sorted({schemes[n] for req in security or [] if isinstance(req, dict) for n in req if n in schemes})
        return ir.Operation(
            py_name=py_name,
            raw_name=raw_name,
            operation_id=op_id,
            method=method.upper(),
            path=path,
            summary=text(op.get("summary")),
            description=text(op.get("description")),
            deprecated=op.get("deprecated") is True,
            parameters=tuple(params),
            body=body,
            responses=tuple(responses),
            security=tuple(names),
            return_annotation=" | ".join(union_members(returns)),
            idempotent=method.upper() in IDEMPOTENT,
        )

    def _parameters(self, path: str, method: str, op: dict[str, Any], annotate: Annotator) -> list[ir.Parameter]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], tuple[str | int, ...]]] = {}
        item = self.data["paths"][path]
        for owner, at in ((item, ["paths", path]), (op, ["paths", path, method])):
            for i, raw in enumerate(owner.get("parameters") or []):
                param, pat = self.resolver.deref(raw, [*at, "parameters", i])
                if (
                    isinstance(param, dict)
                    and isinstance(param.get("name"), str)
                    and param.get("in") in {"path", "query", "header", "cookie"}
                ):
                    merged[(param["in"], param["name"])] = (param, tuple(pat))
        return self._named_parameters(merged, annotate)

    def _named_parameters(
        self,
        merged: dict[tuple[str, str], tuple[dict[str, Any], tuple[str | int, ...]]],
        annotate: Annotator,
    ) -> list[ir.Parameter]:
        namer = Namer(PARAM_RESERVED | BODY_NAMES)
        out = []
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        for (where, name), (param, pat) in sorted(merged.items(), key=lambda kv: order[kv[0][0]]):
            if where == "header" and name.lower() in {"accept", "content-type", "authorization"}:
                continue  # OpenAPI says these are ignored: the client sets them
            schema = param.get("schema")
            if schema is None and isinstance(param.get("content"), dict) and param["content"]:
                schema = next(iter(param["content"].values())).get("schema")
            annotation = annotate(schema, (*pat, "schema"))
            required = where == "path" or param.get("required") is True
            sensitive = isinstance(schema, dict) and (
                schema.get("format") == "password" or schema.get("x-sensitive") is True
            )
            py = namer.claim(snake(name, fallback="param"))
            style = param.get("style")
            style = style if isinstance(style, str) and style in PARAM_STYLES[where] else PARAM_STYLES[where][0]
            content = param.get("content")
            out.append(
                ir.Parameter(
                    name,
                    py,
                    where,
                    required,
                    annotation,
                    text(param.get("description")),
                    sensitive,
                    style=style,
                    explode=param["explode"] if isinstance(param.get("explode"), bool) else style == "form",
                    allow_reserved=where == "query" and param.get("allowReserved") is True,
                    media_type=next(iter(content)) if "schema" not in param and isinstance(content, dict) else None,
                )
            )
        # required first (path order kept), optional after: the signature must be valid Python
        return [p for p in out if p.required] + [p for p in out if not p.required]

    def _body(self, path: str, method: str, op: dict[str, Any], annotate: Annotator) -> ir.Body | None:
        body, at = self.resolver.deref(op.get("requestBody"), ["paths", path, method, "requestBody"])
        if not isinstance(body, dict):
            return None
        picked = pick_media(body.get("content"))
        if not picked:
            return None
        mime, media = picked
        kind = body_kind(mime)
        if kind in {"json", "form", "multipart"}:
            annotation = annotate(media.get("schema"), (*at, "content", mime, "schema"))
        else:
            annotation = "str" if kind == "text" else "bytes"
        if kind == "multipart" and annotation not in {"Any", "dict[str, Any]"}:
            annotation += " | dict[str, Any]"  # a plain mapping may carry File values (filename, content type)
        encoding = self._encoding(media, (*at, "content", mime)) if kind in {"form", "multipart"} else ()
        return ir.Body(mime, kind, annotation, body.get("required") is True, text(body.get("description")), encoding)

    def _encoding(self, media: dict[str, Any], at: tuple[str | int, ...]) -> tuple[ir.Encoding, ...]:
        """The Encoding Object of each property that has one, or that is binary (a file part in multipart)."""
        schema, sat = self.resolver.deref(media.get("schema"), [*at, "schema"])
        props: dict[str, Any] = _mapping(schema.get("properties") if isinstance(schema, dict) else None)
        declared: dict[str, Any] = _mapping(media.get("encoding"))
        out = []
        for name in sorted(set(props) | set(declared)):
            prop, pat = self.resolver.deref(props.get(name), [*sat, "properties", name])
            prop = _mapping(prop)
            items, _ = self.resolver.deref(prop.get("items"), [*pat, "items"])
            binary = any(
                isinstance(s, dict) and (s.get("format") == "binary" or "contentMediaType" in s) for s in (prop, items)
            )
            enc = _mapping(declared.get(name))
            if not enc and not binary:
                continue
            content_type = enc.get("contentType") or (prop.get("contentMediaType") if binary else None)
            style = enc.get("style")
            out.append(
                ir.Encoding(
                    name=str(name),
                    content_type=content_type if isinstance(content_type, str) else None,
                    style=style if isinstance(style, str) and style in PARAM_STYLES["query"] else None,
                    explode=enc["explode"] if isinstance(enc.get("explode"), bool) else None,
                    allow_reserved=enc.get("allowReserved") is True,
                    binary=binary,
                )
            )
        return tuple(out)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _name_errors(errors: dict[tuple[str, str], ir.ErrorClass]) -> list[ir.ErrorClass]:
    """Name each (status, body type) pair: NotFoundError, or NotFoundApigErrorError when a status has several."""
    per_status: dict[str, int] = {}
    for status, _ in errors:
        per_status[status] = per_status.get(status, 0) + 1
    namer = Namer({"ApiError", "ErrorBody", "Any"})
    named = []
    for (status, annotation), err in sorted(errors.items(), key=lambda kv: (status_sort(kv[0][0]), kv[0][1])):
        stem = error_stem(status)
        if per_status[status] > 1:
            stem += pascal(annotation.removeprefix("models."), fallback="Body")
        name = stem if stem.endswith("Error") else stem + "Error"
        named.append(ir.ErrorClass(namer.claim(name), status, annotation, err.kind, err.description))
    return named


def _scheme_kind(scheme: dict[str, Any]) -> tuple[str | None, str]:
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") in {"header", "query", "cookie"} and isinstance(scheme.get("name"), str):
        return str(scheme["in"]), str(scheme["name"])
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return "basic", "Authorization"
    if kind in {"http", "oauth2", "openIdConnect"}:
        return "bearer", "Authorization"
    return None, ""
