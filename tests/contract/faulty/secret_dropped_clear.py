"""Rainbond accepts `token` and silently does not store it: the old token is echoed back in clear."""

import json

from tests.contract.faulty.base import Exchange, serve


def before(ex: Exchange) -> None:
    data = ex.request_json()
    if ex.rainbond and ex.method == "PUT" and isinstance(data, dict) and isinstance(data.get("token"), str):
        data.pop("token")
        ex.body = json.dumps(data).encode()
        ex.headers["content-length"] = str(len(ex.body))


if __name__ == "__main__":
    serve(before=before)
