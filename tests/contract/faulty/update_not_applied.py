"""Huawei silently ignores `remark` in an update: 201, but the stored (and returned) remark is unchanged."""

import json

from tests.contract.faulty.base import Exchange, serve


def before(ex: Exchange) -> None:
    data = ex.request_json()
    if not ex.rainbond and isinstance(data, dict) and "remark" in data and "name" in data:
        data.pop("remark")
        ex.body = json.dumps(data).encode()
        ex.headers["content-length"] = str(len(ex.body))


if __name__ == "__main__":
    serve(before=before)
