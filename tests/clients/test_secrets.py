"""Secrets (tokens, app_secret, key material) never reach a repr, a str, a log line or an exception message."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from pydantic import SecretStr

import huawei_apig
import rainbond_console
from huawei_apig import errors as hw_errors
from huawei_apig import models as hw_models
from rainbond_console import models as rb_models
from tests.clients.spec_examples import request_example, response_examples
from tests.clients.test_statuses import HW_IDS, RB_REGION

TOKEN = "tok-SUPER-SECRET-1234567890"
APP_SECRET = "Sec_ret-Value!@#$%99"
KEY_MATERIAL = "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg"


def test_model_fields_marked_sensitive_are_secretstr_and_masked() -> None:
    body = hw_models.AppCreate(name="app_demo", app_key="key_12345678", app_secret=SecretStr(APP_SECRET))
    for text in (repr(body), str(body), f"{body}", body.model_dump_json()):
        assert APP_SECRET not in text
    assert body.app_secret is not None
    assert body.app_secret.get_secret_value() == APP_SECRET
    region = rb_models.UpdateRegionReq.model_validate(
        {
            **request_example("rainbond-console.yaml"),
            "token": TOKEN,
            "key_file": KEY_MATERIAL,
            "cert_file": KEY_MATERIAL,
        }
    )
    for text in (repr(region), str(region), region.model_dump_json()):
        assert TOKEN not in text
        assert KEY_MATERIAL not in text
    for name in ("token", "ssl_ca_cert", "cert_file", "key_file"):
        assert "SecretStr" in str(rb_models.UpdateRegionReq.model_fields[name].annotation)
    assert "SecretStr" in str(hw_models.AppInfo.model_fields["app_secret"].annotation)


def test_secrets_go_over_the_wire_unmasked() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json=response_examples("huawei-apig.yaml")[0][1])

    body = hw_models.AppCreate(name="app_demo", app_secret=SecretStr(APP_SECRET))
    huawei_apig.Client("https://apig.test", token=TOKEN, transport=httpx.MockTransport(handler)).update_app(
        *HW_IDS, body=body
    )
    assert json.loads(seen[0].content) == {"name": "app_demo", "app_secret": APP_SECRET}
    assert seen[0].headers["X-Auth-Token"] == TOKEN


def test_client_repr_masks_the_token() -> None:
    for client in (
        huawei_apig.Client("https://apig.test", token=TOKEN),
        huawei_apig.AsyncClient("https://apig.test", token=SecretStr(TOKEN)),
        rainbond_console.Client("http://rb.test", token=TOKEN),
    ):
        assert TOKEN not in repr(client)
        assert TOKEN not in str(client)
        assert "**********" in repr(client)


def test_logs_and_errors_never_show_secrets(caplog: pytest.LogCaptureFixture) -> None:
    error_body = {"error_code": "APIG.1002", "error_msg": "Incorrect token or token resolution failed"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json=error_body)

    body = hw_models.AppCreate(name="app_demo", app_secret=SecretStr(APP_SECRET))
    client = huawei_apig.Client("https://apig.test", token=TOKEN, transport=httpx.MockTransport(handler))
    with caplog.at_level(logging.DEBUG), pytest.raises(hw_errors.UnauthorizedError) as caught:
        client.update_app(*HW_IDS, body=body)
    assert caplog.records, "the client logs its requests"
    assert TOKEN not in caplog.text
    assert APP_SECRET not in caplog.text
    for text in (str(caught.value), repr(caught.value), repr(caught.value.error)):
        assert TOKEN not in text
        assert APP_SECRET not in text


def test_response_secrets_are_masked_in_reprs() -> None:
    example = {**response_examples("rainbond-console.yaml")[0][1], "token": TOKEN, "key_file": KEY_MATERIAL}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=example)

    client = rainbond_console.Client("http://rb.test", token=TOKEN, transport=httpx.MockTransport(handler))
    raw = client.update_region_raw(RB_REGION)
    for text in (repr(raw), repr(raw.parsed), str(raw.parsed)):
        assert TOKEN not in text
        assert KEY_MATERIAL not in text
    assert raw.parsed.token is not None
    assert raw.parsed.token.get_secret_value() == TOKEN
