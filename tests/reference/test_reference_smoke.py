"""Smoke: the server starts, serves both APIs through the generated clients, and stops."""

from __future__ import annotations

import huawei_apig
import rainbond_console
from huawei_apig import models as hw
from tests.reference.server import APP_ID, HUAWEI_TOKEN, INSTANCE_ID, PROJECT_ID, RAINBOND_TOKEN, REGION_ID, Server


def test_both_apis_answer(reference_server: Server) -> None:
    with huawei_apig.Client(reference_server.base_url, token=HUAWEI_TOKEN) as client:
        info = client.update_app(PROJECT_ID, INSTANCE_ID, APP_ID, body=hw.AppCreate(name="app_demo"))
    assert info.id == APP_ID
    with rainbond_console.Client(reference_server.base_url, token=RAINBOND_TOKEN) as client:
        region = client.update_region(REGION_ID)
    assert region.region_name == "rainbond"
