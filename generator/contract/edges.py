"""Edge cases sent in every run whatever the seed: for each body field of an accepted request, non-ASCII text
(where the schema admits it), the shortest and longest valid strings, and null where the field is nullable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests
import schemathesis
from openapi_schema_validator import OAS30Validator, OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012
from schemathesis.checks import not_a_server_error

from ..contract.checks import update_applied
from ..contract.options import ContractOptions
from ..contract.probes import SPEC_CHECKS, Plan, send
from ..contract.results import Results
from ..contract.target import SpecFacts
from ..validate import openapi_version

NON_ASCII = ("数据中心名称", "Ünïcödé", "zażółć", "テスト", "Ελληνικά")
FILLS = ("a", "0", "中", "A")
BASE = "specfirst://contract/spec"
EDGE_CHECKS = (not_a_server_error, *SPEC_CHECKS, update_applied)
SUCCESS = frozenset(range(200, 300))


def _follow(data: Any, node: Any, pointer: list[str]) -> tuple[Any, list[str]]:
    for _ in range(50):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/")):
            break
        pointer = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
        node = data
        for part in pointer:
            node = node.get(part, {}) if isinstance(node, dict) else {}
    return node, pointer


def _body_schema(facts: SpecFacts, path: str, method: str) -> tuple[dict[str, Any], list[str]] | None:
    data = facts.doc.data
    body, ptr = _follow(data, data["paths"][path][method].get("requestBody") or {},
                        ["paths", path, method, "requestBody"])  # fmt: skip
    for media, entry in (body.get("content") or {}).items():
        schema, sptr = _follow(data, (entry or {}).get("schema") or {}, [*ptr, "content", media, "schema"])
        return (schema, sptr) if isinstance(schema, dict) else None
    return None


def _validator(facts: SpecFacts, pointer: list[str]) -> Any:
    v31 = openapi_version(facts.doc) == "3.1"
    registry: Registry[Any] = Registry().with_resource(
        BASE, Resource.from_contents(facts.doc.data, default_specification=DRAFT202012 if v31 else DRAFT4)
    )
    escaped = "/".join(p.replace("~", "~0").replace("/", "~1") for p in pointer)
    kind: Any = OAS31Validator if v31 else OAS30Validator
    return kind({"$ref": f"{BASE}#/{escaped}"}, registry=registry)


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    found = set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()
    for key in ("anyOf", "oneOf"):
        for sub in schema.get(key) or []:
            if isinstance(sub, dict):
                found |= _types(sub)
    if schema.get("nullable") is True:
        found.add("null")
    return found


def _candidates(schema: dict[str, Any], current: Any) -> Iterator[tuple[str, list[Any]]]:
    types = _types(schema)
    base = current if isinstance(current, str) else ""
    if "string" in types:
        hi = schema.get("maxLength")
        lo = int(schema.get("minLength") or 0)
        limit = hi if isinstance(hi, int) else None

        def fit(text: str) -> str:
            return text[:limit]

        yield (
            "non-ASCII text",
            [fit(t * max(1, -(-lo // len(t)))) for t in NON_ASCII] + [fit(base + t) for t in NON_ASCII],
        )
        for n, why in ((lo, "shortest valid string"), (hi, "longest valid string")):
            if isinstance(n, int) and (n > 0 or why.startswith("shortest")):
                yield f"{why} ({n} characters)", [(base + f * n)[:n] for f in FILLS] + [(f * n)[:n] for f in FILLS]
    if "null" in types:
        yield "null", [None]


def plans(facts: SpecFacts, options: ContractOptions, case: schemathesis.Case[Any]) -> Iterator[Plan]:
    """Every edge case of one operation, derived from a case the server accepted."""
    op = facts.operations.get(case.operation.label)
    if op is None or not isinstance(case.body, dict):
        return
    found = _body_schema(facts, op.path, op.method.lower())
    if found is None:
        return
    schema, pointer = found
    validator = _validator(facts, pointer)
    props = schema.get("properties") or {}
    for name in sorted(props):
        prop, _ = _follow(facts.doc.data, props[name], [])
        if not isinstance(prop, dict):
            continue
        for why, values in _candidates(prop, case.body.get(name)):
            for value in values:
                body = {**case.body, name: value}
                if validator.is_valid(body):
                    changed = case.operation.Case(
                        path_parameters=dict(case.path_parameters or {}),
                        query=dict(case.query or {}),
                        headers=dict(case.headers or {}),
                        body=body,
                        media_type=case.media_type,
                    )
                    yield Plan("edge_cases", f"{name} as {why}", changed, dict(options.headers), SUCCESS)
                    break


def run_edges(
    options: ContractOptions, facts: SpecFacts, accepted: dict[str, schemathesis.Case[Any]], results: Results
) -> None:
    """Send every edge case of every operation that has an accepted case."""
    with requests.Session() as session:
        for label in sorted(accepted):
            for plan in plans(facts, options, accepted[label]):
                send(session, options, facts, plan, results, "edges", EDGE_CHECKS)
