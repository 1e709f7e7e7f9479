"""Three independent faults in Huawei: `remark` is not applied, `status` comes back as a string, and 400 bodies
carry a Python traceback; the report must show exactly three causes, however often each is seen."""

import json

from tests.contract.faulty.base import Exchange, serve

TRACE = "Traceback (most recent call last):\n  File \"/srv/apig/views.py\", line 12, in put\nKeyError: 'name'"


def before(ex: Exchange) -> None:
    data = ex.request_json()
    if (
        not ex.rainbond
        and isinstance(data, dict)
        and isinstance(data.get("remark"), str)
        and len(data["remark"]) <= 255
    ):
        data.pop("remark")
        ex.body = json.dumps(data).encode()
        ex.headers["content-length"] = str(len(ex.body))


def after(ex: Exchange) -> None:
    data = ex.response_json()
    if ex.status == 201 and isinstance(data, dict):
        data["status"] = str(data.get("status"))
        ex.respond(201, data)
    elif ex.status == 400:
        ex.respond(400, {"error_code": "APIG.2012", "error_msg": TRACE})


if __name__ == "__main__":
    serve(before=before, after=after)
