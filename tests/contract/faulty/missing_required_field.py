"""Rainbond region answer lacks the required `region_name`."""

from tests.contract.faulty.base import Exchange, serve


def after(ex: Exchange) -> None:
    data = ex.response_json()
    if ex.rainbond and ex.status == 200 and isinstance(data, dict):
        data.pop("region_name", None)
        ex.respond(200, data)


if __name__ == "__main__":
    serve(after=after)
