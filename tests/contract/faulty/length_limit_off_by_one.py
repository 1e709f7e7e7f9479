"""Huawei checks `len(remark) < 255` instead of `<= 255`: a valid 255-character remark is rejected with 400."""

from tests.contract.faulty.base import Exchange, serve


def before(ex: Exchange) -> None:
    data = ex.request_json()
    remark = data.get("remark") if isinstance(data, dict) else None
    if not ex.rainbond and isinstance(remark, str) and len(remark) == 255:
        ex.respond(400, {"error_code": "APIG.2012", "error_msg": "Invalid parameter value,parameterName:remark"})


if __name__ == "__main__":
    serve(before=before)
