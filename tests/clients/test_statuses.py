"""Every documented status of both operations, through the generated clients, offline (httpx.MockTransport)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

import huawei_apig
import rainbond_console
from huawei_apig import errors as hw_errors
from huawei_apig import models as hw_models
from rainbond_console import errors as rb_errors
from rainbond_console import models as rb_models
from tests.clients.spec_examples import request_example, response_examples

HW_IDS = ("0b6fb3f5a1a34c2e9f3f0c3e5d8f2a1b", "eddc4d25480b4cd6b512f270a1b8b341", "356de8eb7a8742168586e5daf5339965")
RB_REGION = "2b1e6b6d1c7c4f4f9f8a3f0e5d6c7b8a"

HW_ERRORS = {
    400: hw_errors.BadRequestError,
    401: hw_errors.UnauthorizedError,
    403: hw_errors.ForbiddenError,
    404: hw_errors.NotFoundError,
    500: hw_errors.InternalServerError,
}
RB_ERRORS = {400: rb_errors.BadRequestError, 401: rb_errors.UnauthorizedError, 404: rb_errors.NotFoundError}


class Recorder:
    """A MockTransport handler answering one canned response and recording the requests."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self.status, self.body, self.headers = status, body, headers or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.body, headers=self.headers)


def hw_client(handler: Recorder, *, is_async: bool = False) -> Any:
    cls = huawei_apig.AsyncClient if is_async else huawei_apig.Client
    transport = httpx.MockTransport(handler)
    return cls("https://apig.example.test", token="iam-token-123", transport=transport)


def rb_client(handler: Recorder, *, is_async: bool = False) -> Any:
    cls = rainbond_console.AsyncClient if is_async else rainbond_console.Client
    return cls("http://console.example.test", token="raw-token-456", transport=httpx.MockTransport(handler))


HW_BODY = hw_models.AppCreate.model_validate(request_example("huawei-apig.yaml"))
RB_BODY = rb_models.UpdateRegionReq.model_validate(request_example("rainbond-console.yaml"))


@pytest.mark.parametrize(("status", "example"), response_examples("huawei-apig.yaml"))
def test_huawei_every_documented_status(status: int, example: Any) -> None:
    handler = Recorder(status, example)
    with hw_client(handler) as client:
        if status == 201:
            app = client.update_app(*HW_IDS, body=HW_BODY)
            assert isinstance(app, hw_models.AppInfo)
            assert app.name == example["name"]
            assert app.status == example["status"]
            assert app.creator == hw_models.Creator.USER
            assert app.app_secret is not None
            assert app.app_secret.get_secret_value() == example["app_secret"]
        else:
            with pytest.raises(HW_ERRORS[status]) as caught:
                client.update_app(*HW_IDS, body=HW_BODY)
            err = caught.value
            assert isinstance(err, hw_errors.ApiError)
            assert err.status_code == status
            assert isinstance(err.error, hw_models.ApigError)
            assert err.error.error_code == example["error_code"]
            assert err.error.error_msg == example["error_msg"]
    (request,) = handler.requests
    assert request.method == "PUT"
    assert request.url.path == "/v2/{}/apigw/instances/{}/apps/{}".format(*HW_IDS)
    assert request.headers["X-Auth-Token"] == "iam-token-123"
    assert request.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert json.loads(request.content) == {"name": "app_demo", "remark": "Demo app"}


@pytest.mark.parametrize(("status", "example"), response_examples("rainbond-console.yaml"))
def test_rainbond_every_documented_status(status: int, example: Any) -> None:
    handler = Recorder(status, example)
    with rb_client(handler) as client:
        if status == 200:
            region = client.update_region(RB_REGION, body=RB_BODY)
            assert isinstance(region, rb_models.V2RegionInfoSerializer)
            assert region.region_id == example["region_id"]
            assert region.status.value == example["status"]
        else:
            with pytest.raises(RB_ERRORS[status]) as caught:
                client.update_region(RB_REGION, body=RB_BODY)
            assert caught.value.status_code == status
            assert isinstance(caught.value.error, rb_models.Fail)
            assert caught.value.error.msg == example["msg"]
    (request,) = handler.requests
    assert request.url.path == f"/openapi/v2/manage/regions/{RB_REGION}"
    assert request.headers["Authorization"] == "raw-token-456"  # the raw token, no Bearer prefix
    assert json.loads(request.content) == request_example("rainbond-console.yaml")


