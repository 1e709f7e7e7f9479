"""`[tool.specfirst.apis.NAME]` through the CLI: package, outputs, docs languages, class names, base URL, errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import import_generated, run_specfirst

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: 1.2.0}
servers: [{url: "https://pets.example.test/v1"}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: a pet
          content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties: {id: {type: integer}, name: {type: string}}
"""


def project(tmp_path: Path, settings: str) -> Path:
    (tmp_path / "api").mkdir(parents=True)
    (tmp_path / "api" / "pets-v1.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(settings), encoding="utf-8")
    return tmp_path


def test_an_api_table_names_the_package_outputs_languages_classes_and_base_url(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """\
        [project]
        name = "demo"

        [tool.specfirst]
        spec_dir = "api"
        out_dir = "out"

        [tool.specfirst.lint]
        anything = "the lint command checks its own table"

        [tool.specfirst.apis.pets]
        spec = "api/pets-v1.yaml"
        package = "petstore_client"
        outputs = ["models", "clients", "docs"]
        docs_languages = ["en", "zh"]
        client_class = "Pets"
        async_client_class = "AsyncPets"
        base_url = "https://staging.example.test"
        """,
    )
    done = run_specfirst("generate", cwd=root)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (root / "out").iterdir()) == ["docs", "petstore_client"]
    assert sorted(p.name for p in (root / "out" / "docs").iterdir() if not p.name.startswith(".")) == [
        "index.html",
        "petstore_client.html",  # the first language is the default page's; the others are named by language
        "petstore_client.md",
        "petstore_client.zh.html",
        "petstore_client.zh.md",
    ]
    (package,) = import_generated(root / "out", "petstore_client")
    assert package.__all__ == ["ApiError", "AsyncPets", "Pets", "RawResponse", "RetryPolicy", "errors", "models"]
    assert not hasattr(package, "Client")
    assert package.Pets().base_url == "https://staging.example.test"
    assert run_specfirst("check", cwd=root).returncode == 0
    # CLI flags override the file
    done = run_specfirst("generate", "--package", "other", "--outputs", "models", "--out", "flags", cwd=root)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (root / "flags" / "other").iterdir() if not p.name.startswith(".")) == [
        "__init__.py",
        "models.py",
        "py.typed",
    ]


def test_an_unknown_key_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        """\
        [tool.specfirst]
        spec_dir = "api"

        [tool.specfirst.apis.x]
        spec = "api/pets-v1.yaml"
          foo = 1
        """,
    )
    done = run_specfirst("generate", cwd=root)
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["pyproject.toml:6:3: [tool.specfirst.apis.x] unknown key 'foo'"]
    (root / "pyproject.toml").write_text('[tool.specfirst]\nspec_dir = "api"\ncolour = 1\n', encoding="utf-8")
    done = run_specfirst("validate", cwd=root)
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["pyproject.toml:3:1: [tool.specfirst] unknown key 'colour'"]


def test_a_bad_value_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, '[tool.specfirst.apis.x]\nspec = "api/pets-v1.yaml"\noutputs = ["models", "tests"]\n')
    done = run_specfirst("generate", cwd=root)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("pyproject.toml:3:1: [tool.specfirst.apis.x] outputs[1]: Input should be 'models'")


def test_docs_samples_import_the_configured_client_classes(tmp_path: Path) -> None:
    settings = """\
        [tool.specfirst]
        spec_dir = "api"
        out_dir = "out"

        [tool.specfirst.apis.pets]
        spec = "api/pets-v1.yaml"
        package = "petstore_client"
        client_class = "Pets"
        async_client_class = "AsyncPets"
        """
    root = project(tmp_path, settings)
    page = root / "out" / "docs" / "petstore_client.html"
    done = run_specfirst("docs", cwd=root)  # the docs alone: their clients are built for the samples
    assert done.returncode == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    assert "from petstore_client import Pets\n" in text and "from petstore_client import AsyncPets\n" in text
    assert "Pets(" in text and "AsyncPets(" in text
    assert "Client" not in text.replace("httpx.", "")
    done = run_specfirst("generate", cwd=root)  # the packages are made: the docs stay as they are
    assert done.returncode == 0, done.stderr
    assert page.read_text(encoding="utf-8") == text
    (root / "pyproject.toml").write_text(textwrap.dedent(settings).replace('"Pets"', '"Shop"'), encoding="utf-8")
    done = run_specfirst("check", cwd=root)
    assert done.returncode == 1
    assert "out/docs: stale: the client class names of petstore_client changed" in done.stdout + done.stderr
    done = run_specfirst("generate", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "from petstore_client import Shop\n" in page.read_text(encoding="utf-8")
    assert run_specfirst("check", cwd=root).returncode == 0


BAD_VALUES = [  # (the settings, the one line of stderr that says what is wrong where)
    (
        "[tool.specfirst]\nspec_dir = 3\n",
        "pyproject.toml:2:1: [tool.specfirst] spec_dir: Input should be a valid string",
    ),
    (
        '[tool.specfirst]\ndistribution = "maybe"\n',
        "pyproject.toml:2:1: [tool.specfirst] distribution: Input should be a valid boolean",
    ),
    (
        '[tool.specfirst]\ndiff = "loud"\n',
        "pyproject.toml:2:1: [tool.specfirst] diff: Input should be a valid dictionary",
    ),
    (
        '[tool.specfirst.apis.x]\nspec = "api/pets-v1.yaml"\npackage = "pets-client"\n',
        "pyproject.toml:3:1: [tool.specfirst.apis.x] package: String should match pattern '^[A-Za-z_][A-Za-z0-9_]*$'",
    ),
    (
        '[tool.specfirst.apis.x]\nspec = "api/pets-v1.yaml"\ndocs_languages = []\n',
        "pyproject.toml:3:1: [tool.specfirst.apis.x] docs_languages: Tuple should have at least 1 item after"
        " validation, not 0",
    ),
    (
        '[tool.specfirst.apis.x]\nspec = "api/pets-v1.yaml"\noutputs = ["clients"]\n',
        "pyproject.toml:3:1: [tool.specfirst.apis.x] outputs: Value error, 'clients' needs 'models' too",
    ),
    (
        '[tool.specfirst.apis.x]\nspec = "api/pets-v1.yaml"\nchangelog_base = ""\n',
        "pyproject.toml:3:1: [tool.specfirst.apis.x] changelog_base: String should have at least 1 character",
    ),
    (
        "[tool.specfirst]\napis = { x = 1 }\n",
        "pyproject.toml:1:1: [tool.specfirst.apis] x: Input should be a valid dictionary",
    ),
]


def test_each_kind_of_bad_value_is_one_line_at_its_key(tmp_path: Path) -> None:
    for number, (settings, said) in enumerate(BAD_VALUES):
        root = project(tmp_path / str(number), settings)
        done = run_specfirst("generate", cwd=root)
        assert (done.returncode, done.stderr.splitlines()) == (2, [said])
    root = project(tmp_path / "flags", '[tool.specfirst]\nspec_dir = "api"\ndistribution = "yes"\n')
    done = run_specfirst("generate", "--outputs", "clients", cwd=root)
    assert (done.returncode, done.stderr.strip()) == (
        2,
        "specfirst: --outputs: Value error, 'clients' needs 'models' too",
    )
    done = run_specfirst("generate", "--outputs", "models", "--client-class", "Pets", cwd=root)
    assert done.returncode == 0, done.stderr
    assert (root / "generated" / "pets_v1" / "pyproject.toml").is_file()  # distribution = "yes" reads as true
