"""State: updates persist across a restart, concurrent updates lose nothing, corrupt rows stay untouched."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import huawei_apig
import rainbond_console
from huawei_apig import errors as hw_errors
from huawei_apig import models as hw
from rainbond_console import models as rb
from tests.reference.server import (
    APP_ID,
    CORRUPT_APP_ID,
    HUAWEI_TOKEN,
    INSTANCE_ID,
    PROJECT_ID,
    RAINBOND_TOKEN,
    REGION_ID,
    running,
)

REGION = {
    "region_alias": "persisted",
    "url": "https://persisted.example.com",
    "wsurl": "wss://persisted.example.com",
    "httpdomain": "apps.persisted.example.com",
    "tcpdomain": "10.1.2.3",
    "status": "3",
}


def test_updates_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "ref.sqlite3"
    with running(db) as server:
        with huawei_apig.Client(server.base_url, token=HUAWEI_TOKEN) as client:
            first = client.update_app(
                PROJECT_ID, INSTANCE_ID, APP_ID, body=hw.AppCreate(name="kept_name", remark="kept remark")
            )
        with rainbond_console.Client(server.base_url, token=RAINBOND_TOKEN) as client:
            client.update_region(REGION_ID, body=rb.UpdateRegionReq.model_validate({**REGION, "token": "tok"}))
    with running(db) as server:  # same file: not re-seeded
        with huawei_apig.Client(server.base_url, token=HUAWEI_TOKEN) as client:
            again = client.update_app(PROJECT_ID, INSTANCE_ID, APP_ID, body=hw.AppCreate(name="kept_name"))
        with rainbond_console.Client(server.base_url, token=RAINBOND_TOKEN) as client:
            region = client.update_region(REGION_ID)
    assert (again.name, again.remark, again.app_key) == ("kept_name", "kept remark", first.app_key)
    assert region.model_dump(include=set(REGION)) == {**REGION, "status": rb.Status("3")}
    assert region.token is not None and region.token.get_secret_value() == "tok"
    assert region.region_name == "rainbond"


def test_concurrent_updates_lose_nothing(tmp_path: Path) -> None:
    rounds = 15
    problems: list[BaseException] = []

    with running(tmp_path / "ref.sqlite3") as server:

        def huawei_writer(field: str, make: str) -> None:
            try:
                with huawei_apig.Client(server.base_url, token=HUAWEI_TOKEN) as client:
                    for i in range(rounds):
                        body = hw.AppCreate.model_validate({"name": "app_demo", field: make.format(i)})
                        client.update_app(PROJECT_ID, INSTANCE_ID, APP_ID, body=body)
            except BaseException as exc:
                problems.append(exc)

        def region_writer(field: str, make: str) -> None:
            try:
                with rainbond_console.Client(server.base_url, token=RAINBOND_TOKEN) as client:
                    for i in range(rounds):
                        body = rb.UpdateRegionReq.model_validate({**REGION, field: make.format(i)})
                        client.update_region(REGION_ID, body=body)
            except BaseException as exc:
                problems.append(exc)

        threads = [
            threading.Thread(target=huawei_writer, args=("remark", "remark {}")),
            threading.Thread(target=huawei_writer, args=("app_key", "appkey{:04d}")),
            threading.Thread(target=huawei_writer, args=("app_secret", "secret{:04d}xyz")),
            threading.Thread(target=region_writer, args=("desc", "desc {}")),
            threading.Thread(target=region_writer, args=("token", "token-{}")),
            threading.Thread(target=region_writer, args=("scope", "public")),
            threading.Thread(target=region_writer, args=("ssl_ca_cert", "ca-{}")),
            threading.Thread(target=region_writer, args=("key_file", "key-{}")),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert problems == []
        with huawei_apig.Client(server.base_url, token=HUAWEI_TOKEN) as client:
            app = client.update_app(PROJECT_ID, INSTANCE_ID, APP_ID, body=hw.AppCreate(name="app_demo"))
        with rainbond_console.Client(server.base_url, token=RAINBOND_TOKEN) as client:
            region = client.update_region(REGION_ID)
    last = rounds - 1
    assert (app.remark, app.app_key) == (f"remark {last}", f"appkey{last:04d}")
    assert app.app_secret is not None and app.app_secret.get_secret_value() == "sec" + "*" * 12 + "xyz"
    assert (region.desc, region.scope) == (f"desc {last}", "public")
    secrets = {k: getattr(region, k).get_secret_value() for k in ("token", "ssl_ca_cert", "key_file")}
    assert secrets == {"token": f"token-{last}", "ssl_ca_cert": f"ca-{last}", "key_file": f"key-{last}"}


def test_corrupt_row_fails_every_time_and_stays_unchanged(tmp_path: Path) -> None:
    with running(tmp_path / "ref.sqlite3") as server, huawei_apig.Client(server.base_url, token=HUAWEI_TOKEN) as c:
        for _ in range(2):
            with pytest.raises(hw_errors.InternalServerError) as caught:
                c.update_app(PROJECT_ID, INSTANCE_ID, CORRUPT_APP_ID, body=hw.AppCreate(name="would_fix_it"))
            assert caught.value.error.model_dump() == {"error_code": "APIG.9999", "error_msg": "System error"}
        assert "Traceback" not in server.output()
