"""Hostile requests on raw sockets: deep, huge, odd or cut-off requests get a documented answer (or, below HTTP,
a 400 and a closed connection), nothing echoes unbounded or raw control characters, and the server keeps going."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import jsonschema_rs
import pytest

from tests.reference.server import (
    APP_ID,
    HUAWEI_TOKEN,
    INSTANCE_ID,
    PROJECT_ID,
    RAINBOND_TOKEN,
    REGION_ID,
    Server,
    running,
)
from tests.reference.test_reference_http import APIG_ERROR, APP_INFO, FAIL, REGION, REGION_INFO

APP = f"/v2/{PROJECT_ID}/apigw/instances/{INSTANCE_ID}/apps/{APP_ID}".encode()
REGION_PATH = f"/openapi/v2/manage/regions/{REGION_ID}".encode()
MIB = 1024 * 1024
HUAWEI = b"X-Auth-Token: " + HUAWEI_TOKEN.encode() + b"\r\nContent-Type: application/json\r\n"
RAINBOND = b"Authorization: " + RAINBOND_TOKEN.encode() + b"\r\nContent-Type: application/json\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server logging at info level, so that what is logged at which level can be checked."""
    with running(tmp_path_factory.mktemp("hostile") / "ref.sqlite3", args=["--log-level", "info"]) as started:
        yield started


def port(server: Server) -> int:
    return int(server.base_url.rsplit(":", 1)[1])


def exchange(server: Server, head: bytes, body: bytes = b"", *, pieces: Iterable[bytes] = ()) -> bytes:
    """Send a request (head lines, then body or pieces) and read until the server closes; its raw answer."""
    with socket.create_connection(("127.0.0.1", port(server)), timeout=30) as sock:
        try:
            sock.sendall(head + b"\r\n" + body)
            for piece in pieces:
                sock.sendall(piece)
        except OSError:  # the server may answer and close before the client is done sending
            pass
        answer = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
    return answer


def put(target: bytes, headers: bytes, body: bytes | None = None, extra: bytes = b"") -> bytes:
    """A request head (and Content-Length when `body` is given); Connection: close, so the server ends it."""
    length = b"" if body is None else b"Content-Length: %d\r\n" % len(body)
    return b"PUT " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + extra + length


def parse(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((k.lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:]))
    return int(lines[0].split()[1]), headers, body


def documented(answer: bytes, status: int, validator: jsonschema_rs.Validator) -> dict[str, object]:
    code, headers, body = parse(answer)
    assert code == status, answer[:500]
    assert headers["content-type"] == "application/json"
    data = json.loads(body)
    validator.validate(data)
    return dict(data)


def deep(depth: int, open_: bytes = b"[", close: bytes = b"]", inner: bytes = b"") -> bytes:
    return open_ * depth + inner + close * depth


REGION_OPEN = json.dumps(REGION)[:-1].encode()
# (request target, auth headers, body, status, validator): each a body the server must refuse or accept as such
BODIES = [
    ("array-1000", APP, HUAWEI, b'{"name": "app_demo", "x": ' + deep(1000) + b"}", 400, APIG_ERROR),
    ("object-1000", APP, HUAWEI, b'{"x": ' + deep(1000, b'{"a": ', b"}", b"1") + b"}", 400, APIG_ERROR),
    ("array-100000", APP, HUAWEI, deep(100_000), 400, APIG_ERROR),
    ("known-field-1000", APP, HUAWEI, b'{"name": ' + deep(1000) + b"}", 400, APIG_ERROR),
    ("depth-900-ignored", APP, HUAWEI, b'{"name": "app_demo", "x": ' + deep(900) + b"}", 201, APP_INFO),
    ("integer-100000-digits", APP, HUAWEI, b'{"name": "app_demo", "x": ' + b"7" * 100_000 + b"}", 400, APIG_ERROR),
    ("nul-in-name", APP, HUAWEI, b'{"name": "app\\u0000demo"}', 400, APIG_ERROR),
    ("lone-surrogate", APP, HUAWEI, b'{"name": "app_\\ud800demo"}', 400, APIG_ERROR),
    ("exactly-1-mib", APP, HUAWEI, b'{"name": "app_demo", "x": "' + b"a" * (MIB - 29) + b'"}', 201, APP_INFO),
    ("rainbond-array-1000", REGION_PATH, RAINBOND, b'{"x": ' + deep(1000) + b"}", 400, FAIL),
    ("rainbond-integer-digits", REGION_PATH, RAINBOND, b'{"x": ' + b"7" * 100_000 + b"}", 400, FAIL),
    ("rainbond-field-1000", REGION_PATH, RAINBOND, REGION_OPEN + b', "url": ' + deep(1000) + b"}", 400, FAIL),
]  # fmt: skip


