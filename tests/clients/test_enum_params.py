"""Identical inline enum parameter schemas on several operations share one model named after the parameter;
a purpose-built spec generated through the CLI, its client driven offline (httpx.MockTransport)."""

from __future__ import annotations

import typing
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.conftest import generate_into, import_generated, mypy_strict

SPEC = Path(__file__).parent / "specs" / "enum-params.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_into(SPEC, tmp_path_factory.mktemp("enum_params"))


@pytest.fixture(scope="module")
def pkg(out: Path) -> tuple[ModuleType, ModuleType]:
    """(models, client) of the generated package."""
    models, client = import_generated(out, "enum_params.models", "enum_params.client")
    return models, client


def test_identical_enums_share_one_class(pkg: tuple[ModuleType, ModuleType]) -> None:
    models, client = pkg
    pets = typing.get_type_hints(client.Client.list_pets)
    owners = typing.get_type_hints(client.Client.list_owners)
    assert pets["direction"] == owners["direction"] == models.Direction | None  # description/default ignored
    assert [m.value for m in models.Direction] == ["asc", "desc"]
    assert models.Direction.__doc__ != "Sort order."  # the sites disagree on the description: none is kept
    # a component schema already holds the name: the shared array item enum takes the next one
    assert pets["kinds"] == owners["kinds"] == list[models.KindsItem2] | None
    assert [m.value for m in models.KindsItem2] == ["cat", "dog"]
    for gone in ("ListPetsDirection", "ListOwnersDirection", "ListPetsKindsItem", "ListOwnersKindsItem"):
        assert not hasattr(models, gone)


def test_unique_enum_keeps_its_operation_name(pkg: tuple[ModuleType, ModuleType]) -> None:
    models, client = pkg
    assert typing.get_type_hints(client.Client.list_tags)["direction"] == models.ListTagsDirection | None
    assert [m.value for m in models.ListTagsDirection] == ["up", "down"]


def test_shared_class_goes_on_the_wire(pkg: tuple[ModuleType, ModuleType]) -> None:
    models, client = pkg
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"name": "Rex"}]) if request.url.path == "/pets" else httpx.Response(204)

    with client.Client(transport=httpx.MockTransport(handler)) as api:
        found = api.list_pets(direction=models.Direction.DESC, kinds=[models.KindsItem2.DOG])
        api.list_owners(direction=models.Direction.ASC)
    assert [p.name for p in found] == ["Rex"]
    assert seen[0].url.params["direction"] == "desc"
    assert seen[0].url.params.get_list("kinds") == ["dog"]
    assert seen[1].url.params["direction"] == "asc"


def test_generated_package_passes_mypy_strict(out: Path) -> None:
    done = mypy_strict(out, "enum_params")
    assert done.returncode == 0, done.stdout[-3000:]
