"""Retries with backoff and jitter, Retry-After, idempotent methods only, and timeouts."""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

import huawei_apig
from huawei_apig import _runtime as hw_runtime
from huawei_apig import errors as hw_errors
from tests.clients.spec_examples import response_examples
from tests.clients.test_statuses import HW_BODY, HW_IDS
from tests.conftest import import_generated, run_specfirst

APP = response_examples("huawei-apig.yaml")[0][1]


class Script:
    """A MockTransport handler that answers from a script of responses (or exceptions), in order."""

    def __init__(self, *steps: Any) -> None:
        self.steps = list(steps)
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        step = self.steps[min(self.calls, len(self.steps) - 1)]
        self.calls += 1
        if isinstance(step, Exception):
            raise step
        status, headers = step if isinstance(step, tuple) else (step, {})
        body = APP if status == 201 else {"error_code": "APIG.9999", "error_msg": "x"}
        return httpx.Response(status, json=body, headers=headers)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(hw_runtime, "sleep", recorded.append)

    async def fake_asleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(hw_runtime, "asleep", fake_asleep)
    return recorded


def client(script: Script, **kwargs: Any) -> huawei_apig.Client:
    return huawei_apig.Client("https://apig.test", token="t", transport=httpx.MockTransport(script), **kwargs)


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retryable_status_then_success(status: int, sleeps: list[float]) -> None:
    script = Script(status, 201)
    app = client(script).update_app(*HW_IDS, body=HW_BODY)
    assert app.id == APP["id"]
    assert script.calls == 2
    assert len(sleeps) == 1


def test_exponential_backoff_without_jitter(sleeps: list[float]) -> None:
    policy = huawei_apig.RetryPolicy(max_retries=3, backoff_base=0.5, jitter=0.0)
    script = Script(503, 503, 503, 201)
    client(script, retry=policy).update_app(*HW_IDS, body=HW_BODY)
    assert sleeps == [0.5, 1.0, 2.0]


def test_backoff_is_capped(sleeps: list[float]) -> None:
    policy = huawei_apig.RetryPolicy(max_retries=5, backoff_base=1.0, backoff_max=3.0, jitter=0.0)
    client(Script(503, 503, 503, 503, 503, 201), retry=policy).update_app(*HW_IDS, body=HW_BODY)
    assert sleeps == [1.0, 2.0, 3.0, 3.0, 3.0]


def test_jitter_stays_within_bounds_and_varies(sleeps: list[float]) -> None:
    policy = huawei_apig.RetryPolicy(max_retries=1, backoff_base=1.0, jitter=0.5)
    for _ in range(30):
        client(Script(503, 201), retry=policy).update_app(*HW_IDS, body=HW_BODY)
    assert all(0.5 <= s <= 1.0 for s in sleeps)
    assert len(set(sleeps)) > 1


def test_retry_after_seconds_is_honoured(sleeps: list[float]) -> None:
    client(Script((429, {"Retry-After": "7"}), 201)).update_app(*HW_IDS, body=HW_BODY)
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured(sleeps: list[float]) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    client(Script((503, {"Retry-After": when}), 201)).update_app(*HW_IDS, body=HW_BODY)
    assert len(sleeps) == 1
    assert 15 <= sleeps[0] <= 21


def test_retries_exhausted_raise_the_last_response(sleeps: list[float]) -> None:
    script = Script(503)
    with pytest.raises(hw_errors.ApiError) as caught:
        client(script, retry=huawei_apig.RetryPolicy(max_retries=2)).update_app(*HW_IDS, body=HW_BODY)
    assert caught.value.status_code == 503
    assert script.calls == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
def test_no_retry_on_other_statuses(status: int, sleeps: list[float]) -> None:
    script = Script(status, 201)
    with pytest.raises(hw_errors.ApiError):
        client(script).update_app(*HW_IDS, body=HW_BODY)
    assert script.calls == 1
    assert sleeps == []


