"""Every real-world document in the corpus generates a package that imports, passes mypy --strict and parses
the document's own response examples through the generated client (httpx.MockTransport, no network)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter

from tests.conftest import ROOT, import_generated, mypy_strict, run_specfirst
from tests.corpus.examples import Example, load, required_arguments, success_examples

CORPUS = Path(os.environ.get("SPECFIRST_CORPUS", ROOT.parent / "shared" / "specs"))
SAMPLE = 10  # operations exercised per document
DOCS = sorted(p.name for p in CORPUS.glob("*") if p.suffix in {".yaml", ".yml", ".json"})


def test_the_whole_corpus_is_there() -> None:
    assert len(DOCS) >= 9, f"expected the nine corpus documents in {CORPUS}, found {DOCS}"


@pytest.fixture(scope="module", params=DOCS)
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    """(document name, output folder, package name), generated once per document through the CLI."""
    doc = request.param
    out = tmp_path_factory.mktemp("corpus")
    done = run_specfirst("generate", str(CORPUS / doc), "--out", str(out), timeout=900)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    (name,) = [p.name for p in out.iterdir() if (p / "client.py").is_file()]
    return doc, out, name


def test_package_imports(package: tuple[str, Path, str]) -> None:
    _, out, name = package
    done = subprocess.run(
        [sys.executable, "-c", f"import {name}, {name}.client; print({name}.Client)"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(out)},
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_mypy_strict(package: tuple[str, Path, str]) -> None:
    _, out, name = package
    done = mypy_strict(out, name)
    assert done.returncode == 0, done.stdout[-3000:]


def test_large_files_formatted_by_pieces_are_as_ruff_formats_them_whole(package: tuple[str, Path, str]) -> None:
    """A large generated file is formatted piece by piece (`format.pieces`, so that an edit formats one piece
    again): ruff, formatting it whole, changes nothing."""
    from specfirst.format import LARGE, RUFF_SETTINGS, _ruff, pieces

    doc, out, name = package
    large = sorted(p for p in (out / name).glob("*.py") if p.stat().st_size >= LARGE)
    if doc in {"stripe-spec3.yaml", "github-api.json", "discord-3.1.json"}:
        models = out / name / "models.py"
        assert models in large and pieces(models.read_text(encoding="utf-8")), doc  # cut into pieces
    if large:
        command = [_ruff(), "format", "--check", "--no-cache", "--isolated", *RUFF_SETTINGS, *map(str, large)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def _spread(items: list[Example], n: int) -> list[Example]:
    if len(items) <= n:
        return items
    return [items[i * len(items) // n] for i in range(n)]


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


def test_clients_parse_documented_examples(package: tuple[str, Path, str]) -> None:
    doc, out, name = package
    examples = _spread(list(success_examples(load(CORPUS / doc))), SAMPLE)
    (client_module,) = import_generated(out, f"{name}.client")
    operations = {
        (op.method, op.path): attr.removeprefix("OP_").lower()
        for attr, op in vars(client_module).items()
        if attr.startswith("OP_")
    }
    for example in examples:
        method = operations[(example.method, example.path)]
        pattern = _path_pattern(example.path)

        def answer(
            request: httpx.Request, example: Example = example, pattern: re.Pattern[str] = pattern
        ) -> httpx.Response:
            assert request.method == example.method
            assert pattern.search(request.url.path), (request.url.path, example.path)
            return httpx.Response(example.status, json=example.value, headers={"Content-Type": example.content_type})

        client = client_module.Client("https://api.example.test/base", transport=httpx.MockTransport(answer))
        call = getattr(client, f"{method}_raw")
        args, kwargs = required_arguments(call)
        raw = call(*args, **kwargs)
        op = getattr(client_module, f"OP_{method.upper()}")
        annotation, kind = op.success.get(str(example.status)) or op.success[str(example.status)[0] + "XX"]
        assert kind == "json"
        assert raw.status_code == example.status
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        dump = {"mode": "json", "by_alias": True, "exclude_unset": True, "warnings": False}
        assert adapter.dump_python(raw.parsed, **dump) == adapter.dump_python(
            adapter.validate_python(example.value), **dump
        )
        client.close()


def test_the_corpus_is_there() -> None:
    """The corpus sits beside the checkout (../shared/specs); a missing one must fail, not run zero tests."""
    assert CORPUS.is_dir(), f"corpus folder missing: {CORPUS}"
    assert len(DOCS) >= 9, DOCS