@pytest.mark.parametrize(
    ("target", "auth", "body", "status", "model"), [b[1:] for b in BODIES], ids=[b[0] for b in BODIES]
)
def test_bodies(
    server: Server, target: bytes, auth: bytes, body: bytes, status: int, model: jsonschema_rs.Validator
) -> None:
    assert len(body) <= MIB
    documented(exchange(server, put(target, auth, body), body), status, model)


@pytest.mark.parametrize(("target", "auth", "model"), [(APP, HUAWEI, APIG_ERROR), (REGION_PATH, RAINBOND, FAIL)])
def test_body_over_the_limit_is_refused_before_it_is_read(
    server: Server, target: bytes, auth: bytes, model: jsonschema_rs.Validator
) -> None:
    # announced: refused on the Content-Length alone (not one byte of the 100 MiB is sent)
    head = put(target, auth, extra=b"Content-Length: %d\r\n" % (100 * MIB))
    started = time.monotonic()
    answer = exchange(server, head)
    assert time.monotonic() - started < 10
    documented(answer, 400, model)
    assert parse(answer)[1]["connection"] == "close"
    # chunked: refused once what arrived passes 1 MiB; the client is cut off rather than read to the end
    pieces = (b"10000\r\n" + b" " * 65536 + b"\r\n" for _ in range(64))  # 4 MiB offered
    answer = exchange(server, put(target, auth, extra=b"Transfer-Encoding: chunked\r\n"), pieces=pieces)
    documented(answer, 400, model)
    # one byte over, announced
    body = b'{"x": "' + b"a" * (MIB - 8) + b'"}'
    assert len(body) == MIB + 1
    documented(exchange(server, put(target, auth, body), body), 400, model)


def test_echoed_ids_are_bounded_and_escaped(server: Server) -> None:
    prefix = f"/v2/{PROJECT_ID}/apigw/instances/{INSTANCE_ID}/apps/".encode()
    body = b'{"name": "app_demo"}'
    for app_id in (b"a" * 10_000, b"%0D%0ASet-Cookie:%20x=1%00", b"%E2%80%A8" + b"b" * 70):
        data = documented(exchange(server, put(prefix + app_id, HUAWEI, body), body), 404, APIG_ERROR)
        message = str(data["error_msg"])
        assert data["error_code"] == "APIG.3002" and len(message) < 120
        assert not re.search(r"[\r\n\0\u2028]", message), message
    target = f"/v2/{PROJECT_ID}/apigw/instances/".encode() + b"i" * 10_000 + b"/apps/" + APP_ID.encode()
    data = documented(exchange(server, put(target, HUAWEI, body), body), 404, APIG_ERROR)
    assert data["error_code"] == "APIG.3030" and len(str(data["error_msg"])) < 120


