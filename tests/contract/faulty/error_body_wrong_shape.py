"""Rainbond 400 bodies use `{"detail": [...]}` instead of the documented Fail `{"msg": ...}`."""

from tests.contract.faulty.base import Exchange, serve


def after(ex: Exchange) -> None:
    data = ex.response_json()
    if ex.rainbond and ex.status == 400 and isinstance(data, dict):
        ex.respond(400, {"detail": [{"loc": ["body"], "msg": data.get("msg", "invalid")}]})


if __name__ == "__main__":
    serve(after=after)
