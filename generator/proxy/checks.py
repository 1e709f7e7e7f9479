"""The proxy's checks of one exchange, under the names `specfirst contract` and Schemathesis give the same rules."""

from __future__ import annotations

import json
from typing import Any

from ..mock import negotiation
from ..mock.bodies import BodyError, essence, is_json, load_json
from ..mock.respond import sensitive
from ..mock.spec import MockSpec, Operation
from ..mock.validation import Parsed, Validators, Violation

ACCEPTABLE_REJECTIONS = frozenset({401, 403, 404, 409, 429})


def response_violations(
    spec: MockSpec,
    validators: Validators,
    op: Operation,
    request_problem: Violation | None,
    parsed: Parsed,
    status: int,
    headers: Any,
    body: bytes,
) -> list[Violation]:
    """Every rule the upstream's answer breaks, given what was wrong (or not) with the request."""
    found: list[Violation] = []
    if status >= 500:
        found.append(Violation("not_a_server_error", f"upstream answered {status}"))
    key = negotiation.documented(op, status)
    if key is None:
        documented = ", ".join(str(k) for k in op.raw.get("responses") or {})
        found.append(Violation("status_code_conformance", f"status {status} is not documented ({documented})"))
    if request_problem is not None and 200 <= status < 300:
        check = "ignored_auth" if request_problem.check == "ignored_auth" else "negative_data_rejection"
        found.append(Violation(check, f"invalid request accepted with {status}: {request_problem.message}"))
    if request_problem is None and 400 <= status < 500 and status not in ACCEPTABLE_REJECTIONS:
        found.append(Violation("positive_data_acceptance", f"a request valid against the spec got {status}"))
    if key is None:
        return found
    response = spec.resolve((op.raw.get("responses") or {}).get(key)) or {}
    found += _headers(spec, validators, response, headers)
    content = response.get("content") or {}
    if not content or status in (204, 304) or not body:
        return found
    sent_type = headers.get("content-type") or ""
    media = next((m for m in content if essence(m) == essence(sent_type)), None)
    if media is None:
        media = next((m for m in content if essence(m).endswith("/*") or essence(m) == "*/*"), None)
    if media is None:
        shown = sent_type.split(";")[0][:60] or "(none)"
        found.append(Violation("content_type_conformance", f"content type {shown} is not one of {', '.join(content)}"))
        return found
    schema = (spec.resolve(content[media]) or {}).get("schema")
    if not is_json(media) or schema is None:
        return found
    try:
        value = load_json(body)
    except BodyError as exc:
        found.append(Violation("response_schema_conformance", f"response body: {exc}"))
        return found
    problems = validators.errors(schema, value)
    if problems:
        found.append(Violation("response_schema_conformance", f"response body: {problems[0]}"))
    elif op.method in ("PUT", "PATCH") and 200 <= status < 300 and request_problem is None:
        found += _update_applied(spec, op, parsed, schema, value)
    return found


def _headers(spec: MockSpec, validators: Validators, response: dict[str, Any], headers: Any) -> list[Violation]:
    found: list[Violation] = []
    for name, header in (response.get("headers") or {}).items():
        header = spec.resolve(header) or {}
        value = headers.get(str(name))
        if value is None:
            if header.get("required"):
                found.append(Violation("response_headers_conformance", f"required header {name} is missing"))
            continue
        schema = spec.resolve(header.get("schema")) or {}
        from ..mock.params import coerce

        problems = validators.errors(schema, coerce(value, schema, spec.resolve))
        if problems:
            found.append(Violation("response_headers_conformance", f"header {name}: {problems[0]}"))
    return found


def _update_applied(spec: MockSpec, op: Operation, parsed: Parsed, schema: Any, returned: Any) -> list[Violation]:
    """A successful update's response reflects every non-secret field sent (contract's `update_applied`)."""
    if not isinstance(parsed.body, dict) or not isinstance(returned, dict):
        return []
    body = spec.resolve(op.raw.get("requestBody")) or {}
    media = (body.get("content") or {}).get(parsed.media_type or "") or {}
    request_props = (spec.resolve(spec.resolve(media).get("schema")) or {}).get("properties") or {}
    echoed = (spec.resolve(schema) or {}).get("properties")
    ignored = [
        k
        for k, v in parsed.body.items()
        if k in request_props
        and not sensitive(spec.resolve(request_props[k]))
        and not (spec.resolve(request_props[k]) or {}).get("writeOnly")
        and (not isinstance(echoed, dict) or k in echoed)
        and returned.get(k, object()) != v
    ]
    if not ignored:
        return []
    shown = ", ".join(
        f"{k}: sent {json.dumps(parsed.body[k])[:60]}, got {json.dumps(returned.get(k))[:60]}" for k in ignored[:3]
    )
    return [Violation("update_applied", f"the response does not reflect {len(ignored)} sent field(s): {shown}")]
