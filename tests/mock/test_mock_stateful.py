"""The mock is stateful from the spec alone: sequences through generated clients, seeded resources, restarts."""

from __future__ import annotations

import pytest

from tests.conftest import generate_into, import_generated
from tests.mock.servers import HUAWEI, HUAWEI_APP, HUAWEI_TOKEN, RAINBOND, RAINBOND_TOKEN, SHARED_SPECS, serving

PROJECT = "0b6fb3f5a1a34c2e9f3f0c3e5d8f2a1b"
INSTANCE = "eddc4d25480b4cd6b512f270a1b8b341"
REGION = "2b1e6b6d1c7c4f4f9f8a3f0e5d6c7b8a"


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """petstore3 and train-travel clients generated into a temporary folder."""
    out = generate_into(SHARED_SPECS / "petstore3.yaml", tmp_path_factory.mktemp("petstore"))
    petstore = import_generated(out, "petstore3.client", "petstore3.models", "petstore3.errors")
    out = generate_into(SHARED_SPECS / "train-travel-3.1.yaml", tmp_path_factory.mktemp("train"))
    train = import_generated(out, "train_travel_3.client", "train_travel_3.models", "train_travel_3.errors")
    return petstore, train


def test_petstore_create_get_update_get_delete_get(clients):
    (client_mod, models, errors), _ = clients
    with serving("mock", str(SHARED_SPECS / "petstore3.yaml")) as mock:
        with client_mod.Client(mock.url + "/api/v3", api_key="k", petstore_auth="t") as client:
            created = client.add_pet(body=models.Pet(name="rex", photoUrls=["http://a/1"], status="available"))
            assert created.name == "rex" and created.id is not None
            assert client.get_pet_by_id(created.id).name == "rex"
            updated = client.update_pet(body=models.Pet(id=created.id, name="max", photoUrls=["http://a/2"]))
            assert updated.name == "max" and updated.photoUrls == ["http://a/2"]
            again = client.get_pet_by_id(created.id)
            assert again.name == "max" and again.status == created.status
            client.delete_pet(created.id)
            with pytest.raises(errors.NotFoundError):
                client.get_pet_by_id(created.id)


def test_train_travel_create_get_list_delete_get(clients):
    _, (client_mod, models, errors) = clients
    with serving("mock", str(SHARED_SPECS / "train-travel-3.1.yaml")) as mock:
        with client_mod.Client(mock.url, token="t") as client:
            trip = "4f4e4e11-c824-4d63-b37a-d8d698862f1d"
            created = client.create_booking(body=models.BookingInput(trip_id=trip, passenger_name="Ada Lovelace"))
            assert created.passenger_name == "Ada Lovelace" and created.id is not None
            got = client.get_booking(str(created.id))
            assert got.passenger_name == "Ada Lovelace" and str(got.trip_id) == trip
            listed = client.get_bookings()
            assert str(created.id) in [str(b.id) for b in listed.data or []]
            client.delete_booking(str(created.id))
            with pytest.raises(errors.NotFoundError):
                client.get_booking(str(created.id))


def _huawei():
    client_mod, models, errors = import_generated(
        HUAWEI.parents[1] / "generated", "huawei_apig.client", "huawei_apig.models", "huawei_apig.errors"
    )
    return client_mod, models, errors


