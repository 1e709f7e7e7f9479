"""What the server prints: dev tokens only when they are the defaults; never a configured token or a secret."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.reference.server import (
    APP_ID,
    CORRUPT_APP_ID,
    HUAWEI_READONLY_TOKEN,
    HUAWEI_TOKEN,
    INSTANCE_ID,
    PROJECT_ID,
    RAINBOND_TOKEN,
    REGION_ID,
    running,
)

TOKENS = {
    "REFERENCE_HUAWEI_TOKEN": "tok-huawei-Zq81",
    "REFERENCE_HUAWEI_READONLY_TOKEN": "tok-readonly-Xk27",
    "REFERENCE_RAINBOND_TOKEN": "tok-rainbond-Wp55",
}
APP_SECRET = "AppSecret-Vn93-xyz"
REGION_SECRETS = {"token": "region-token-Lm40", "key_file": "PRIVATE-KEY-Qa11", "cert_file": "CERT-Ru62"}


def test_configured_tokens_and_secrets_never_reach_the_log(tmp_path: Path) -> None:
    with running(tmp_path / "ref.sqlite3", env=TOKENS, args=["--access-log", "--log-level", "debug"]) as server:
        url = server.base_url
        app = f"/v2/{PROJECT_ID}/apigw/instances/{INSTANCE_ID}/apps/"
        body = {"name": "app_demo", "app_secret": APP_SECRET}
        seen: set[int] = set()
        for token in (*TOKENS.values(), "wrong-token-Hh12"):
            for app_id in (APP_ID, CORRUPT_APP_ID, "missing"):
                seen.add(httpx.put(url + app + app_id, json=body, headers={"X-Auth-Token": token}).status_code)
            httpx.put(url + app + APP_ID, content=b"{bad", headers={"X-Auth-Token": token})
            region = {
                "region_alias": "a", "url": "http://a.example.com", "wsurl": "ws://a.example.com",
                "httpdomain": "h", "tcpdomain": "t", "status": "1", **REGION_SECRETS,
            }  # fmt: skip
            for region_body in (region, {"token": 1}):
                where = url + f"/openapi/v2/manage/regions/{REGION_ID}"
                seen.add(httpx.put(where, json=region_body, headers={"Authorization": token}).status_code)
        assert seen == {200, 201, 400, 401, 403, 404, 500}
        output = server.output()
    assert "PUT /v2/" in output and "201" in output  # the access log is on, and says something
    for secret in (*TOKENS.values(), APP_SECRET, *REGION_SECRETS.values(), "wrong-token-Hh12"):
        assert secret not in output
    for default in (HUAWEI_TOKEN, HUAWEI_READONLY_TOKEN, RAINBOND_TOKEN):
        assert default not in output
    assert "Traceback" not in output


def test_dev_defaults_are_printed(tmp_path: Path) -> None:
    with running(tmp_path / "ref.sqlite3") as server:
        output = server.output()
    for default in (HUAWEI_TOKEN, HUAWEI_READONLY_TOKEN, RAINBOND_TOKEN):
        assert default in output
