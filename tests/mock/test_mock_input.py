"""Bad input to the commands (one line, exit 2) and hostile requests to the servers (bounded, documented answers)."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from tests.conftest import run_specfirst
from tests.mock.servers import HUAWEI, HUAWEI_APP, HUAWEI_APPS, HUAWEI_TOKEN, serving
from tests.reference.server import free_port

APP_URL = f"{HUAWEI_APPS}/{HUAWEI_APP}"
AUTH = {"X-Auth-Token": HUAWEI_TOKEN}


def _one_line(done):
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_a_bad_spec_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a: [unclosed\n")
    line = _one_line(run_specfirst("mock", str(bad), "--port", "0"))
    assert "bad.yaml:" in line


def test_a_busy_port_is_one_line_and_exit_2():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        line = _one_line(run_specfirst("mock", str(HUAWEI), "--port", str(port)))
    assert f"127.0.0.1:{port}" in line and "in use" in line


def test_an_unreachable_upstream_is_one_line_and_exit_2():
    line = _one_line(run_specfirst("proxy", str(HUAWEI), "--upstream", f"http://127.0.0.1:{free_port()}"))
    assert "not reachable" in line


@pytest.fixture(scope="module")
def mock():
    with serving("mock", str(HUAWEI), "--token", HUAWEI_TOKEN, "--max-body", "65536", "--body-timeout", "1") as running:
        yield running


def _violation(response: httpx.Response) -> str:
    return response.headers.get("x-specfirst-violation", "")


def test_documented_errors_name_the_rule(mock):
    with httpx.Client(base_url=mock.url, timeout=30) as client:
        missing = client.put(APP_URL, json={"name": "app_ok"})
        assert missing.status_code == 401 and missing.json()["error_code"] == "APIG.1002"
        assert _violation(missing).startswith("ignored_auth:")
        short = client.put(APP_URL, json={"name": "ab"}, headers=AUTH)
        assert short.status_code == 400 and short.json()["error_code"] == "APIG.2012"
        assert _violation(short).startswith("negative_data_rejection:") and "name" in _violation(short)
        method = client.get(APP_URL, headers=AUTH)
        assert method.status_code == 405 and method.headers["allow"] == "PUT"
        unknown = client.get("/no/such/path")
        assert unknown.status_code == 404
        preferred = client.put(APP_URL, json={"name": "app_ok"}, headers={**AUTH, "Prefer": "code=404"})
        assert preferred.status_code == 404 and preferred.json()["error_code"] == "APIG.3002"
    assert "negative_data_rejection: request body: name" in mock.log()


def test_hostile_bodies_get_the_documented_400_never_a_500(mock):
    deep = "[" * 1000 + "]" * 1000
    bodies = [
        deep.encode(),
        json.dumps({"name": "app_ok", "remark": json.loads("[" * 300 + "]" * 300)}).encode(),
        b"\xff\xfe not utf-8",
        b'{"name": "app_ok"',
        b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
    ]
    with httpx.Client(base_url=mock.url, timeout=30) as client:
        for body in bodies:
            r = client.put(APP_URL, content=body, headers={**AUTH, "content-type": "application/json"})
            assert r.status_code == 400 and r.json()["error_code"] == "APIG.2012", (body[:40], r.text)
        big = client.put(APP_URL, content=b"x" * 200_000, headers={**AUTH, "content-type": "application/json"})
        assert big.status_code == 400 and "larger than 65536" in _violation(big)
        wrong_type = client.put(APP_URL, content=b"name=app_ok", headers={**AUTH, "content-type": "text/csv"})
        assert wrong_type.status_code == 400 and "media type" in _violation(wrong_type)
        long_id = client.put(f"{HUAWEI_APPS}/{'a' * 10_000}", json={"name": "app_ok"}, headers=AUTH)
        assert long_id.status_code == 404 and len(long_id.content) < 1000
        absolute = client.put(f"{mock.url}{APP_URL}", json={"name": "app_abs"}, headers=AUTH)
        assert absolute.status_code == 201


def _raw(mock, data: bytes, pause: float = 0.0, tail: bytes = b"") -> bytes:
    port = int(mock.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(data)
        except OSError:  # the server may refuse (answer and close) before reading everything
            pass
        if pause:
            time.sleep(pause)
            try:
                sock.sendall(tail)
            except OSError:
                pass
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_huge_headers_and_slow_clients_are_refused(mock):
    header = b"X-Big: " + b"a" * (4 * 1024 * 1024) + b"\r\n"
    answer = _raw(mock, b"PUT " + APP_URL.encode() + b" HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n")
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:200]  # refused: 4xx, or closed
    head = f"PUT {APP_URL} HTTP/1.1\r\nHost: x\r\nX-Auth-Token: {HUAWEI_TOKEN}\r\n"
    head += "Content-Type: application/json\r\nContent-Length: 40\r\nConnection: close\r\n\r\n"
    slow = _raw(mock, head.encode() + b'{"name":', pause=2.5, tail=b' "app_slow"}')
    assert slow.startswith(b"HTTP/1.1 400"), slow[:200]
    assert b"APIG.2012" in slow
    with httpx.Client(base_url=mock.url, timeout=30) as client:  # still serving
        assert client.put(APP_URL, json={"name": "app_after"}, headers=AUTH).status_code == 201
