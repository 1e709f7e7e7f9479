"""Text-level merges into a user's own files (pyproject.toml, Makefile, .pre-commit-config.yaml), never clobbering."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from typing import Any

import yaml

TARGETS = ("generate", "check", "lint-spec", "docs", "contract")


def merge_pyproject(text: str, section: str) -> tuple[str | None, str]:
    """(the merged text, or None when it is left alone; why) for a `[tool.specfirst]` section appended to `text`."""
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, f"not valid TOML ({exc}); add the [tool.specfirst] table yourself"
    if "specfirst" in (before.get("tool") or {}):
        return None, "already has [tool.specfirst]"
    merged = text + ("" if text.endswith("\n") or not text else "\n") + section
    try:
        after = tomllib.loads(merged)
    except tomllib.TOMLDecodeError:
        return None, "its [tool] table cannot take a [tool.specfirst] section appended; add it yourself"
    if {k: v for k, v in after.items() if k != "tool"} != {k: v for k, v in before.items() if k != "tool"}:
        return None, "appending would change its other tables; add [tool.specfirst] yourself"
    return merged, "[tool.specfirst] appended"


def makefile_targets(text: str) -> set[str]:
    """The targets a Makefile defines (rule lines `name: ...`, not variable assignments)."""
    found: set[str] = set()
    for line in text.splitlines():
        rule = re.match(r"^([^\s:#=][^:=#]*?)\s*::?(?!=)", line)
        if rule and not line.startswith("\t"):
            found.update(rule.group(1).split())
    return found


def merge_makefile(text: str) -> tuple[str | None, str]:
    """(the Makefile with `include specfirst.mk` appended, or None when that is not safe; why)."""
    if re.search(r"^\s*-?include\s+.*\bspecfirst\.mk\b", text, re.MULTILINE):
        return None, "already includes specfirst.mk"
    clashes = sorted(makefile_targets(text) & set(TARGETS))
    if clashes:
        return None, (
            f"it defines {', '.join(clashes)} itself; specfirst.mk not included: "
            "rename yours, or copy what you need from specfirst.mk"
        )
    merged = text + ("" if text.endswith("\n") or not text else "\n") + "\ninclude specfirst.mk\n"
    return merged, "`include specfirst.mk` appended"


def merge_precommit(text: str, entry: Callable[[str], str]) -> tuple[str | None, str]:
    """(the config with the specfirst hook appended to `repos`, or None when that is not safe; why).

    `entry(indent)` is the hook's repo item, indented as the file's own items are.
    """
    try:
        before: Any = yaml.safe_load(text)
    except yaml.YAMLError:
        return None, "not valid YAML; add the specfirst-check hook yourself"
    if not isinstance(before, dict) or not isinstance(before.get("repos"), list):
        return None, "has no top-level `repos:` list; add the specfirst-check hook yourself"
    if "specfirst" in text:
        return None, "already mentions specfirst"
    items = re.search(r"^( *)- +repo:", text, re.MULTILINE)
    indent = items.group(1) if items else ""
    merged = text + ("" if text.endswith("\n") else "\n") + entry(indent)
    try:
        after: Any = yaml.safe_load(merged)
    except yaml.YAMLError:
        return None, "`repos:` is not its last key; add the specfirst-check hook yourself"
    repos = after.get("repos") if isinstance(after, dict) else None
    if (
        not isinstance(repos, list)
        or repos[:-1] != before["repos"]
        or {**after, "repos": None}
        != {
            **before,
            "repos": None,
        }
    ):
        return None, "`repos:` is not its last key; add the specfirst-check hook yourself"
    return merged, "specfirst-check hook appended to repos"
