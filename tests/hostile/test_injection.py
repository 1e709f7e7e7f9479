"""Spec strings reach generated code as data only: odd-but-valid specs work, random strings round-trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specfirst.errors import GenerationError
from specfirst.pipeline import generate
from specfirst.progress import Progress
from specfirst.verify import check_source, fragments
from tests.conftest import ROOT, import_generated, run_specfirst

VALID = ROOT / "tests" / "specs-hostile" / "valid"

ODD_CHECK = Path(__file__).with_name("odd_check.py")


def test_odd_but_valid_spec_generates_code_that_imports_and_works(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_specfirst("generate", str(VALID / "odd-names.yaml"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    check = subprocess.run(
        [sys.executable, str(ODD_CHECK)],
        cwd=out,
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (check.returncode, check.stdout, check.stderr) == (0, "ok\n", "")


def test_dot_segments_in_a_path_value_cannot_climb(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_specfirst("generate", str(VALID / "odd-names.yaml"), "--out", str(out)).returncode == 0
    script = textwrap.dedent("""
        import httpx
        from odd_names.client import Client
        seen = []
        def handler(request):
            seen.append(request.url.raw_path)
            return httpx.Response(200, json={})
        with Client("https://api.test/v1", transport=httpx.MockTransport(handler)) as client:
            for value in ["..", ".", "%2e%2e", "a/../../b"]:
                client.self_(value)
        print(seen)
    """)
    check = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    paths = eval(check.stdout)
    assert all(p.startswith(b"/v1/items/") and p.count(b"/") == 3 for p in paths), paths


def test_external_file_refs_are_bundled_and_recursive_schemas_generate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_specfirst("generate", str(VALID / "external" / "openapi.yaml"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    script = (
        "from openapi import models\n"
        "pet = models.Pet.model_validate(\n"
        "    {'name': 'a', 'children': [{'name': 'b'}], 'owner': {'pets': [{'name': 'c'}]}}\n"
        ")\n"
        "print(pet.owner.pets[0].name, models.Error.model_fields.keys() == {'message'})\n"
    )
    check = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, check=False)
    assert (check.returncode, check.stdout) == (0, "c True\n"), check.stderr


def test_verify_refuses_spec_text_outside_literals() -> None:
    hostile = 'x"); import os; os.system("id") #'
    pieces = fragments({hostile})
    check_source("pkg/ok.py", f"X = {hostile!r}\n# {hostile[:3]}\n", pieces)
    with pytest.raises(GenerationError, match="appears outside a string literal"):
        check_source("pkg/bad.py", 'X = print("x"); import os; os.system("id") #")\n', pieces)
    with pytest.raises(GenerationError, match="does not parse"):
        check_source("pkg/bad.py", 'X = "x"")\n', pieces)
    with pytest.raises(GenerationError, match="U\\+202E"):
        check_source("pkg/bidi.py", 'X = "a\u202eb"\n', pieces)


# -- property-based: any string, in every spec position that reaches generated code -------------------

_counter = count()

NASTY = [
    '"""',
    "'''",
    "\\",
    '\\"""',
    "\r",
    "\x85",
    "\u2028",
    "\x00",
    "\x1b[2J",
    "\u202e",
    '"); import os #',
    "none",
    "True",
]


def hostile_spec(s: str) -> dict[str, object]:
    """A spec with `s` in every position that reaches generated code."""
    return {
        "openapi": "3.1.0",
        "info": {"title": s, "version": s, "description": s},
        "servers": [{"url": "https://h.test/" + s}],
        "tags": [{"name": s, "description": s}],
        "paths": {
            "/p/{id}": {
                "get": {
                    "operationId": s,
                    "summary": s,
                    "description": s,
                    "tags": [s],
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}, "description": s},
                        {"name": s, "in": "query", "schema": {"type": "string"}, "description": s},
                        {"name": s + "-h", "in": "header", "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            "description": s,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/M"}}},
                        },
                        "404": {"description": s},
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": s + "-key", "description": s}},
            "schemas": {
                "M": {
                    "type": "object",
                    "title": s,
                    "description": s,
                    "properties": {
                        s: {"type": "string", "description": s, "title": s},
                        "d": {"type": "string", "default": s, "examples": [s], "description": s},
                        "e": {"$ref": "#/components/schemas/E"},
                    },
                },
                "E": {"type": "string", "enum": [s], "description": s},
            },
        },
    }


def _words(text: str) -> list[str]:
    return text.split()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=st.text(max_size=40).filter(lambda x: x not in {"d", "e"}) | st.sampled_from(NASTY))
def test_any_string_round_trips_as_data(s: str, tmp_path: Path) -> None:
    package = f"hyp_{next(_counter)}"
    folder = tmp_path / package
    folder.mkdir()
    spec = folder / f"{package}.json"
    spec.write_text(json.dumps(hostile_spec(s)), encoding="utf-8")
    out = folder / "out"
    generate([spec], out, Progress())
    models, client, _ = import_generated(out, f"{package}.models", f"{package}.client", package)
    fields = {n if f.alias is None else f.alias: f for n, f in models.M.model_fields.items()}
    wire = s  # names Python would normalize (NFKC: 'µ' -> 'μ') keep their wire name as an alias too
    assert fields[wire].description == s
    assert fields[wire].title == s
    assert fields["d"].default == s
    assert fields["d"].examples == [s]
    assert [e.value for e in models.E] == [s]
    assert client.DEFAULT_BASE_URL == "https://h.test/" + s
    ops = [v for k, v in vars(client).items() if k.startswith("OP_")]
    assert [(op.method, op.path) for op in ops] == [("GET", "/p/{id}")]
    method = next(v for k, v in vars(client.Client).items() if k.endswith("_raw"))
    assert _words(s) == [] or " ".join(_words(s)) in " ".join(_words(method.__doc__))
    dumped = models.M.model_validate({wire: "v", "e": s}).model_dump(by_alias=True, exclude_unset=True)
    assert dumped == {wire: "v", "e": s}


def test_parameters_never_shadow_names_the_generated_code_uses(tmp_path: Path) -> None:
    """Parameters and credentials named cast, request, models, isinstance… get safe names; the wire names stay."""
    out = tmp_path / "out"
    done = run_specfirst("generate", str(VALID / "shadowing.yaml"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    script = textwrap.dedent("""
        import httpx
        from shadowing.client import Client
        seen = []
        def handler(request):
            seen.append(request)
            return httpx.Response(200, json={"a": "b"})
        c = Client("http://t", isinstance_2="k1", secret_str="k2", transport=httpx.MockTransport(handler))
        result = c.send("c", str="s", request_2="r", response_2="p", models_2="m", errors_2="e", httpx_2="h",
                        runtime_2="u", any="y")
        r = seen[0]
        print(result.a, r.url, r.headers["x-a"], r.headers["x-b"])
    """)
    check = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    assert check.stdout == (
        "b http://t/x/c?str=s&request=r&response=p&models=m&errors=e&httpx=h&runtime=u&Any=y k1 k2\n"
    )
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "shadowing"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \"\\\n\r\t\x00\x0b\x85\u2028\u2029\u202e#'é中"), max_size=40))
def test_a_docstring_literal_reads_back_as_its_text(text: str) -> None:
    import ast

    from specfirst.render import py_docstring

    literal = py_docstring(text)
    assert ast.literal_eval(literal) == text
    assert all(line.isprintable() for line in literal.split("\n"))
    if set(text) <= set("ab \n#'é中"):  # ordinary prose is shown as it is
        assert literal == '"""' + text + '"""'
