"""Validation: a request against its operation (parameters by style, body by media type, credentials), using the
one JSON Schema validator of the tree (openapi-schema-validator, format checking on), compiled lazily per schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openapi_schema_validator import OAS30Validator, OAS31Validator, oas30_format_checker, oas31_format_checker

from . import bodies, params
from .spec import MockSpec, Operation

MAX_ERRORS_SHOWN = 1


@dataclass(frozen=True)
class Violation:
    """One broken rule: the contract check name it falls under, and a short message."""

    check: str
    message: str
    status_hint: int = 400

    def header(self) -> str:
        text = f"{self.check}: {self.message}"
        return "".join(c if 32 <= ord(c) < 127 else "?" for c in text)[:300]


class Validators:
    """jsonschema validators per schema, built on first use and rooted at the document so `#/...` refs resolve."""

    def __init__(self, spec: MockSpec) -> None:
        cls = OAS31Validator if spec.version == "3.1" else OAS30Validator
        checker = oas31_format_checker if spec.version == "3.1" else oas30_format_checker
        self._root = cls(spec.doc.data, format_checker=checker)
        self._cache: dict[int, Any] = {}
        self._keep: list[Any] = []

    def errors(self, schema: Any, value: Any) -> list[str]:
        """Messages for every way `value` breaks `schema` (empty when it conforms)."""
        if not isinstance(schema, dict) or not schema:
            return []
        validator = self._cache.get(id(schema))
        if validator is None:
            validator = self._root.evolve(schema=schema)
            self._cache[id(schema)] = validator
            self._keep.append(schema)  # ids stay valid while the schema lives
        try:
            found = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
        except RecursionError:
            return ["value nested too deeply"]
        except Exception as exc:  # an unresolvable $ref or a pattern the engine cannot compile: not the client's fault
            del exc
            return []
        return [_describe(e) for e in found]


def _describe(error: Any) -> str:
    where = "/".join(str(p) for p in error.absolute_path)
    message = error.message if len(error.message) <= 160 else error.message[:159] + "…"
    return f"{where}: {message}" if where else message


@dataclass
class Parsed:
    """A request's parameters and body as JSON data, after validation."""

    values: dict[str, dict[str, Any]]
    body: Any
    media_type: str | None


def check_security(spec: MockSpec, op: Operation, request: Any, tokens: frozenset[str]) -> Violation | None:
    """Credentials present (and, with --token, one of the accepted ones) for some security requirement."""
    if not op.security or any(req == {} for req in op.security):
        return None
    for requirement in op.security:
        if isinstance(requirement, dict) and all(
            _credential_ok(spec.schemes.get(str(name)) or {}, request, tokens) for name in requirement
        ):
            return None
    names = " or ".join("+".join(map(str, r)) for r in op.security if isinstance(r, dict))
    return Violation("ignored_auth", f"missing or wrong credentials for security requirement {names}", 401)


def _credential_ok(scheme: dict[str, Any], request: Any, tokens: frozenset[str]) -> bool:
    kind = scheme.get("type")
    if kind == "apiKey":
        name = str(scheme.get("name", ""))
        where = scheme.get("in")
        value = (
            request.headers.get(name)
            if where == "header"
            else request.cookies.get(name)
            if where == "cookie"
            else dict(request.query_pairs).get(name)
        )
    elif kind in ("http", "oauth2", "openIdConnect"):
        auth = request.headers.get("authorization") or ""
        scheme_name = str(scheme.get("scheme", "bearer")).lower() if kind == "http" else "bearer"
        prefix, _, value = auth.partition(" ")
        if prefix.lower() != scheme_name:
            return False
    else:
        return True  # mutualTLS and unknown types cannot be checked here
    if not value or not value.strip():
        return False
    # an API key may carry its own prefix (Discord's `Bot <token>`, GitHub's `token <token>`)
    return not tokens or value.strip() in tokens or (kind == "apiKey" and value.partition(" ")[2].strip() in tokens)


