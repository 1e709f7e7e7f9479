"""Huawei update answers 200 instead of the documented 201."""

from tests.contract.faulty.base import Exchange, serve


def after(ex: Exchange) -> None:
    if not ex.rainbond and ex.status == 201:
        ex.status = 200


if __name__ == "__main__":
    serve(after=after)
