"""Rainbond answers an undeclared DELETE with 200 and deletes the region (a framework's default viewset)."""

from tests.contract.faulty.base import Exchange, serve


def before(ex: Exchange) -> None:
    if ex.rainbond and ex.method == "DELETE":
        ex.respond(200, {"msg": "deleted"})


if __name__ == "__main__":
    serve(before=before)
