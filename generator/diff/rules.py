"""The rules: ONE table of (id, level, message template, predicate) over the diff's Events (ids after oasdiff's)."""

from __future__ import annotations

import json
from typing import Any

from .model import Event
from .ruletypes import B, N, Predicate, Rule, W, on
from .schema_rules import request_schema_rows, response_schema_rows

__all__ = ["FALLBACK", "RULES", "Rule", "judge"]


def _req_prop(area: str, kind: str, required: bool | None = None) -> Predicate:
    def test(event: Event) -> bool:
        return (
            event.area == area
            and event.kind == kind
            and not event.read_only
            and (required is None or event.required == required)
        )

    return test


RULES: tuple[Rule, ...] = (
    # paths and operations
    Rule(
        "api-path-removed-without-deprecation",
        B,
        "api path removed without deprecation",
        on("path", "path-removed", deprecated=False),
    ),
    Rule(
        "api-path-removed-with-deprecation",
        W,
        "deprecated api path removed",
        on("path", "path-removed", deprecated=True),
    ),
    Rule(
        "api-removed-without-deprecation",
        B,
        "api removed without deprecation",
        on("path", "operation-removed", deprecated=False),
    ),
    Rule("api-removed-with-deprecation", W, "deprecated api removed", on("path", "operation-removed", deprecated=True)),
    Rule("endpoint-added", N, "endpoint added", on("path", "operation-added")),
    Rule(
        "api-operation-id-changed",
        N,
        "operationId changed from {old} to {new} (same on the wire; renames the generated method, see --api)",
        on("operation", "operation-id-changed"),
    ),
    Rule("endpoint-deprecated", N, "endpoint deprecated", on("operation", "operation-deprecated")),
    # parameters
    Rule(
        "new-required-request-parameter", B, "new required {subject}", on("parameter", "parameter-added", required=True)
    ),
    Rule(
        "new-optional-request-parameter",
        N,
        "new optional {subject}",
        on("parameter", "parameter-added", required=False),
    ),
    Rule(
        "request-parameter-removed",
        W,
        "{subject} removed (clients still sending it may be rejected)",
        on("parameter", "parameter-removed"),
    ),
    Rule(
        "request-parameter-became-required",
        B,
        "{subject} became required",
        on("parameter", "parameter-became-required"),
    ),
    Rule(
        "request-parameter-became-optional",
        N,
        "{subject} became optional",
        on("parameter", "parameter-became-optional"),
    ),
    Rule(
        "request-parameter-location-changed",
        B,
        "{subject}: moved from {old} to {new}",
        on("parameter", "parameter-location-changed"),
    ),
    Rule(
        "request-path-parameter-renamed",
        N,
        "path parameter renamed from {old} to {new} (same position: not a wire change)",
        on("parameter", "path-parameter-renamed"),
    ),
    *request_schema_rows("request-parameter", "parameter", True),
    Rule(
        "new-required-request-parameter-property",
        B,
        "new required {subject}",
        _req_prop("parameter", "property-added", True),
    ),
    *request_schema_rows("request-parameter-property", "parameter", False),
    # request bodies
    Rule("request-body-added-required", B, "required request body added", on("request", "body-added", required=True)),
    Rule("request-body-added-optional", N, "optional request body added", on("request", "body-added", required=False)),
    Rule("request-body-removed", W, "request body removed", on("request", "body-removed")),
    Rule("request-body-became-required", B, "request body became required", on("request", "body-became-required")),
    Rule("request-body-became-optional", N, "request body became optional", on("request", "body-became-optional")),
    Rule(
        "request-body-media-type-removed",
        B,
        "media type {old} removed from the request body",
        on("request", "media-type-removed"),
    ),
    Rule(
        "request-body-media-type-added",
        N,
        "media type {new} added to the request body",
        on("request", "media-type-added"),
    ),
    Rule("new-required-request-property", B, "new required {subject}", _req_prop("request", "property-added", True)),
    Rule("new-optional-request-property", N, "new optional {subject}", _req_prop("request", "property-added", False)),
    Rule(
        "request-property-removed",
        W,
        "{subject} removed (clients still sending it may be rejected)",
        _req_prop("request", "property-removed"),
    ),
    Rule("request-property-became-required", B, "{subject} became required", _req_prop("request", "became-required")),
    Rule("request-property-became-optional", N, "{subject} became optional", _req_prop("request", "became-optional")),
    *request_schema_rows("request-body", "request", True),
    *request_schema_rows("request-property", "request", False),
    # responses
    Rule(
        "response-success-status-removed",
        B,
        "success response {old} removed",
        on("response", "status-removed", success=True),
    ),
    Rule(
        "response-non-success-status-removed",
        N,
        "non-success response {old} removed",
        on("response", "status-removed", success=False),
    ),
    Rule(
        "response-success-status-added", N, "success response {new} added", on("response", "status-added", success=True)
    ),
    Rule(
        "response-non-success-status-added",
        N,
        "non-success response {new} added",
        on("response", "status-added", success=False),
    ),
    Rule(
        "response-media-type-removed",
        B,
        "{subject}: media type {old} removed",
        on("response", "media-type-removed", success=True),
    ),
    Rule(
        "response-non-success-media-type-removed",
        W,
        "{subject}: media type {old} removed",
        on("response", "media-type-removed", success=False),
    ),
    Rule(
        "required-response-header-removed",
        B,
        "required {subject} removed",
        on("response", "header-removed", required=True),
    ),
    Rule("optional-response-header-removed", W, "optional {subject} removed", on("response", "header-removed")),
    Rule("response-header-became-optional", B, "{subject} became optional", on("response", "header-became-optional")),
    Rule("response-header-added", N, "{subject} added", on("response", "header-added")),
    Rule("response-media-type-added", N, "{subject}: media type {new} added", on("response", "media-type-added")),
    Rule(
        "response-required-property-removed",
        B,
        "required {subject} removed",
        lambda e: on("response", "property-removed")(e) and e.required and not e.write_only,
    ),
    Rule("response-optional-property-removed", W, "optional {subject} removed", on("response", "property-removed")),
    Rule(
        "response-property-became-optional",
        B,
        "{subject} became optional (clients may rely on it)",
        on("response", "became-optional"),
    ),
    Rule("response-property-became-required", N, "{subject} became required", on("response", "became-required")),
    Rule(
        "response-required-property-added",
        N,
        "required {subject} added",
        on("response", "property-added", required=True),
    ),
    Rule("response-optional-property-added", N, "optional {subject} added", on("response", "property-added")),
    *response_schema_rows("response-body", True),
    *response_schema_rows("response-property", False),
    # security
    Rule("api-security-added", B, "security {new} now required (it had none)", on("security", "security-added")),
    Rule(
        "api-security-removed", B, "security alternative {old} no longer accepted", on("security", "security-removed")
    ),
    Rule(
        "api-security-scope-added",
        B,
        "security scheme {subject}: scopes {new} now required",
        on("security", "security-scope-added"),
    ),
    Rule(
        "api-security-scope-removed",
        N,
        "security scheme {subject}: scopes {old} no longer required",
        on("security", "security-scope-removed"),
    ),
    Rule(
        "api-security-alternative-added",
        N,
        "security alternative {new} added",
        on("security", "security-alternative-added"),
    ),
    Rule(
        "api-security-made-optional", N, "security {old} no longer required", on("security", "security-made-optional")
    ),
)

FALLBACK = Rule("unclassified-change", N, "{subject}: {kind} ({old} -> {new})", lambda e: True)


_FIRST: dict[tuple[object, ...], Rule] = {}


def judge(event: Event) -> tuple[Rule, str]:
    """The first rule of the table that applies to `event`, and its message."""
    shape = (
        event.area,
        event.kind,
        event.root,
        event.required,
        event.read_only,
        event.write_only,
        event.success,
        event.deprecated,
    )  # all that a predicate reads
    rule = _FIRST.get(shape)
    if rule is None:
        rule = _FIRST[shape] = next((r for r in RULES if r.applies(event)), FALLBACK)
    fields = {
        "subject": event.subject,
        "old": _show(event.old),
        "new": _show(event.new),
        "operation": event.operation,
        "kind": event.kind,
    }
    return rule, rule.template.format(**fields)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value if value == "none" or " or " in value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)
