"""Huawei AppInfo.status comes back as a string ("1") instead of an integer."""

from tests.contract.faulty.base import Exchange, serve


def after(ex: Exchange) -> None:
    data = ex.response_json()
    if not ex.rainbond and ex.status == 201 and isinstance(data, dict):
        data["status"] = str(data.get("status"))
        ex.respond(201, data)


if __name__ == "__main__":
    serve(after=after)
