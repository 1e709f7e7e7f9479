"""Stage 3, build: from a loaded spec to the intermediate model (and the schemas handed to the model stage)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any

from generator import ir, shapes
from generator.load import Document
from generator.naming import Namer, pascal, snake
from generator.refs import Resolver
from generator.walk import iter_operations

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
_WHERE = frozenset({"path", "query", "header", "cookie"})
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    return [t] if isinstance(t, str) else []


def _is_json(mime: str) -> bool:
    base = mime.split(";", maxsplit=1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def _body_kind(mime: str) -> str:
    base = mime.split(";", maxsplit=1)[0].strip().lower()
    if _is_json(mime):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "bytes"


def _pick_media(content: Any) -> tuple[str, dict[str, Any]] | None:
    if not isinstance(content, dict) or not content:
        return None
    order = sorted(content, key=lambda m: ["json", "form", "multipart", "text", "bytes"].index(_body_kind(m)))
    mime = order[0]
    media = content[mime]
    return mime, media if isinstance(media, dict) else {}


def _status_sort(status: str) -> tuple[int, str]:
    return (999 if status == "default" else int(status.replace("X", "0").replace("x", "0")), status)


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
    """Walks one spec once and produces the model-stage input and the intermediate model."""

    doc: Document
    package: str
    resolver: Resolver = field(init=False)
    hoisted: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    reshaped: dict[tuple[str | int, ...], Any] = field(default_factory=dict)  # request sites not hoisted
    extra_schemas: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.resolver = Resolver(self.doc)

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data  # type: ignore[no-any-return]

    # -- models -------------------------------------------------------------------------------------
    def model_components(self) -> dict[str, Any]:
        """components for the model stage: the spec's own, inline body and enum parameter schemas hoisted by name,
        and request variants of schemas with readOnly/writeOnly properties (see generator.shapes)."""
        components = dict(self.data.get("components") or {})
        schemas = dict(components.get("schemas") or {})
        taken = set(schemas)
        op_namer = Namer()
        requests: list[tuple[str | int, ...]] = []
        for path, method, op in iter_operations(self.data):
            stem = pascal(_text(op.get("operationId")) or f"{method} {path}", fallback="Operation")
            stem = op_namer.claim(stem)
            for site, name, kind in self._schema_sites(path, method, op, stem):
                requests += [site] if kind == "request" else []
                schema = _site_schema(self.resolver, site)
                needed = _is_enum(schema) if kind == "parameter" else _needs_model(schema)
                if schema is None or site in self.hoisted or not needed:
                    continue
                name = suffix_name(name, taken)
                taken.add(name)
                schemas[name] = schema
                self.hoisted[site] = name
        shaper = shapes.Shaper(schemas, taken)
        if shaper.split:  # only documents with readOnly/writeOnly properties change
            bodies = {self.hoisted[s] for s in requests if s in self.hoisted}
            schemas = {
                n: shaper.reshape(s, request=n in bodies) if n in shaper.split else s for n, s in schemas.items()
            }
            for site in requests:
                if site not in self.hoisted:
                    self.reshaped[site] = shaper.reshape(_site_schema(self.resolver, site), request=True)
            schemas.update(shaper.request_variants())
        components["schemas"] = schemas
        return components

    def _schema_sites(
        self, path: str, method: str, op: dict[str, Any], stem: str
    ) -> list[tuple[tuple[str | int, ...], str, str]]:
        """(site, model name to hoist it as, request | response | parameter) for each schema the client uses."""
        sites: list[tuple[tuple[str | int, ...], str, str]] = []
        body, at = self.resolver.deref(op.get("requestBody"), ["paths", path, method, "requestBody"])
        picked = _pick_media(body.get("content")) if isinstance(body, dict) else None
        if picked:
            sites.append(((*at, "content", picked[0], "schema"), stem + "Request", "request"))
        for status, response in sorted((op.get("responses") or {}).items(), key=lambda kv: _status_sort(str(kv[0]))):
            resp, rat = self.resolver.deref(response, ["paths", path, method, "responses", str(status)])
            picked = _pick_media(resp.get("content")) if isinstance(resp, dict) else None
            if picked:
                sites.append(
                    ((*rat, "content", picked[0], "schema"), f"{stem}Response{pascal(str(status))}", "response")
                )
        merged: dict[tuple[Any, Any], tuple[dict[str, Any], list[str | int]]] = {}
        for owner, where in ((self.data["paths"][path], ["paths", path]), (op, ["paths", path, method])):
            for i, raw in enumerate(owner.get("parameters") or []):
                param, pat = self.resolver.deref(raw, [*where, "parameters", i])
                if isinstance(param, dict) and param.get("in") in _WHERE and isinstance(param.get("schema"), dict):
                    merged[(param.get("in"), param.get("name"))] = (param, pat)
        for param, pat in merged.values():
            shared = len(pat) == 3 and pat[:2] == ["components", "parameters"]
            name = pascal(str(pat[2]) if shared else f"{stem} {param.get('name')}", fallback="Parameter")
            site = (*pat, "schema")
            items = _types(param["schema"]) == ["array"]
            sites.append(((*site, "items") if items else site, name + ("Item" if items else ""), "parameter"))
        return sites

    # -- annotations --------------------------------------------------------------------------------
    def annotation(self, schema: Any, at: tuple[str | int, ...], class_map: dict[str, str], *, depth: int = 0) -> str:
        """The Python type for a schema: a generated model, a builtin, or a container of those."""
        if at in self.hoisted and self.hoisted[at] in class_map:
            return f"models.{class_map[self.hoisted[at]]}"
        schema = self.reshaped.get(at, schema)
        if not isinstance(schema, dict) or depth > 20:
            return "Any"
        ref = schema.get("$ref")
        if isinstance(ref, str):
            parts = ref.split("/")
            if len(parts) == 4 and parts[:3] == ["#", "components", "schemas"]:
                name = parts[3].replace("~1", "/").replace("~0", "~")
                target = (self.data.get("components") or {}).get("schemas", {}).get(name)
                if isinstance(target, dict) and _is_primitive(target):
                    return self.annotation(target, ("components", "schemas", name), class_map, depth=depth + 1)
                if name in class_map:
                    return f"models.{class_map[name]}"
            return "Any"
        types = _types(schema)
        nullable = "null" in types or schema.get("nullable") is True
        non_null = [t for t in types if t != "null"]
        if len(non_null) == 1 and non_null[0] in _PRIMITIVES:
            base = "bytes" if schema.get("format") == "binary" else _PRIMITIVES[non_null[0]]
        elif non_null == ["array"]:
            base = f"list[{self.annotation(schema.get('items'), (*at, 'items'), class_map, depth=depth + 1)}]"
        elif non_null == ["object"] or (not non_null and "properties" in schema):
            base = "dict[str, Any]"
        elif types == ["null"]:
            base = "None"
        else:
            base = self._combined(schema, at, class_map, depth)
        return f"{base} | None" if nullable and base not in {"Any", "None"} else base

    def _combined(
        self, schema: dict[str, Any], at: tuple[str | int, ...], class_map: dict[str, str], depth: int
    ) -> str:
        """The union of oneOf/anyOf members (a one-member allOf is that member); Any when one member is."""
        for key in ("oneOf", "anyOf", "allOf"):
            parts = schema.get(key)
            if not isinstance(parts, list) or not parts or (key == "allOf" and len(parts) > 1):
                continue
            found = [self.annotation(p, (*at, key, i), class_map, depth=depth + 1) for i, p in enumerate(parts)]
            members = list(dict.fromkeys(m for a in found for m in _union_split(a)))
            if "Any" in members:
                return "Any"
            return " | ".join([m for m in members if m != "None"] + (["None"] if "None" in members else []))
        return "Any"

    # -- operations ---------------------------------------------------------------------------------
    def build(self, class_map: dict[str, str]) -> ir.Api:
        """The intermediate model of the whole API."""
        info = self.data.get("info") or {}
        schemes = self._security()
        by_name = {s.name: s.py_name for s in schemes}
        errors: dict[tuple[str, str], ir.ErrorClass] = {}
        method_namer = Namer(CLIENT_ATTRIBUTES)
        operations = [
            self._operation(path, method, op, class_map, by_name, errors, method_namer)
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
            title=_text(info.get("title")),
            version=str(info.get("version", "")),
            description=_text(info.get("description")),
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
            out.append(ir.SecurityScheme(str(name), py, kind, wire, _text(scheme.get("description"))))
        return out

    def _operation(
        self,
        path: str,
        method: str,
        op: dict[str, Any],
        class_map: dict[str, str],
        schemes: dict[str, str],
        errors: dict[tuple[str, str], ir.ErrorClass],
        namer: Namer,
    ) -> ir.Operation:
        op_id = _text(op.get("operationId"))
        py_name = namer.claim(snake(op_id or f"{method} {path}", fallback="operation"))
        raw_name = namer.claim(f"{py_name}_raw")
        params = self._parameters(path, method, op, class_map)
        body = self._body(path, method, op, class_map)
        responses = []
        for status, response in sorted((op.get("responses") or {}).items(), key=lambda kv: _status_sort(str(kv[0]))):
            status = str(status)
            resp, rat = self.resolver.deref(response, ["paths", path, method, "responses", status])
            resp = resp if isinstance(resp, dict) else {}
            picked = _pick_media(resp.get("content"))
            if picked:
                mime, media = picked
                kind = _body_kind(mime)
                site = (*rat, "content", mime, "schema")
                annotation = (
                    self.annotation(media.get("schema"), site, class_map)
                    if kind == "json"
                    else ("str" if kind == "text" else "bytes")
                )
            else:
                mime, kind, annotation = None, None, "None"
            error_class = None
            if not is_success(status):
                key = (status, annotation)
                if key not in errors:
                    errors[key] = ir.ErrorClass("", status, annotation, kind, _text(resp.get("description")))
                error_class = "pending"  # named once every operation is known
            responses.append(ir.Response(status, _text(resp.get("description")), mime, kind, annotation, error_class))
        returns = sorted({r.annotation for r in responses if is_success(r.status)}) or ["None"]
        security = op.get("security", self.data.get("security", []))
        names = sorted({schemes[n] for req in security or [] if isinstance(req, dict) for n in req if n in schemes})
        return ir.Operation(
            py_name=py_name,
            raw_name=raw_name,
            operation_id=op_id,
            method=method.upper(),
            path=path,
            summary=_text(op.get("summary")),
            description=_text(op.get("description")),
            deprecated=op.get("deprecated") is True,
            parameters=tuple(params),
            body=body,
            responses=tuple(responses),
            security=tuple(names),
            return_annotation=" | ".join(_union_members(returns)),
            idempotent=method.upper() in IDEMPOTENT,
        )

    def _parameters(self, path: str, method: str, op: dict[str, Any], class_map: dict[str, str]) -> list[ir.Parameter]:
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
        return self._named_parameters(merged, class_map)

    def _named_parameters(
        self,
        merged: dict[tuple[str, str], tuple[dict[str, Any], tuple[str | int, ...]]],
        class_map: dict[str, str],
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
            annotation = self.annotation(schema, (*pat, "schema"), class_map)
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
                    _text(param.get("description")),
                    sensitive,
                    style=style,
                    explode=param["explode"] if isinstance(param.get("explode"), bool) else style == "form",
                    allow_reserved=where == "query" and param.get("allowReserved") is True,
                    media_type=next(iter(content)) if "schema" not in param and isinstance(content, dict) else None,
                )
            )
        # required first (path order kept), optional after: the signature must be valid Python
        return [p for p in out if p.required] + [p for p in out if not p.required]

    def _body(self, path: str, method: str, op: dict[str, Any], class_map: dict[str, str]) -> ir.Body | None:
        body, at = self.resolver.deref(op.get("requestBody"), ["paths", path, method, "requestBody"])
        if not isinstance(body, dict):
            return None
        picked = _pick_media(body.get("content"))
        if not picked:
            return None
        mime, media = picked
        kind = _body_kind(mime)
        if kind in {"json", "form", "multipart"}:
            annotation = self.annotation(media.get("schema"), (*at, "content", mime, "schema"), class_map)
        else:
            annotation = "str" if kind == "text" else "bytes"
        if kind == "multipart" and annotation not in {"Any", "dict[str, Any]"}:
            annotation += " | dict[str, Any]"  # a plain mapping may carry File values (filename, content type)
        encoding = self._encoding(media, (*at, "content", mime)) if kind in {"form", "multipart"} else ()
        return ir.Body(mime, kind, annotation, body.get("required") is True, _text(body.get("description")), encoding)

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


def _union_members(annotations: list[str]) -> list[str]:
    if "Any" in annotations:
        return ["Any"]
    members = [a for a in annotations if a != "None"]
    return members + (["None"] if "None" in annotations else [])


def _name_errors(errors: dict[tuple[str, str], ir.ErrorClass]) -> list[ir.ErrorClass]:
    """Name each (status, body type) pair: NotFoundError, or NotFoundApigErrorError when a status has several."""
    per_status: dict[str, int] = {}
    for status, _ in errors:
        per_status[status] = per_status.get(status, 0) + 1
    namer = Namer({"ApiError", "ErrorBody", "Any"})
    named = []
    for (status, annotation), err in sorted(errors.items(), key=lambda kv: (_status_sort(kv[0][0]), kv[0][1])):
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


def _is_primitive(schema: dict[str, Any]) -> bool:
    non_null = [t for t in _types(schema) if t != "null"]
    return len(non_null) == 1 and non_null[0] in _PRIMITIVES and "enum" not in schema and "$ref" not in schema


def _union_split(annotation: str) -> list[str]:
    """The top-level members of a union annotation: 'list[int | str] | None' -> ['list[int | str]', 'None']."""
    members, depth, start = [], 0, 0
    for i, ch in enumerate(annotation):
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if depth == 0 and annotation.startswith(" | ", i):
            members.append(annotation[start:i])
            start = i + 3
    return [*members, annotation[start:]]


def _is_enum(schema: Any) -> bool:
    """An enum of strings or of integers (a parameter's choices), typed by a hoisted Enum model."""
    if not isinstance(schema, dict) or {"$ref", "allOf", "oneOf", "anyOf"} & set(schema):
        return False
    values = schema.get("enum")
    if not isinstance(values, list) or not values:
        return False
    return all(isinstance(v, str) for v in values) or all(type(v) is int for v in values)


def _needs_model(schema: Any) -> bool:
    if not isinstance(schema, dict) or not schema or "$ref" in schema:
        return False
    if _is_primitive(schema):
        return False
    if _types(schema) == ["array"]:
        return _needs_model(schema.get("items"))
    return not (_types(schema) == ["object"] and not schema.get("properties") and not schema.get("allOf"))


def _site_schema(resolver: Resolver, site: tuple[str | int, ...]) -> Any:
    node: Any = resolver.doc.data
    for part in site:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def suffix_name(name: str, taken: set[str]) -> str:
    """`name`, or `name2`, `name3`… so that it is not in `taken`."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}{n}"
    return candidate
