"""Rainbond 400 bodies carry a Python traceback in `msg` (debug error pages left on in production)."""

from tests.contract.faulty.base import Exchange, serve

TRACE = (
    "Traceback (most recent call last):\n"
    '  File "/srv/console/console/views/region.py", line 88, in put\n'
    "KeyError: 'region_alias'"
)


def after(ex: Exchange) -> None:
    if ex.rainbond and ex.status == 400:
        ex.respond(400, {"msg": TRACE})


if __name__ == "__main__":
    serve(after=after)
