"""The two inputs of a run, checked first: the spec (read, validated, facts drawn) and a reachable server."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from .. import validate
from ..errors import InputError
from ..load import Document, load
from ..refs import Resolver
from ..walk import iter_operations

if TYPE_CHECKING:
    from .wire import WireReader

MUTATING = frozenset({"DELETE", "PATCH", "POST", "PUT"})


@dataclass
class Operation:
    """What the report needs of one operation: its label, documented statuses and auth headers."""

    label: str
    method: str
    statuses: list[str]
    secured: bool
    path_params: list[str]
    path: str = ""
    operation_id: str = ""
    params: dict[str, str] = field(default_factory=dict)  # name -> location (path, query, header, cookie)
    examples: dict[str, str] = field(default_factory=dict)  # path parameter -> the spec's example value


@dataclass
class SpecFacts:
    """Facts about a spec that Schemathesis does not give us directly."""

    doc: Document
    operations: dict[str, Operation] = field(default_factory=dict)
    sensitive: set[str] = field(default_factory=set)
    auth_headers: set[str] = field(default_factory=set)
    token_header: tuple[str, str] | None = None  # (header name, value prefix) for --token

    @cached_property
    def wire(self) -> WireReader:
        """Reads a sent form or XML body back the way the mock does (built on first use)."""
        from .wire import WireReader

        return WireReader(self.doc)


def read_spec(doc_path: Any) -> SpecFacts:
    """Load and validate the spec; InputError (exit 2) for an unreadable or invalid one."""
    doc = load(doc_path)
    validate.require_valid(doc)
    facts = SpecFacts(doc=doc)
    data = doc.data
    resolver = Resolver(doc)
    _collect_sensitive(data, facts.sensitive, resolver, 0)
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in schemes.items():
        scheme, _ = resolver.deref(scheme, ["components", "securitySchemes", name])
        if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            facts.auth_headers.add(str(scheme.get("name", "")).lower())
            facts.token_header = facts.token_header or (str(scheme.get("name")), "")
        elif scheme.get("type") in ("http", "oauth2", "openIdConnect"):
            facts.auth_headers.add("authorization")
            bearer = scheme.get("type") != "http" or str(scheme.get("scheme", "")).lower() == "bearer"
            facts.token_header = facts.token_header or (("Authorization", "Bearer ") if bearer else None)
    global_security = data.get("security")
    for path, method, op in iter_operations(data):
        security = op.get("security", global_security)
        params = [resolver.deref(p, ["paths", path])[0] for p in (data["paths"][path].get("parameters") or [])]
        params += [resolver.deref(p, ["paths", path, method])[0] for p in (op.get("parameters") or [])]
        label = f"{method.upper()} {path}"
        facts.operations[label] = Operation(
            label=label,
            method=method.upper(),
            statuses=sorted(str(s) for s in (op.get("responses") or {})),
            secured=bool(security) and any(bool(req) or req == {} for req in security),
            path_params=[str(p.get("name")) for p in params if isinstance(p, dict) and p.get("in") == "path"],
            path=path,
            operation_id=str(op.get("operationId") or ""),
            params={str(p.get("name")): str(p.get("in")) for p in params if isinstance(p, dict)},
            examples={
                str(p.get("name")): str(value)
                for p in params
                if isinstance(p, dict) and p.get("in") == "path" and (value := _example(p)) is not None
            },
        )
    return facts


def _example(param: dict[str, Any]) -> Any:
    """The parameter's documented example value, if any (parameter, then schema)."""
    schema: dict[str, Any] = param["schema"] if isinstance(param.get("schema"), dict) else {}
    for source in (param, schema):
        if "example" in source:
            return source["example"]
        examples = source.get("examples")
        if isinstance(examples, dict):
            for entry in examples.values():
                if isinstance(entry, dict) and "value" in entry:
                    return entry["value"]
        if isinstance(examples, list) and examples:
            return examples[0]
    return None


def _collect_sensitive(node: Any, into: set[str], resolver: Resolver, depth: int) -> None:
    """Every property name whose schema is a password, writeOnly or `x-sensitive: true`, anywhere in the spec."""
    if depth > 200:
        return
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, schema in props.items():
                if isinstance(schema, dict) and (
                    schema.get("format") == "password"
                    or schema.get("writeOnly") is True
                    or schema.get("x-sensitive") is True
                ):
                    into.add(str(name))
        for value in node.values():
            _collect_sensitive(value, into, resolver, depth + 1)
    elif isinstance(node, list):
        for value in node:
            _collect_sensitive(value, into, resolver, depth + 1)


def check_reachable(base_url: str, timeout: float) -> None:
    """One GET to the base URL; any HTTP answer will do. InputError (exit 2) when nothing answers."""
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            client.get(base_url)
    except httpx.HTTPError as exc:
        reason = type(exc).__name__
        raise InputError(f"{base_url}: server not reachable ({reason}: {exc or 'no answer'})") from None