def test_connection_errors_are_retried(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.ConnectError("refused"), 201)
    assert client(script).update_app(*HW_IDS, body=HW_BODY).id == APP["id"]
    assert script.calls == 3


def test_connection_errors_give_up_after_max_retries(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectError("refused"))
    with pytest.raises(httpx.ConnectError):
        client(script, retry=huawei_apig.RetryPolicy(max_retries=1)).update_app(*HW_IDS, body=HW_BODY)
    assert script.calls == 2


async def test_async_client_retries_too(sleeps: list[float]) -> None:
    script = Script(503, httpx.ConnectError("refused"), 201)
    policy = huawei_apig.RetryPolicy(jitter=0.0)
    async with huawei_apig.AsyncClient(
        "https://apig.test", token="t", transport=httpx.MockTransport(script), retry=policy
    ) as c:
        app = await c.update_app(*HW_IDS, body=HW_BODY)
    assert app.id == APP["id"]
    assert sleeps == [0.5, 1.0]


POST_SPEC = """
openapi: 3.1.0
info: {title: jobs, version: '1'}
paths:
  /jobs:
    post:
      operationId: create_job
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}}
    get:
      operationId: list_jobs
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Job'}}}}
components:
  schemas:
    Job: {type: object, required: [id], properties: {id: {type: string}}}
"""


@pytest.fixture(scope="module")
def jobs_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("jobs")
    (folder / "jobs_api_spec.yaml").write_text(POST_SPEC, encoding="utf-8")
    done = run_specfirst("generate", str(folder / "jobs_api_spec.yaml"), "--out", str(folder / "out"))
    assert done.returncode == 0, done.stderr
    yield from import_generated(folder / "out", "jobs_api_spec")


def test_post_is_never_retried(jobs_package: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(jobs_package._runtime, "sleep", slept.append)
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503, json={})

    api = jobs_package.Client("https://jobs.test", transport=httpx.MockTransport(handler))
    with pytest.raises(jobs_package.ApiError):
        api.create_job()
    assert calls == ["POST"]
    calls.clear()

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            raise httpx.ConnectError("refused")
        return httpx.Response(201, json={"id": "j1"})

    api = jobs_package.Client("https://jobs.test", transport=httpx.MockTransport(flaky))
    with pytest.raises(httpx.ConnectError):
        api.create_job()
    assert calls == ["POST"]
    assert slept == []


def test_get_is_retried_and_parses_a_list(jobs_package: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs_package._runtime, "sleep", lambda s: None)
    answers = iter([httpx.Response(502), httpx.Response(200, json=[{"id": "a"}, {"id": "b"}])])
    api = jobs_package.Client("https://jobs.test", transport=httpx.MockTransport(lambda r: next(answers)))
    jobs = api.list_jobs()
    assert [j.id for j in jobs] == ["a", "b"]


class SlowHandler(BaseHTTPRequestHandler):
    """Answers after a delay longer than the client's timeout."""

    hits = 0

    def do_PUT(self) -> None:
        type(self).hits += 1
        time.sleep(1.5)
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_timeout_is_enforced_on_a_real_socket(sleeps: list[float]) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with huawei_apig.Client(url, token="t", timeout=0.2) as c, pytest.raises(httpx.ReadTimeout):
            c.update_app(*HW_IDS, body=HW_BODY)
        assert SlowHandler.hits == 1  # a read timeout is not retried: the server may have acted
        with huawei_apig.Client(url, token="t") as c, pytest.raises(httpx.ReadTimeout):
            c.update_app(*HW_IDS, body=HW_BODY, timeout=0.2)  # per-call timeout
    finally:
        server.shutdown()
        server.server_close()


def test_default_timeout_is_set() -> None:
    c = huawei_apig.Client("https://apig.test")
    assert c.timeout == httpx.Timeout(30.0)
    assert c.http.timeout == httpx.Timeout(30.0)