def check_request(
    spec: MockSpec, validators: Validators, op: Operation, request: Any, path_params: dict[str, str], raw: bytes
) -> tuple[Parsed, Violation | None]:
    """Every parameter and the body checked; the first violation found, if any."""
    parsed = Parsed({"path": {}, "query": {}, "header": {}, "cookie": {}}, None, None)
    for param in op.params:
        where = str(param.get("in"))
        name = str(param.get("name"))
        if where == "header" and name.lower() in ("accept", "content-type", "authorization"):
            continue  # described by the media types and security schemes, not as parameters
        value = params.read(param, request, path_params, spec.resolve)
        if value is params.MISSING:
            if param.get("required") or where == "path":
                check = "missing_required_header" if where == "header" else "negative_data_rejection"
                return parsed, Violation(check, f"{where} parameter {name!r} is required")
            continue
        schema = param.get("schema")
        content = param.get("content")
        if isinstance(content, dict) and content:
            schema = next(iter(content.values())).get("schema")
        if value == "" and where == "query" and not param.get("allowEmptyValue"):
            schema_types = params._types(spec.resolve(schema or {}))
            if schema_types and "string" not in schema_types:
                return parsed, Violation("negative_data_rejection", f"query parameter {name!r} is empty")
        problems = validators.errors(schema, value)
        if problems:
            # a path that names no possible resource is answered as an unknown resource (404 where documented)
            unknown = any(t in problems[0] for t in ("is not of type", "is not a '", "does not match"))
            hint = 404 if where == "path" and unknown else 400
            return parsed, Violation("negative_data_rejection", f"{where} parameter {name!r}: {problems[0]}", hint)
        parsed.values[where][name] = value
    declared = request.headers.get("content-type") or ""
    parsed.media_type, parsed.body, violation = check_body(spec, validators, op, declared, raw)
    return parsed, violation


def check_body(
    spec: MockSpec, validators: Validators, op: Operation, declared: str, raw: bytes
) -> tuple[str | None, Any, Violation | None]:
    """A request body read the way its media type (and Encoding Object) says and checked against its schema:
    (documented media type, value, first violation). Contract uses it to read back what it sent."""
    body_spec = spec.resolve(op.raw.get("requestBody"))
    if not isinstance(body_spec, dict):
        return None, None, None
    content = body_spec.get("content") or {}
    if not raw:
        if body_spec.get("required"):
            return None, None, Violation("negative_data_rejection", "request body is required")
        return None, None, None
    media = bodies.match(declared, list(content)) if declared else next(iter(content), None)
    if media is None:
        shown = declared.split(";", maxsplit=1)[0][:60] or "(none)"
        return (
            None,
            None,
            Violation("negative_data_rejection", f"media type {shown} is not one of {', '.join(content)}", 415),
        )
    media_obj = spec.resolve(content.get(media)) or {}
    schema = spec.resolve(media_obj.get("schema")) if isinstance(media_obj, dict) else None
    try:
        body = bodies.parse(raw, declared or media, schema, spec.resolve)
    except bodies.BodyError as exc:
        return media, None, Violation("negative_data_rejection", f"request body: {exc}")
    if body is bodies.UNCHECKED:
        return media, None, None
    problems = validators.errors(schema, body)
    problems = [p for p in problems if not _read_only_required(p, schema, spec)]
    if problems:
        return media, None, Violation("negative_data_rejection", f"request body: {problems[0]}")
    return media, body, None


def _read_only_required(message: str, schema: Any, spec: MockSpec) -> bool:
    """A readOnly property a client need not send is not a request error."""
    if "is a required property" not in message or ":" in message.split("'", maxsplit=1)[0]:
        return False
    name = message.split("'")[1] if message.count("'") >= 2 else ""
    props = (spec.resolve(schema) or {}).get("properties") or {}
    return bool((spec.resolve(props.get(name)) or {}).get("readOnly"))


__all__ = ["Parsed", "Validators", "Violation", "check_body", "check_request", "check_security"]
