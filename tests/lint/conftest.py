"""Shared for the lint tests: the seeded specs, their `# expect:` markers, and runs of `specfirst lint`."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from specfirst.lint.rules import RULES
from tests.conftest import run_specfirst

SPECS = Path(__file__).parent / "specs"
SEEDED = [SPECS / "violations.yaml", SPECS / "bare.yaml"]
_EXPECT = re.compile(r"^(?!\s*#).*#\s*expect:\s*(.+)$")  # a comment after YAML content
EVERY_RULE = "\n".join(
    [
        "[tool.specfirst]",
        "[tool.specfirst.lint]",
        "rules = {" + ", ".join(f'"{r.id}" = "on"' for r in RULES if not r.enabled) + "}",
        "",
    ]
)


def markers() -> set[tuple[str, int, str]]:
    """(file name, line, rule) for every `# expect: rule[, rule]` comment in the seeded specs."""
    out = set()
    for spec in SEEDED:
        for number, line in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1):
            found = _EXPECT.search(line)
            if found:
                out |= {(spec.name, number, rule.strip()) for rule in found.group(1).split(",")}
    return out


def project(folder: Path, toml: str) -> Path:
    """A project folder whose pyproject.toml holds `toml`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(toml, encoding="utf-8")
    return folder


def lint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`specfirst lint ARGS` run in `cwd`."""
    return run_specfirst("lint", *args, cwd=cwd, timeout=120)


@pytest.fixture(scope="session")
def every_rule(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project that turns on the rules that are off by default."""
    return project(tmp_path_factory.mktemp("every-rule"), EVERY_RULE)


@pytest.fixture(scope="session")
def seeded_json(every_rule: Path) -> dict[str, Any]:
    """`specfirst lint --format json` over the seeded specs, every rule on."""
    done = lint(*map(str, SEEDED), "--format", "json", cwd=every_rule)
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]
