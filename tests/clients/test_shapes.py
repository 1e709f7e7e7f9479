"""readOnly/writeOnly properties get request and response shapes, and inline parameter schemas get real types:
a purpose-built spec generated through the CLI, its client driven offline (httpx.MockTransport)."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from tests.conftest import generate_into, import_generated, mypy_strict

SPEC = Path(__file__).parent / "specs" / "shapes-pets.yaml"
PET = {"id": 7, "name": "Rex", "created": "2024-01-02T03:04:05Z", "owner": {"id": 1, "name": "Ann"}}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_into(SPEC, tmp_path_factory.mktemp("shapes"))


@pytest.fixture(scope="module")
def pkg(out: Path) -> tuple[ModuleType, ModuleType]:
    """(models, client) of the generated package."""
    models, client = import_generated(out, "shapes_pets.models", "shapes_pets.client")
    return models, client


class Recorder:
    """Answers every request with one canned JSON response and keeps the requests."""

    def __init__(self, status: int, body: Any) -> None:
        self.status, self.body = status, body
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body)


def _client(client: ModuleType, handler: Recorder) -> Any:
    return client.Client(transport=httpx.MockTransport(handler))


def _fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


def test_request_and_response_shapes(pkg: tuple[ModuleType, ModuleType]) -> None:
    models, _ = pkg
    assert _fields(models.PetInput) == {"name", "secret", "owner", "card", "tags"}  # readOnly id, created gone
    assert _fields(models.Pet) == {"id", "name", "created", "owner", "card", "tags"}  # writeOnly secret gone
    assert models.CardInput.model_fields["cvc"].is_required()
    assert not models.Card.model_fields["cvc"].is_required()  # closed schema: kept, but optional
    assert _fields(models.OwnerInput) == {"name"}
    assert models.PetInput.model_fields["owner"].annotation == models.OwnerInput | None
    assert models.PetInput.model_fields["tags"].annotation == list[models.Tag] | None  # Tag has no variant
    assert not hasattr(models, "TagInput")
    assert not hasattr(models, "PlainInput")
    assert _fields(models.UpdatePetRequest) == {"name", "owner"}  # hoisted inline body, reshaped in place
    assert _fields(models.UpdatePetResponseValue200) == {"pet"}  # writeOnly token dropped from the response


def test_client_sends_request_shape_and_parses_response_without_write_only(
    pkg: tuple[ModuleType, ModuleType],
) -> None:
    models, client = pkg
    hints = typing.get_type_hints(client.Client.create_pet)
    assert hints["body"] is models.PetInput
    assert typing.get_type_hints(client.Client.replace_pets)["body"] == list[models.PetInput]
    handler = Recorder(201, PET)
    with _client(client, handler) as api:
        pet = api.create_pet(body=models.PetInput(name="Rex", secret="s3cret", owner=models.OwnerInput(name="Ann")))
    assert isinstance(pet, models.Pet)
    assert (pet.id, pet.owner.id) == (7, 1)
    echoed = models.Pet.model_validate({**PET, "card": {"number": "4242", "cvc": "123"}})
    assert models.Pet.model_validate({**PET, "card": {"number": "4242"}}).card.number == echoed.card.number
    (request,) = handler.requests
    assert json.loads(request.content) == {"name": "Rex", "secret": "s3cret", "owner": {"name": "Ann"}}


def test_hoisted_body_and_response(pkg: tuple[ModuleType, ModuleType]) -> None:
    models, client = pkg
    handler = Recorder(200, {"pet": PET})
    with _client(client, handler) as api:
        done = api.update_pet(7, body=models.UpdatePetRequest(name="Rex"))
    assert done.pet.id == 7
    assert json.loads(handler.requests[0].content) == {"name": "Rex"}


def test_enum_and_union_parameters_are_typed(pkg: tuple[ModuleType, ModuleType]) -> None:
    models, client = pkg
    hints = typing.get_type_hints(client.Client.list_pets)
    assert hints["status"] == models.ListPetsStatus | None
    assert hints["kinds"] == list[models.ListPetsKindsItem] | None
    assert hints["order"] == models.Order | None  # a shared component parameter: one model
    assert typing.get_type_hints(client.Client.replace_pets)["order"] == models.Order | None
    assert hints["owner"] == int | str | None
    assert hints["range"] == dict[str, Any] | None
    handler = Recorder(200, [PET])
    with _client(client, handler) as api:
        pets = api.list_pets(
            status=models.ListPetsStatus.SOLD,
            kinds=[models.ListPetsKindsItem.CAT, models.ListPetsKindsItem.DOG],
            order=models.Order.DESC,
            owner=3,
        )
    assert [p.name for p in pets] == ["Rex"]
    params = handler.requests[0].url.params
    assert params["status"] == "sold"
    assert params.get_list("kinds") == ["cat", "dog"]
    assert (params["order"], params["owner"]) == ("desc", "3")


def test_generated_package_passes_mypy_strict(out: Path) -> None:
    done = mypy_strict(out, "shapes_pets")
    assert done.returncode == 0, done.stdout[-3000:]
