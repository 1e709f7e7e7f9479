"""Huawei remark column is one character too short in the database: a valid remark of 200-255 characters answers 500."""

from tests.contract.faulty.base import Exchange, serve


def before(ex: Exchange) -> None:
    data = ex.request_json()
    remark = data.get("remark") if isinstance(data, dict) else None
    if not ex.rainbond and isinstance(remark, str) and 200 <= len(remark) <= 255:
        if ex.headers.get("x-auth-token") == "dev-huawei-token":
            ex.respond(500, {"error_code": "APIG.9999", "error_msg": "System error"})


if __name__ == "__main__":
    serve(before=before)
