"""Snapshot and restore: when the spec documents a GET for the resource an update changes, read it before the run
and send the original back after it, then read it again to say whether the restore worked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from ..contract.checks import _resolve
from ..contract.fixtures import path_values
from ..contract.options import ContractOptions
from ..contract.results import Results
from ..contract.target import Operation, SpecFacts

RESTORABLE = frozenset({"PUT", "PATCH"})
MASKED = "***"


@dataclass
class Snapshot:
    """The resource an update operation changes, as its documented GET returned it before the run."""

    update: Operation
    url: str
    body: dict[str, Any]
    fields: list[str]  # what the update can set back
    skipped: list[str]  # what it cannot (masked in the GET)


def _request_properties(facts: SpecFacts, op: Operation) -> tuple[dict[str, Any], str]:
    raw = facts.doc.data["paths"][op.path][op.method.lower()]
    body = _resolve(facts.doc.data, raw.get("requestBody") or {})
    for media, entry in (body.get("content") or {}).items():
        schema = _resolve(facts.doc.data, (entry or {}).get("schema") or {})
        props = schema.get("properties") or {}
        return {k: _resolve(facts.doc.data, v) for k, v in props.items()}, str(media)
    return {}, ""


def _url(options: ContractOptions, op: Operation, values: dict[str, str]) -> str | None:
    path = op.path
    for name in op.path_params:
        if name not in values:
            return None
        path = path.replace("{" + name + "}", quote(str(values[name]), safe=""))
    return options.base_url + path


def take(options: ContractOptions, facts: SpecFacts, results: Results) -> list[Snapshot]:
    """GET every resource an update will change, when the spec documents that GET."""
    taken: list[Snapshot] = []
    for label, op in sorted(facts.operations.items()):
        if op.method not in RESTORABLE or options.readonly:
            continue
        if f"GET {op.path}" not in facts.operations:
            results.notes.append(f"{label}: the spec documents no GET for this resource, so it is not restored")
            continue
        url = _url(options, op, path_values(options, op))
        if url is None:
            results.notes.append(f"{label}: no fixture id for every path parameter (--path-param), not restored")
            continue
        try:
            response = requests.get(url, headers=options.headers, timeout=options.request_timeout)
        except requests.RequestException as exc:
            results.notes.append(f"{label}: snapshot GET failed ({type(exc).__name__}), not restored")
            continue
        results.count("safety")
        body = _json(response)
        if response.status_code != 200 or not isinstance(body, dict):
            results.notes.append(f"{label}: snapshot GET answered {response.status_code}, not restored")
            continue
        props, _ = _request_properties(facts, op)
        fields: list[str] = []
        skipped: list[str] = []
        for name, schema in props.items():
            if name not in body or schema.get("readOnly") is True:
                continue
            value = body[name]
            (skipped if isinstance(value, str) and MASKED in value else fields).append(name)
        taken.append(Snapshot(op, url, body, sorted(fields), sorted(skipped)))
    return taken


def restore(options: ContractOptions, facts: SpecFacts, snapshots: list[Snapshot], results: Results) -> list[str]:
    """PUT (or PATCH) every snapshot back and read it again; one line per resource saying how it went."""
    lines: list[str] = []
    for snap in snapshots:
        label = snap.update.label
        _, media = _request_properties(facts, snap.update)
        body = {k: snap.body[k] for k in snap.fields}
        headers = {**options.headers, "Content-Type": media or "application/json"}
        try:
            put = requests.request(snap.update.method, snap.url, json=body, headers=headers,
                                   timeout=options.request_timeout)  # fmt: skip
            results.count("safety")
            after = requests.get(snap.url, headers=options.headers, timeout=options.request_timeout)
            results.count("safety")
        except requests.RequestException as exc:
            lines.append(f"restore FAILED: {label}: {type(exc).__name__}; the resource keeps the run's last values")
            continue
        now = _json(after)
        differ = [k for k in snap.fields if not isinstance(now, dict) or now.get(k) != snap.body[k]]
        extra = f"; not restorable (masked by the GET): {', '.join(snap.skipped)}" if snap.skipped else ""
        if not 200 <= put.status_code < 300:
            lines.append(f"restore FAILED: {label} answered {put.status_code} to the original values{extra}")
        elif differ:
            lines.append(f"restore FAILED: {label}: after the restore these fields differ: {', '.join(differ)}{extra}")
        else:
            lines.append(f"restore: {label}: the {len(snap.fields)} field(s) read before the run are back{extra}")
    return lines


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
