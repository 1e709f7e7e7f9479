"""Security requirements compared: an operation that needs credentials it did not need, or refuses ones it took."""

from __future__ import annotations

from typing import Any

from ..load import Document
from .model import Event
from .schema import Ptr


def security_events(
    base: Document, head: Document, b_node: dict[str, Any], h_node: dict[str, Any], h_pointer: Ptr, label: str
) -> list[Event]:
    """What changed in the requirements an operation's callers must meet (its own, else the document's)."""
    breqs, hreqs = requirements(base, b_node), requirements(head, h_node)
    bopen, hopen = not breqs or {} in breqs, not hreqs or {} in hreqs
    where = (*h_pointer, "security") if "security" in h_node else ("security",)
    out: list[Event] = []

    def add(kind: str, subject: str, **more: Any) -> None:
        out.append(Event(kind, "security", label, subject, "head", where, **more))

    if bopen and not hopen:
        add("security-added", label, new=_names(hreqs))
        return out
    if hopen and not bopen:
        add("security-made-optional", label, old=_names(breqs))
        return out
    for req in breqs:
        if req in hreqs:
            continue
        same = next((r for r in hreqs if r.keys() == req.keys()), None)
        if same is None:
            add("security-removed", label, old=_names([req]))
            continue
        for scheme, scopes in same.items():
            added, removed = sorted(scopes - req[scheme]), sorted(req[scheme] - scopes)
            if added:
                add("security-scope-added", scheme, new=added)
            if removed:
                add("security-scope-removed", scheme, old=removed)
    for req in hreqs:
        if req not in breqs and not any(r.keys() == req.keys() for r in breqs):
            add("security-alternative-added", label, new=_names([req]))
    return out


def requirements(doc: Document, op: dict[str, Any]) -> list[dict[str, frozenset[str]]]:
    """The alternatives (scheme -> scopes) an operation accepts: its own `security`, else the document's."""
    raw = op["security"] if "security" in op else doc.data.get("security")
    reqs = []
    for req in raw if isinstance(raw, list) else []:
        if isinstance(req, dict):
            reqs.append(
                {str(k): frozenset(map(str, v)) if isinstance(v, list) else frozenset() for k, v in req.items()}
            )
    return reqs


def _names(reqs: list[dict[str, frozenset[str]]]) -> str:
    return " or ".join(" and ".join(sorted(r)) or "none" for r in reqs) or "none"
