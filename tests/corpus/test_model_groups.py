"""A large document's models are made in parallel groups and merged: one valid module, clashing names renamed,
references across groups made to the real classes, and the same bytes whatever the number of CPUs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bigspec import grouped_spec
from tests.conftest import ROOT, mypy_strict, run_on_terminal


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("groups")
    spec = root / "groups.json"
    spec.write_text(json.dumps(grouped_spec()), encoding="utf-8")
    assert spec.stat().st_size > 450_000  # past the size where models are made in groups
    code, _, progress = run_on_terminal("generate", str(spec), "--out", str(root / "out"))
    assert code == 0, progress
    (root / "progress.txt").write_text(progress, encoding="utf-8")
    return root


def test_models_are_made_in_groups_and_merged_into_one_module(generated: Path) -> None:
    # each family is a ring of references, split over several groups made side by side (stubs for the others)
    found = re.search(r"all: models in (\d+) group\(s\)…", (generated / "progress.txt").read_text(encoding="utf-8"))
    assert found is not None and int(found.group(1)) >= 4
    models = (generated / "out" / "groups" / "models.py").read_text(encoding="utf-8")
    classes = re.findall(r"^class (\w+)\b", models, re.MULTILINE)
    assert len(classes) == len(set(classes))  # no stub's class is left beside the real one
    assert {f"Order{i}" for i in range(80)} | {f"Shipment{i}" for i in range(80)} <= set(classes)
    assert models.index("class Colour(") < models.index("class Painted(")  # a default's enum comes first
    assert models.index("class Base(") < models.index("class Child(Base)")
    # the ring closes across the groups, and the schemas made together work
    code = """if True:
        from groups import models as m
        o = m.Order79.model_validate({'next': {'id': 'a', 'next': {'id': 'b'}}})
        assert type(o.next) is m.Order0 and type(o.next.next) is m.Order1
        assert m.Painted().colour is m.Colour.RED and isinstance(m.Child(id='1', extra='x'), m.Base)
        assert type(m.Pet.model_validate({'kind': 'dog', 'barks': True}).root) is m.Dog
        assert m.Paints.model_validate([{'colour': 'green'}]).root[0].colour is m.Colour.GREEN
        assert type(m.Bag.model_validate({'x': [{'id': '1'}]}).x[0]) is m.Order60
        assert type(m.Box.model_validate({'y': {'id': '2'}}).y) is m.Shipment70
    """
    done = _python(generated / "out", code)
    assert done.returncode == 0, done.stderr[-3000:]


def _python(out: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(out)}
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code], cwd=out, env=env, capture_output=True, text=True, check=False
    )


def test_clashing_names_are_renamed_in_one_valid_module(generated: Path) -> None:
    models = (generated / "out" / "groups" / "models.py").read_text(encoding="utf-8")
    addresses = sorted(line[6:].split("(")[0] for line in models.splitlines() if line.startswith("class Address"))
    assert len(addresses) == 3 and len(set(addresses)) == 3, addresses
    aliases = [line for line in models.splitlines() if line.startswith("Metadata") and "= TypeAliasType(" in line]
    assert len(aliases) == 2 and len(set(aliases)) == 2, aliases
    assert models.count("from __future__ import annotations") == 1
    # each family's address still has its own fields, and both parse through the generated client
    code = (
        "import httpx, groups\n"
        "from groups import models\n"
        "def answer(request):\n"
        "    kind = request.url.path.split('/')[1]\n"
        "    body = {'orders': {'address': {'street': 'Main'}, 'metadata': {'a': 'b'}},\n"
        "            'shipments': {'address': {'dock': '7'}}, 'addresss': {'line': 'x'}}[kind]\n"
        "    return httpx.Response(200, json=body)\n"
        "c = groups.Client('http://api.test', transport=httpx.MockTransport(answer))\n"
        "o, s, a = c.get_order('1'), c.get_shipment('2'), c.get_address('3')\n"
        "print(type(o.address).__name__, o.address.street, type(s.address).__name__, s.address.dock, a.line)\n"
        "print(sorted({type(o.address).__name__, type(s.address).__name__, type(a).__name__}))\n"
        "assert o.status.value == s.status.value == 'open' and type(o.status) is not type(s.status)\n"
        "for model, value in ((models.Order, {'street': 'a'}), (models.Shipment, {'dock': 'b'})):\n"
        "    made = model.model_validate({'address': value, 'Status': 3, 'status': 'closed'})\n"
        "    assert made.model_dump(mode='json', by_alias=True, exclude_unset=True)['Status'] == 3\n"
        "    assert made.status.value == 'closed'\n"
    )
    done = _python(generated / "out", code)
    assert done.returncode == 0, done.stderr[-3000:]
    first, names = done.stdout.splitlines()
    assert first.split()[1] == "Main" and first.split()[3] == "7" and first.endswith(" x")
    assert sorted(eval(names)) == addresses


def test_merged_module_passes_mypy_strict(generated: Path) -> None:
    done = mypy_strict(generated / "out", "groups")
    assert done.returncode == 0, done.stdout[-3000:]


def test_output_does_not_depend_on_the_number_of_cpus(generated: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = ["generate", str(generated / "groups.json"), "--out", str(generated / "one-cpu")]
    done = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-m", "specfirst", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for path in sorted((generated / "out" / "groups").rglob("*")):
        if path.is_file():
            twin = generated / "one-cpu" / "groups" / path.relative_to(generated / "out" / "groups")
            assert twin.read_bytes() == path.read_bytes(), path.name
