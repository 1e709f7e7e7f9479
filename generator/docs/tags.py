"""Operations grouped by tag for the docs: `x-tagGroups` first, then the spec's tag order, untagged as "default"."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..docs import model as m

DEFAULT = "default"
SPLIT_AT = 100  # operations: a bigger API gets one page per tag; its untagged operations are cut by path


def anchor(op_id: str, method: str, path: str) -> str:
    """The stable HTML id of an operation: its operationId when it can be one, else a slug of method and path."""
    if op_id and not re.search(r"\s", op_id):
        return op_id
    return "op-" + re.sub(r"[^\w-]+", "-", f"{method} {path}".lower()).strip("-")


def tag_anchor(name: str) -> str:
    """The HTML id of a tag's section (also the stem of its page when an API is split by tag)."""
    text = re.sub(r"[^\w-]+", "-", name.strip().lower()).strip("-")
    return "tag-" + (text or "x")


def first_tag(op: dict[str, Any]) -> str:
    tags = op.get("tags")
    found = [t for t in tags if isinstance(t, str) and t.strip()] if isinstance(tags, list) else []
    return found[0] if found else DEFAULT


def group(data: dict[str, Any], operations: list[m.Operation]) -> tuple[m.Group, ...]:
    """Tags in `x-tagGroups` order (then the `tags` list's, then first use), each with its operations."""
    described: dict[str, str] = {}
    for tag in data.get("tags") or []:
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            text = tag.get("description")
            described[tag["name"]] = text if isinstance(text, str) else ""
    used: dict[str, list[m.Operation]] = {}
    for op in operations:
        used.setdefault(op.tag, []).append(op)
    untagged = used.pop(DEFAULT, [])
    by_path: dict[str, list[m.Operation]] = {}
    if len(untagged) > SPLIT_AT:  # a big API without tags (Stripe): its untagged operations by leading path
        for op in untagged:
            by_path.setdefault(path_section(op.path), []).append(op)
    elif untagged:
        used[DEFAULT] = untagged
    order = [name for name in described if name in used] + [name for name in used if name not in described]
    sections = [name for name in by_path if name not in used]
    for name, ops in by_path.items():
        used[name] = used.get(name, []) + ops
    anchors: set[str] = set()

    def make(name: str) -> m.Tag:
        base = slug = tag_anchor(name)
        n = 1
        while slug in anchors:
            n += 1
            slug = f"{base}-{n}"
        anchors.add(slug)
        return m.Tag(name, slug, described.get(name, ""), tuple(used[name]))

    groups: list[m.Group] = []
    placed: set[str] = set()
    for raw in data.get("x-tagGroups") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("tags"), list):
            continue
        names = [t for t in raw["tags"] if isinstance(t, str) and t in used and t not in placed]
        placed.update(names)
        if names:
            groups.append(m.Group(str(raw.get("name", "")), tuple(make(t) for t in names)))
    rest = [name for name in order if name not in placed]
    if rest:
        groups.append(m.Group(DEFAULT if groups else "", tuple(make(t) for t in rest)))
    if sections:  # untagged operations of a big API: "default", one section per leading path
        groups.append(m.Group(DEFAULT, tuple(make(t) for t in sections)))
    return tuple(groups)


def path_section(path: str) -> str:
    """The leading part of a path that names what it serves: `/v1/accounts/{id}/x` -> `/v1/accounts`."""
    parts = [p for p in path.split("/") if p]
    kept: list[str] = []
    for part in parts:
        if part.startswith("{"):
            break
        kept.append(part)
        if not re.fullmatch(r"v\d+(\.\d+)*|api", part):
            break
    return "/" + "/".join(kept)


def ordered(groups: tuple[m.Group, ...]) -> tuple[m.Operation, ...]:
    """The operations in the order the page shows them."""
    return tuple(op for g in groups for t in g.tags for op in t.operations)


def with_samples(groups: tuple[m.Group, ...], samples: dict[str, m.Sample]) -> tuple[m.Group, ...]:
    """The groups with each operation's Python sample attached (by anchor)."""
    return tuple(
        replace(
            g,
            tags=tuple(
                replace(t, operations=tuple(replace(op, python=samples.get(op.anchor)) for op in t.operations))
                for t in g.tags
            ),
        )
        for g in groups
    )
