"""Rainbond answers invalid bodies with an undocumented 422 (a framework default) instead of 400."""

from tests.contract.faulty.base import Exchange, serve


def after(ex: Exchange) -> None:
    if ex.rainbond and ex.status == 400:
        ex.respond(422, {"msg": "Unprocessable Entity"})


if __name__ == "__main__":
    serve(after=after)
