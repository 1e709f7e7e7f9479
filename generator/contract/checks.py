"""Checks of our own where Schemathesis stops: updates must be applied, responses must not leak internals."""

from __future__ import annotations

import json
import re
from typing import Any

import schemathesis
from schemathesis import Case, CheckContext, GenerationMode, Response

from ..mock.bodies import is_json

UPDATE_METHODS = frozenset({"PATCH", "PUT"})
SENSITIVE_FORMATS = frozenset({"password"})
LEAK_PATTERNS = (
    ("a Python traceback", re.compile(r"Traceback \(most recent call last\)")),
    ("a stack frame", re.compile(r"File \"[^\"\n]+\", line \d+")),
    ("a Java stack frame", re.compile(r"\bat [\w$.]+\([\w$]+\.java:\d+\)")),
    (
        "an exception class name",
        re.compile(
            r"\b(?:KeyError|ValueError|TypeError|AttributeError|IndexError|NameError|ZeroDivisionError|RuntimeError|"
            r"AssertionError|UnboundLocalError|NotImplementedError|RecursionError|"
            r"sqlite3\.\w+|psycopg2?\.\w+|sqlalchemy\.\w+(?:\.\w+)*|django\.\w+(?:\.\w+)*|"
            r"java\.lang\.\w+|NullPointerException)\b"
        ),
    ),
    (
        "a server file path",
        re.compile(
            r"(?:/(?:usr|opt|srv|var|home|root|app|tmp)/[\w.\-]+/[\w./\-]*\.(?:py|pyc|java|go|rb|js|php)\b"
            r"|site-packages/|[A-Za-z]:\\\\(?:Users|Program Files|inetpub)\\\\)"
        ),
    ),
)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _echoed(case: Case[Any]) -> list[str]:
    """Every string the request carried; a server may echo them back, so they are not leaks."""
    values = _strings(case.body) if isinstance(case.body, dict | list | str) else []
    for container in (case.path_parameters, case.query, case.headers):
        values += _strings(dict(container or {}))
    return sorted({v for v in values if len(v) >= 3}, key=len, reverse=True)


def says_nothing(check: str, operation: Any) -> bool:
    """Whether `check` has nothing to hold `operation` to: a status check on an operation that documents no
    responses (OpenAPI 3.1 allows leaving them out; every status would otherwise be called undocumented)."""
    return check == "status_code_conformance" and not operation.responses.status_codes


@schemathesis.check
def no_internal_leak(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """No response shows server internals: tracebacks, stack frames, exception class names, file paths."""
    text = response.text or ""
    for value in _echoed(case):
        text = text.replace(value, "").replace(json.dumps(value)[1:-1], "")
    for what, pattern in LEAK_PATTERNS:
        found = pattern.search(text)
        if found:
            raise AssertionError(
                f"Response {response.status_code} leaks {what}: {found.group(0)[:120]!r}\n\n"
                "Log internals on the server; answer with the documented error body only"
            )
    return None


def _sensitive(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("format") in SENSITIVE_FORMATS
        or schema.get("writeOnly") is True
        or schema.get("x-sensitive") is True
    )


def _request_properties(case: Case[Any]) -> dict[str, Any]:
    """The request body schema's properties, $refs resolved against the spec."""
    raw = case.operation.definition.raw
    body = (raw.get("requestBody") or {}) if isinstance(raw, dict) else {}
    root = case.operation.schema.raw_schema
    for media in (_resolve(root, body).get("content") or {}).values():
        schema = _resolve(root, (media or {}).get("schema") or {})
        return {k: _resolve(root, v) for k, v in (schema.get("properties") or {}).items()}
    return {}


def _response_properties(case: Case[Any], status: int) -> dict[str, Any] | None:
    """The documented response schema's properties for `status`, or None when it declares none."""
    raw = case.operation.definition.raw
    responses = (raw.get("responses") or {}) if isinstance(raw, dict) else {}
    root = case.operation.schema.raw_schema
    entry = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    for media in (_resolve(root, entry or {}).get("content") or {}).values():
        props = _resolve(root, (media or {}).get("schema") or {}).get("properties")
        return props if isinstance(props, dict) else None
    return None


def _resolve(root: Any, node: Any) -> Any:
    for _ in range(50):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            return node
        target = root
        for part in node["$ref"][2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
        node = target
    return node


def secret_agrees(sent: Any, echoed: Any) -> bool:
    """Whether an echoed sensitive value agrees with the one sent: equal in clear, or, masked
    (`416************ab8`), the visible characters are the sent value's first and last ones."""
    if not (isinstance(sent, str) and isinstance(echoed, str)):
        return bool(sent == echoed)
    if MASK_RUN.search(echoed) is None:
        return sent == echoed
    prefix, suffix = echoed[: echoed.index("*")], echoed[echoed.rindex("*") + 1 :]
    return len(prefix) + len(suffix) <= len(sent) and sent.startswith(prefix) and sent.endswith(suffix)


MASK_RUN = re.compile(r"\*{3,}")


@schemathesis.check
def update_applied(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A successful update's response reflects every field sent. Sensitive fields (password, writeOnly,
    x-sensitive) are checked without being shown: echoed in clear they must equal what was sent, echoed masked
    their visible characters must agree with it."""
    meta = case.meta
    if case.method.upper() not in UPDATE_METHODS or not 200 <= response.status_code < 300:
        return None
    if meta is not None and meta.generation.mode != GenerationMode.POSITIVE:
        return None
    if not isinstance(case.body, dict) or not is_json(case.media_type or "application/json"):
        return None  # a form or XML body reaches the wire reshaped (nested values dropped, names mangled)
    try:
        returned = response.json()
    except (ValueError, TypeError):
        return None
    if not isinstance(returned, dict):
        return None
    props = _request_properties(case)
    echoed = _response_properties(case, response.status_code)
    ignored, secrets = [], []
    for k, v in case.body.items():
        if k not in props:
            continue
        if _sensitive(props[k]) or (echoed is not None and _sensitive(_resolve(case.operation.schema.raw_schema,
                                                                                echoed.get(k)))):  # fmt: skip
            if k in returned and not secret_agrees(v, returned[k]):
                secrets.append(k)
        elif (echoed is None or k in echoed) and (k not in returned or returned[k] != v):
            ignored.append(k)
    if not (ignored or secrets):
        return None
    names = ", ".join(sorted(ignored + secrets))
    lines = [
        f"{case.method.upper()} returned {response.status_code} but the response does not reflect the sent "
        f"field(s) {names}",
        "",
        "Apply every field of the update, or reject it with an error",
        "",
        "Values:",
    ]
    lines += [f"  {k}: sent {case.body[k]!r}, got {returned.get(k, '<absent>')!r}" for k in ignored[:5]]
    for k in secrets:
        how = "masked " if isinstance(returned[k], str) and MASK_RUN.search(returned[k]) else ""
        lines.append(f"  {k}: sensitive; the {how}echo does not agree with the value sent (values not shown)")
    raise AssertionError("\n".join(lines))