@pytest.mark.parametrize(("status", "example"), response_examples("huawei-apig.yaml"))
async def test_huawei_async_every_documented_status(status: int, example: Any) -> None:
    handler = Recorder(status, example)
    async with hw_client(handler, is_async=True) as client:
        if status == 201:
            app = await client.update_app(*HW_IDS, body=HW_BODY)
            assert app.id == example["id"]
        else:
            with pytest.raises(HW_ERRORS[status]) as caught:
                await client.update_app(*HW_IDS, body=HW_BODY)
            assert caught.value.error.error_code == example["error_code"]


@pytest.mark.parametrize(("status", "example"), response_examples("rainbond-console.yaml"))
async def test_rainbond_async_every_documented_status(status: int, example: Any) -> None:
    handler = Recorder(status, example)
    async with rb_client(handler, is_async=True) as client:
        if status == 200:
            assert (await client.update_region(RB_REGION, body=RB_BODY)).region_name == example["region_name"]
        else:
            with pytest.raises(RB_ERRORS[status]) as caught:
                await client.update_region(RB_REGION, body=RB_BODY)
            assert caught.value.error.msg == example["msg"]


def test_rainbond_body_is_optional() -> None:
    example = dict(response_examples("rainbond-console.yaml")[0][1])
    handler = Recorder(200, example)
    with rb_client(handler) as client:
        client.update_region(RB_REGION)
    assert handler.requests[0].content == b""


def test_undocumented_status_raises_api_error_fallback() -> None:
    handler = Recorder(418, {"error_code": "APIG.0000", "error_msg": "teapot"})
    with hw_client(handler) as client, pytest.raises(hw_errors.ApiError) as caught:
        client.update_app(*HW_IDS, body=HW_BODY)
    assert type(caught.value) is hw_errors.ApiError
    assert caught.value.status_code == 418
    assert caught.value.error is None
    assert "418" in str(caught.value)


def test_error_body_that_does_not_parse_falls_back_to_api_error() -> None:
    handler = Recorder(404, {"unexpected": "shape"})
    with hw_client(handler) as client, pytest.raises(hw_errors.ApiError) as caught:
        client.update_app(*HW_IDS, body=HW_BODY)
    assert type(caught.value) is hw_errors.ApiError
    assert caught.value.status_code == 404
    assert json.loads(caught.value.content) == {"unexpected": "shape"}


def test_raw_response_gives_headers_and_parsed_body() -> None:
    example = response_examples("huawei-apig.yaml")[0][1]
    handler = Recorder(201, example, headers={"X-Request-Id": "req-42"})
    with hw_client(handler) as client:
        raw = client.update_app_raw(*HW_IDS, body=HW_BODY)
    assert raw.status_code == 201
    assert raw.headers["X-Request-Id"] == "req-42"
    assert raw.parsed.id == example["id"]
    assert json.loads(raw.content) == example


def test_path_parameters_are_url_encoded() -> None:
    handler = Recorder(404, {"error_code": "APIG.3002", "error_msg": "App does not exist"})
    with hw_client(handler) as client, pytest.raises(hw_errors.NotFoundError):
        client.update_app("p", "i", "../../admin?x=1#frag", body=HW_BODY)
    request = handler.requests[0]
    assert request.url.raw_path == b"/v2/p/apigw/instances/i/apps/..%2F..%2Fadmin%3Fx%3D1%23frag"
    assert request.url.query == b""
