"""`[tool.specfirst.lint]` in pyproject.toml: rule severities, per-path ignores, the failing level.

Read here from the raw `[tool.specfirst]` table (its `lint` key), validated by a pydantic model; a mistake
is one line naming pyproject.toml:line:col and the key.

    [tool.specfirst.lint]
    fail_on = "warning"                          # or "error" (the default); --fail-on overrides it
    rules = { info-license = "off", operation-description = "error", openapi-tags = "on" }
    [[tool.specfirst.lint.ignore]]
    rules = ["request-string-max-length"]        # or ["*"]
    spec = "spec/legacy-*.yaml"                  # glob on the spec path (default "*")
    pointer = "/components/schemas/Legacy*"      # glob on the JSON pointer of the finding (default "*")
    reason = "frozen v1 payloads"
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..config import InvalidSetting, Settings
from ..errors import UsageError
from .model import SEVERITIES, Severity
from .rules import ALIASES, BY_ID, RULES

Level = Literal["off", "on", "info", "warning", "error"]


def _known(rule: str) -> str:
    """A rule id (a peer's alias becomes ours); ValueError for anything else."""
    rule = ALIASES.get(rule, rule)
    if rule != "*" and rule not in BY_ID:
        raise ValueError(f"unknown rule {rule!r}")
    return rule


RuleId = Annotated[str, AfterValidator(_known)]


class Ignore(BaseModel):
    """Silence some rules for some specs and pointers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[RuleId] = Field(min_length=1)
    spec: str = "*"
    pointer: str = "*"
    reason: str = ""


class LintSettings(BaseModel):
    """The `[tool.specfirst.lint]` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fail_on: Literal["error", "warning"] = "error"
    rules: dict[RuleId, Level] = Field(default_factory=dict)
    ignore: list[Ignore] = Field(default_factory=list)

    def severities(self) -> dict[str, Severity]:
        """Each active rule's severity, defaults overridden by `rules`."""
        out = {}
        for rule in RULES:
            level = self.rules.get(rule.id)
            if level == "off" or (level is None and not rule.enabled):
                continue
            if level in (None, "on"):
                out[rule.id] = rule.severity
            else:
                out[rule.id] = SEVERITIES[level]
        return out

    def ignored(self, rule: str, spec: str, pointer: str) -> bool:
        """True when an `ignore` entry covers this rule, spec path and JSON pointer."""
        return any(
            (rule in entry.rules or "*" in entry.rules)
            and fnmatch.fnmatchcase(spec, entry.spec)
            and fnmatch.fnmatchcase(pointer, entry.pointer)
            for entry in self.ignore
        )


@dataclass(frozen=True)
class Project:
    """The project's settings and the lint settings, read from one pyproject.toml."""

    settings: Settings
    lint: LintSettings


def load_project(start: Path | None = None) -> Project:
    """The nearest pyproject.toml with a `[tool.specfirst]` table (or defaults rooted at `start`)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if not pyproject.is_file():
            continue
        try:
            text = pyproject.read_text(encoding="utf-8")
            table = tomllib.loads(text).get("tool", {}).get("specfirst")
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"{pyproject}: cannot read settings: {exc}") from None
        if table is None:
            continue
        if not isinstance(table, dict):
            raise UsageError(f"{pyproject}: [tool.specfirst] is not a table")
        rest = {k: v for k, v in table.items() if k != "lint"}
        try:
            settings = Settings.parse(rest, folder)
        except InvalidSetting as exc:
            where = ".".join(str(p) for p in exc.loc)
            raise UsageError(f"{pyproject}: [tool.specfirst] {where}: {exc.message}") from None
        return Project(settings, _lint(pyproject, text, table.get("lint", {})))
    return Project(Settings(root=here), LintSettings())


def _lint(pyproject: Path, text: str, raw: Any) -> LintSettings:
    try:
        if not isinstance(raw, dict):
            raise UsageError(f"{pyproject}:1:1: [tool.specfirst.lint] is not a table")
        return LintSettings(**raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) for p in first["loc"] if p != "[key]"]
        line, col = _find(text, loc)
        message = str(first["msg"]).removeprefix("Value error, ")
        raise UsageError(f"{pyproject}:{line}:{col}: [tool.specfirst.lint] {'.'.join(loc)}: {message}") from None


def _find(text: str, loc: list[str]) -> tuple[int, int]:
    """Where in the TOML text the offending key (or its table) is: the first line after the lint table."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("[tool.specfirst.lint")), 0)
    for part in reversed([p for p in loc if not p.isdigit()]):
        for i in range(start, len(lines)):
            col = lines[i].find(part)
            if col >= 0:
                return i + 1, col + 1
    return start + 1, 1
