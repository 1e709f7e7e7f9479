"""The docs' Changes section: `changelog_base` diffs each API's spec against a git ref, breaking changes marked."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_specfirst

SPEC = """\
openapi: 3.0.3
info: {title: Shop, version: "1.0"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: the pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
  /pets/{id}:
    delete:
      operationId: deletePet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "204": {description: deleted}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
"""

PYPROJECT = """\
[tool.specfirst.apis.shop]
outputs = ["docs"]
changelog_base = "{ref}"
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose spec/shop.yaml was tagged v1.0, then lost an operation and gained an optional property."""
    root = tmp_path_factory.mktemp("changelog")
    (root / "spec").mkdir()
    (root / "spec" / "shop.yaml").write_text(SPEC, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT.format(ref="v1.0"), encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "v1")
    _git(root, "tag", "v1.0")
    start = SPEC.index("  /pets/{id}:")
    changed = SPEC[:start] + SPEC[SPEC.index("components:") :]  # deletePet removed: breaking
    name = "        name: {type: string}\n"
    changed = changed.replace(name, name + "        tag: {type: string}\n")  # an optional property: info
    (root / "spec" / "shop.yaml").write_text(changed, encoding="utf-8")
    return root


def test_the_pages_list_the_changes_since_the_base(repo: Path) -> None:
    done = run_specfirst("generate", cwd=repo, timeout=120)
    assert done.returncode == 0, done.stderr
    docs = repo / "generated" / "docs"
    md = (docs / "shop.md").read_text(encoding="utf-8")
    changes = md[md.index("## Changes") :]
    assert "Since `v1.0`" in changes
    breaking = changes[changes.index("### breaking") : changes.index("### info")]
    assert "**breaking**" in breaking and "`DELETE /pets/{id}`" in breaking
    info = changes[changes.index("### info") :]
    assert "tag" in info and "`GET /pets`" in info and "DELETE" not in info
    html = (docs / "shop.html").read_text(encoding="utf-8")
    section = html[html.index('<section class="changes"') :]
    section = section[: section.index("</section>")]
    assert '<span class="badge breaking">breaking</span> <code>DELETE /pets/{id}</code>' in section
    assert '<li class="change info"><code>GET /pets</code>' in section
    inputs = json.loads((docs / ".manifest.json").read_text(encoding="utf-8"))["inputs"]
    blob = subprocess.run(
        ["git", "rev-parse", "v1.0:spec/shop.yaml"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert inputs["changelog:shop"] == f"v1.0@{blob}"

    again = run_specfirst("generate", cwd=repo, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "docs: up to date" in again.stdout
    assert (docs / "shop.md").read_text(encoding="utf-8") == md

    _git(repo, "commit", "-q", "-am", "v1.1")
    _git(repo, "tag", "-f", "v1.0")  # the base moves to a commit whose spec is the current one
    moved = run_specfirst("generate", cwd=repo, timeout=120)
    assert moved.returncode == 0, moved.stderr
    assert "docs: written" in moved.stdout
    now = (docs / "shop.md").read_text(encoding="utf-8")
    assert now[now.index("## Changes") :].splitlines()[-1] == "No changes"


def test_an_unknown_base_is_one_located_line(repo: Path, tmp_path: Path) -> None:
    project = tmp_path / "bad"
    subprocess.run(["git", "clone", "-q", str(repo), str(project)], check=True, capture_output=True)
    (project / "pyproject.toml").write_text(PYPROJECT.format(ref="nope"), encoding="utf-8")
    done = run_specfirst("generate", cwd=project, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "pyproject.toml:3:1: [tool.specfirst.apis.shop] changelog_base 'nope': unknown git revision"
    ]
    flag = run_specfirst("docs", "--changelog-base", "nope2", cwd=project, timeout=120)
    assert flag.returncode == 2
    assert flag.stderr.splitlines() == ["specfirst: --changelog-base 'nope2': unknown git revision"]
