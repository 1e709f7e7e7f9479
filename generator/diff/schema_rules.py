"""Rows of the rules table for schema changes: requests break when narrowed, responses when widened."""

from __future__ import annotations

from .ruletypes import B, N, Rule, W, on

_TIGHTER = (
    "max-length-decreased",
    "min-length-increased",
    "max-decreased",
    "min-increased",
    "max-items-decreased",
    "min-items-increased",
)
_LOOSER = (
    "max-length-increased",
    "min-length-decreased",
    "max-increased",
    "min-decreased",
    "max-items-increased",
    "min-items-decreased",
)
_BOUND_TEXT = {
    "max-length": "maxLength",
    "min-length": "minLength",
    "max": "maximum",
    "min": "minimum",
    "max-items": "maxItems",
    "min-items": "minItems",
}


def bound_rows(prefix: str, area: str, root: bool | None, tight: str, loose: str) -> list[Rule]:
    rows = []
    for kind in (*_TIGHTER, *_LOOSER):
        stem, _, verb = kind.rpartition("-")
        level = tight if kind in _TIGHTER else loose
        text = f"{{subject}}: {_BOUND_TEXT[stem]} {verb} from {{old}} to {{new}}"
        rows.append(Rule(f"{prefix}-{kind}", level, text, on(area, kind, root=root)))
    return rows


def request_schema_rows(prefix: str, area: str, root: bool | None) -> list[Rule]:
    """What a change of a schema the client sends means: narrowing breaks clients, widening does not."""
    return [
        Rule(
            f"{prefix}-type-changed",
            B,
            "{subject}: type changed from {old} to {new}",
            on(area, "type-narrowed", "type-changed", "format-changed", root=root),
        ),
        Rule(
            f"{prefix}-type-generalized",
            N,
            "{subject}: type widened from {old} to {new}",
            on(area, "type-widened", root=root),
        ),
        Rule(
            f"{prefix}-became-not-nullable",
            B,
            "{subject} became not nullable",
            on(area, "became-not-nullable", root=root),
        ),
        Rule(f"{prefix}-became-nullable", N, "{subject} became nullable", on(area, "became-nullable", root=root)),
        Rule(
            f"{prefix}-enum-value-removed",
            B,
            "{subject}: enum value {old} removed",
            on(area, "enum-value-removed", root=root),
        ),
        Rule(
            f"{prefix}-enum-value-added",
            N,
            "{subject}: enum value {new} added",
            on(area, "enum-value-added", root=root),
        ),
        Rule(
            f"{prefix}-became-enum",
            B,
            "{subject} was restricted to the enum values {new}",
            on(area, "became-enum", root=root),
        ),
        Rule(
            f"{prefix}-enum-removed",
            N,
            "{subject} is no longer restricted to an enum",
            on(area, "enum-removed", root=root),
        ),
        *bound_rows(prefix, area, root, B, N),
        Rule(f"{prefix}-pattern-added", B, "{subject}: pattern {new} added", on(area, "pattern-added", root=root)),
        Rule(
            f"{prefix}-pattern-changed",
            W,
            "{subject}: pattern changed from {old} to {new}",
            on(area, "pattern-changed", root=root),
        ),
        Rule(
            f"{prefix}-pattern-removed", N, "{subject}: pattern {old} removed", on(area, "pattern-removed", root=root)
        ),
        Rule(
            f"{prefix}-alternative-removed",
            B,
            "{subject}: alternative {old} removed",
            on(area, "branch-removed", root=root),
        ),
        Rule(
            f"{prefix}-alternative-added", N, "{subject}: alternative {new} added", on(area, "branch-added", root=root)
        ),
        Rule(
            f"{prefix}-additional-properties-closed",
            B,
            "{subject} no longer accepts undeclared properties",
            on(area, "additional-properties-closed", root=root),
        ),
    ]


def response_schema_rows(prefix: str, root: bool | None) -> list[Rule]:
    """What a change of a schema the server sends means: widening breaks clients (strict ones, for a warning)."""
    a = "response"
    return [
        Rule(
            f"{prefix}-type-changed",
            B,
            "{subject}: type changed from {old} to {new}",
            on(a, "type-widened", "type-changed", "format-changed", root=root),
        ),
        Rule(
            f"{prefix}-type-specialized",
            N,
            "{subject}: type narrowed from {old} to {new}",
            on(a, "type-narrowed", root=root),
        ),
        Rule(f"{prefix}-became-nullable", B, "{subject} became nullable", on(a, "became-nullable", root=root)),
        Rule(
            f"{prefix}-became-not-nullable", N, "{subject} became not nullable", on(a, "became-not-nullable", root=root)
        ),
        Rule(
            f"{prefix}-enum-value-added",
            W,
            "{subject}: enum value {new} added (strict clients reject it)",
            on(a, "enum-value-added", root=root),
        ),
        Rule(
            f"{prefix}-enum-value-removed",
            N,
            "{subject}: enum value {old} removed",
            on(a, "enum-value-removed", root=root),
        ),
        Rule(
            f"{prefix}-became-enum",
            N,
            "{subject} was restricted to the enum values {new}",
            on(a, "became-enum", root=root),
        ),
        Rule(
            f"{prefix}-enum-removed",
            W,
            "{subject} is no longer restricted to an enum",
            on(a, "enum-removed", root=root),
        ),
        *bound_rows(prefix, a, root, N, W),
        Rule(
            f"{prefix}-pattern-changed",
            N,
            "{subject}: pattern changed from {old} to {new}",
            on(a, "pattern-added", "pattern-changed", "pattern-removed", root=root),
        ),
        Rule(
            f"{prefix}-alternative-added",
            W,
            "{subject}: alternative {new} added (clients may not parse it)",
            on(a, "branch-added", root=root),
        ),
        Rule(
            f"{prefix}-alternative-removed",
            N,
            "{subject}: alternative {old} removed",
            on(a, "branch-removed", root=root),
        ),
        Rule(
            f"{prefix}-additional-properties-closed",
            N,
            "{subject} no longer has undeclared properties",
            on(a, "additional-properties-closed", root=root),
        ),
    ]