@pytest.mark.parametrize(
    ("target", "auth", "body", "status", "model"),
    [
        (b"http://127.0.0.1" + APP, HUAWEI, b'{"name": "app_demo"}', 201, APP_INFO),
        (b"HTTPS://example.com:8443" + APP, HUAWEI, b'{"name": "app_demo"}', 201, APP_INFO),
        (b"http://127.0.0.1" + REGION_PATH, RAINBOND, json.dumps(REGION).encode(), 200, REGION_INFO),
        (b"http://127.0.0.1/v2/nowhere", HUAWEI, b"{}", 404, APIG_ERROR),
    ],
    ids=["huawei", "https-authority", "rainbond", "unknown-route"],
)
def test_absolute_form_targets_are_served(
    server: Server, target: bytes, auth: bytes, body: bytes, status: int, model: jsonschema_rs.Validator
) -> None:
    documented(exchange(server, put(target, auth, body), body), status, model)


def test_a_client_that_disconnects_mid_body_is_an_info_line(server: Server) -> None:
    for target, auth in ((APP, HUAWEI), (REGION_PATH, RAINBOND)):
        with socket.create_connection(("127.0.0.1", port(server)), timeout=10) as sock:
            sock.sendall(put(target, auth, extra=b"Content-Length: 1000\r\n") + b'\r\n{"name": "app')
            time.sleep(0.2)
        deadline = time.monotonic() + 10
        while server.output().count("disconnected before the request ended") < (1 if target == APP else 2):
            assert time.monotonic() < deadline, server.output()[-2000:]
            time.sleep(0.05)
    lines = [line for line in server.output().splitlines() if "disconnected" in line]
    assert all(line.startswith("INFO ") for line in lines), lines


@pytest.mark.parametrize(
    "extra",
    [
        b"X-Big: " + b"a" * (5 * MIB) + b"\r\n",
        b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(20_000)),
        b"Cookie: " + b"c=" * (1 * MIB) + b"\r\n",
    ],
    ids=["one-5-mib-header", "20000-headers", "1-mib-cookie"],
)
def test_several_megabytes_of_headers(server: Server, extra: bytes) -> None:
    body = b'{"name": "app_demo"}'
    started = time.monotonic()
    code, headers, _ = parse(exchange(server, put(APP, HUAWEI, body, extra), body))
    assert code == 400 and headers.get("connection") == "close"
    assert time.monotonic() - started < 20
    ok = b'{"name": "app_demo"}'  # and the server goes on serving
    documented(exchange(server, put(APP, HUAWEI, ok), ok), 201, APP_INFO)


@pytest.mark.parametrize(
    ("request_", "status"),
    [
        (b"PUT " + APP + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n", 400),
        (b"PUT " + APP + b" HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n", 400),
        (b"PUT " + APP + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n", 400),
        (b"PUT /v2/\x00/x HTTP/1.1\r\nHost: x\r\n", 400),
        (b"P\xffT " + APP + b" HTTP/1.1\r\nHost: x\r\n", 400),
        (b"PUT " + APP + b" HTTP/1.1\r\nHost: x\r\nX-Bad\r\n", 400),
    ],
    ids=["two-lengths", "negative-length", "huge-length", "nul-in-target", "bad-method", "header-no-colon"],
)
def test_malformed_http_is_a_400_and_a_closed_connection(server: Server, request_: bytes, status: int) -> None:
    code, headers, _ = parse(exchange(server, request_))
    assert code == status and headers.get("connection") == "close"


def test_nothing_was_logged_as_an_error(server: Server) -> None:  # runs last in this module
    output = server.output()
    assert "ERROR" not in output and "Traceback" not in output, output[-3000:]
    assert server.process.poll() is None


def test_the_body_limit_is_configurable(tmp_path: Path) -> None:
    body = b'{"name": "app_demo", "remark": "' + b"r" * 100 + b'"}'
    with running(tmp_path / "ref.sqlite3", args=["--max-body-bytes", "100"]) as small:
        documented(exchange(small, put(APP, HUAWEI, body), body), 400, APIG_ERROR)
        documented(exchange(small, put(APP, HUAWEI, body[:60] + b'"}'), body[:60] + b'"}'), 201, APP_INFO)
