"""Huawei accepts a new `app_secret` but keeps the old one: the echo is masked (`416************ab8`) and stale."""

import json

from tests.contract.faulty.base import Exchange, serve


def before(ex: Exchange) -> None:
    data = ex.request_json()
    if not ex.rainbond and isinstance(data, dict) and "app_secret" in data:
        data.pop("app_secret")
        ex.body = json.dumps(data).encode()
        ex.headers["content-length"] = str(len(ex.body))


if __name__ == "__main__":
    serve(before=before)