def test_huawei_seeded_app_is_updated_and_an_unknown_app_is_the_documented_404():
    client_mod, models, errors = _huawei()
    with serving("mock", str(HUAWEI), "--token", HUAWEI_TOKEN) as mock:
        with client_mod.Client(mock.url, token=HUAWEI_TOKEN) as client:
            first = client.update_app(PROJECT, INSTANCE, HUAWEI_APP, body=models.AppCreate(name="app_first"))
            assert first.name == "app_first" and first.id == HUAWEI_APP
            secret = "S3cretValue99"
            second = client.update_app(
                PROJECT, INSTANCE, HUAWEI_APP, body=models.AppCreate(name="app_second", remark="r2", app_secret=secret)
            )
            assert (second.name, second.remark) == ("app_second", "r2")
            shown = second.app_secret
            shown = shown.get_secret_value() if hasattr(shown, "get_secret_value") else shown
            assert shown != secret and "*" in shown  # masked as the spec's example masks it
            with pytest.raises(errors.NotFoundError) as caught:
                client.update_app(PROJECT, INSTANCE, "0" * 32, body=models.AppCreate(name="app_x"))
            assert caught.value.error.error_code == "APIG.3002"
        with client_mod.Client(mock.url, token="wrong-token") as wrong, pytest.raises(errors.UnauthorizedError):
            wrong.update_app(PROJECT, INSTANCE, HUAWEI_APP, body=models.AppCreate(name="app_third"))


def test_rainbond_seeded_region_reflects_each_update():
    client_mod, models = import_generated(
        RAINBOND.parents[1] / "generated", "rainbond_console.client", "rainbond_console.models"
    )
    body = {
        "region_alias": "alias one", "url": "https://r.example.com:8443", "wsurl": "wss://r.example.com:6060",
        "httpdomain": "apps.example.com", "tcpdomain": "10.0.0.1", "status": "1",
    }  # fmt: skip
    with serving("mock", str(RAINBOND), "--token", RAINBOND_TOKEN) as mock:
        with client_mod.Client(mock.url, token=RAINBOND_TOKEN) as client:
            first = client.update_region(REGION, body=models.UpdateRegionReq(**body))
            assert first.region_alias == "alias one" and first.region_id == REGION
            second = client.update_region(REGION, body=models.UpdateRegionReq(**{**body, "region_alias": "alias two"}))
            assert second.region_alias == "alias two" and second.url == body["url"]


def test_an_update_survives_a_restart_with_state_file(tmp_path):
    client_mod, models, _ = _huawei()
    state = str(tmp_path / "mock.sqlite3")
    with serving("mock", str(HUAWEI), "--state", state) as mock:
        with client_mod.Client(mock.url, token="any") as client:
            client.update_app(PROJECT, INSTANCE, HUAWEI_APP, body=models.AppCreate(name="app_kept", remark="kept"))
    with serving("mock", str(HUAWEI), "--state", state) as mock:
        with client_mod.Client(mock.url, token="any") as client:
            after = client.update_app(PROJECT, INSTANCE, HUAWEI_APP, body=models.AppCreate(name="app_next"))
    assert after.name == "app_next" and after.remark == "kept"


def test_concurrent_creates_lose_no_update_with_a_state_file(tmp_path):
    import asyncio

    import httpx

    spec = SHARED_SPECS / "train-travel-3.1.yaml"
    trip = "4f4e4e11-c824-4d63-b37a-d8d698862f1d"

    async def create_all(url: str) -> list[str]:
        async with httpx.AsyncClient(base_url=url, headers={"Authorization": "Bearer t"}, timeout=60) as client:
            bodies = [{"trip_id": trip, "passenger_name": f"passenger {i}"} for i in range(40)]
            answers = await asyncio.gather(*(client.post("/bookings", json=b) for b in bodies))
        assert all(a.status_code == 201 for a in answers), [a.text for a in answers if a.status_code != 201][:2]
        return [a.json()["id"] for a in answers]

    with serving("mock", str(spec), "--state", str(tmp_path / "s.sqlite3")) as mock:
        ids = asyncio.run(create_all(mock.url))
        listed = httpx.get(f"{mock.url}/bookings", headers={"Authorization": "Bearer t"}, timeout=60).json()["data"]
    assert len(set(ids)) == 40
    assert set(ids) <= {b["id"] for b in listed}  # every create is listed (beside the seeded example booking)
    names = {b["id"]: b["passenger_name"] for b in listed}
    assert sorted(names[i] for i in ids) == sorted(f"passenger {i}" for i in range(40))
