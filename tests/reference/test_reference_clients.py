"""Every documented status of both operations, through the generated sync and async clients."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

import huawei_apig
import rainbond_console
from huawei_apig import errors as hw_errors
from huawei_apig import models as hw
from rainbond_console import errors as rb_errors
from rainbond_console import models as rb
from tests.reference.server import (
    APP_ID,
    CORRUPT_APP_ID,
    HUAWEI_READONLY_TOKEN,
    HUAWEI_TOKEN,
    INSTANCE_ID,
    PROJECT_ID,
    RAINBOND_TOKEN,
    REGION_ID,
    Server,
)

REGION = {
    "region_alias": "测试数据中心",
    "url": "https://region.example.com:8443",
    "wsurl": "wss://region.example.com:6060",
    "httpdomain": "apps.example.com",
    "tcpdomain": "10.0.0.1",
    "status": "1",
}


def huawei_cases() -> list[tuple[str, str | None, str, hw.AppCreate, type[hw_errors.ApiError], str]]:
    """(case, token, app_id, body, expected exception, expected error_code) for every documented error."""
    valid = hw.AppCreate(name="app_demo")
    return [
        ("no-token", None, APP_ID, valid, hw_errors.UnauthorizedError, "APIG.1002"),
        ("bad-token", "not-the-token", APP_ID, valid, hw_errors.UnauthorizedError, "APIG.1002"),
        ("read-only", HUAWEI_READONLY_TOKEN, APP_ID, valid, hw_errors.ForbiddenError, "APIG.1005"),
        ("bad-name", HUAWEI_TOKEN, APP_ID, hw.AppCreate.model_construct(name="1x"), hw_errors.BadRequestError,
         "APIG.2012"),
        # app_secret's pattern is dropped from the generated model (SecretStr): the server still enforces it.
        ("bad-secret", HUAWEI_TOKEN, APP_ID, hw.AppCreate(name="app_demo", app_secret="!bad_start_1"),
         hw_errors.BadRequestError, "APIG.2012"),
        ("unknown-app", HUAWEI_TOKEN, "ffffffffffffffffffffffffffffffff", valid, hw_errors.NotFoundError, "APIG.3002"),
        ("corrupt-row", HUAWEI_TOKEN, CORRUPT_APP_ID, valid, hw_errors.InternalServerError, "APIG.9999"),
    ]  # fmt: skip


def test_huawei_201_updates_and_masks_the_secret(reference_server: Server) -> None:
    body = hw.AppCreate(name="应用_demo", remark="changed", app_key="key_1234567", app_secret="S3cret-value_x9")
    with huawei_apig.Client(reference_server.base_url, token=HUAWEI_TOKEN) as client:
        raw = client.update_app_raw(PROJECT_ID, INSTANCE_ID, APP_ID, body=body)
    assert raw.status_code == 201
    assert raw.headers["content-type"] == "application/json"
    info = raw.parsed
    assert (info.id, info.name, info.remark, info.app_key) == (APP_ID, "应用_demo", "changed", "key_1234567")
    assert info.app_secret is not None
    assert info.app_secret.get_secret_value() == "S3c************_x9"
    assert b"S3cret-value_x9" not in raw.content
    assert info.update_time is not None and info.update_time != "2020-08-03T13:21:48.381148828Z"
    assert (info.register_time, info.status, info.creator, info.app_type) == ("2020-08-03T13:09:13", 1, "USER", "apig")


@pytest.mark.parametrize("case", huawei_cases(), ids=lambda c: c[0])
def test_huawei_documented_errors_sync(reference_server: Server, case: tuple) -> None:  # type: ignore[type-arg]
    _, token, app_id, body, expected, code = case
    with huawei_apig.Client(reference_server.base_url, token=token) as client, pytest.raises(expected) as caught:
        client.update_app(PROJECT_ID, INSTANCE_ID, app_id, body=body)
    assert type(caught.value) is expected
    assert caught.value.error.error_code == code
    if code == "APIG.3002":
        assert caught.value.error.error_msg == f"App {app_id} does not exist"
    if code == "APIG.9999":
        assert caught.value.error.error_msg == "System error"


async def test_huawei_every_status_async(reference_server: Server) -> None:
    for _, token, app_id, body, expected, code in huawei_cases():
        async with huawei_apig.AsyncClient(reference_server.base_url, token=token) as client:
            with pytest.raises(expected) as caught:
                await client.update_app(PROJECT_ID, INSTANCE_ID, app_id, body=body)
        assert type(caught.value) is expected
        assert caught.value.error.error_code == code
    async with huawei_apig.AsyncClient(reference_server.base_url, token=HUAWEI_TOKEN) as client:
        info = await client.update_app(PROJECT_ID, INSTANCE_ID, APP_ID, body=hw.AppCreate(name="async_app"))
    assert info.name == "async_app"


def test_huawei_unknown_instance_or_project_is_404(reference_server: Server) -> None:
    with huawei_apig.Client(reference_server.base_url, token=HUAWEI_TOKEN) as client:
        for project, instance in (("0" * 32, INSTANCE_ID), (PROJECT_ID, "1" * 32)):
            with pytest.raises(hw_errors.NotFoundError) as caught:
                client.update_app(project, instance, APP_ID, body=hw.AppCreate(name="app_demo"))
            assert caught.value.error.error_code == "APIG.3030"


def constructed(**fields: object) -> rb.UpdateRegionReq:
    """A request model the client would refuse to build: invalid values the server must reject with 400."""
    return rb.UpdateRegionReq.model_construct(**{**REGION, "status": rb.Status("1"), **fields})


def rainbond_cases() -> list[tuple[str, str | None, str, rb.UpdateRegionReq | None, type[rb_errors.ApiError], str]]:
    valid = rb.UpdateRegionReq.model_validate(REGION)
    return [
        ("no-token", None, REGION_ID, valid, rb_errors.UnauthorizedError, "No token"),
        ("bad-token", "wrong", REGION_ID, valid, rb_errors.UnauthorizedError, "token is invalid"),
        ("bad-url", RAINBOND_TOKEN, REGION_ID, constructed(url="ftp://region.example.com"),
         rb_errors.BadRequestError, ""),
        # token's maxLength is dropped from the generated model (SecretStr): the server still enforces it.
        ("long-token", RAINBOND_TOKEN, REGION_ID, constructed(token=SecretStr("t" * 256)),
         rb_errors.BadRequestError, ""),
        ("bad-region-id", RAINBOND_TOKEN, "not a region!", valid, rb_errors.BadRequestError, ""),
        ("unknown-region", RAINBOND_TOKEN, "no-such-region", valid, rb_errors.NotFoundError, "修改的数据中心不存在"),
    ]  # fmt: skip


def test_rainbond_200_applies_fields_and_keeps_region_name(reference_server: Server) -> None:
    body = rb.UpdateRegionReq.model_validate({**REGION, "token": "region-secret", "desc": "", "scope": "public"})
    with rainbond_console.Client(reference_server.base_url, token=RAINBOND_TOKEN) as client:
        raw = client.update_region_raw(REGION_ID, body=body)
        assert raw.status_code == 200
        assert raw.headers["content-type"] == "application/json"
        region = raw.parsed
        assert (region.region_id, region.region_name) == (REGION_ID, "rainbond")
        assert (region.region_alias, region.url, region.scope, region.desc) == (
            REGION["region_alias"], REGION["url"], "public", "",
        )  # fmt: skip
        assert region.token is not None and region.token.get_secret_value() == "region-secret"
        unchanged = client.update_region(REGION_ID)  # no body: 200 with the region as it is
    assert unchanged.model_dump() == region.model_dump()


@pytest.mark.parametrize("case", rainbond_cases(), ids=lambda c: c[0])
def test_rainbond_documented_errors_sync(reference_server: Server, case: tuple) -> None:  # type: ignore[type-arg]
    _, token, region_id, body, expected, msg = case
    with rainbond_console.Client(reference_server.base_url, token=token) as client, pytest.raises(expected) as caught:
        client.update_region(region_id, body=body)
    assert type(caught.value) is expected
    assert 1 <= len(caught.value.error.msg) <= 300
    if msg:
        assert caught.value.error.msg == msg
    if expected is rb_errors.UnauthorizedError:
        assert caught.value.headers["www-authenticate"] == "Token"


async def test_rainbond_every_status_async(reference_server: Server) -> None:
    for _, token, region_id, body, expected, _msg in rainbond_cases():
        async with rainbond_console.AsyncClient(reference_server.base_url, token=token) as client:
            with pytest.raises(expected) as caught:
                await client.update_region(region_id, body=body)
        assert type(caught.value) is expected
    async with rainbond_console.AsyncClient(reference_server.base_url, token=RAINBOND_TOKEN) as client:
        region = await client.update_region(REGION_ID, body=rb.UpdateRegionReq.model_validate(REGION))
    assert region.status == "1"
