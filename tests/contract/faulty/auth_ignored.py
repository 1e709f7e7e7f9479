"""Rainbond never checks the token: a request without one or with a wrong one is served as if authorized."""

from reference.settings import from_environment
from tests.contract.faulty.base import Exchange, serve

TOKEN = from_environment().rainbond_token.get_secret_value()


def before(ex: Exchange) -> None:
    if ex.rainbond:
        ex.headers["authorization"] = TOKEN


if __name__ == "__main__":
    serve(before=before)
