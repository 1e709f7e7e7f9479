"""Huawei refuses every request with 401, as a server does when the run's token is wrong or expired."""

from tests.contract.faulty.base import Exchange, serve


def before(ex: Exchange) -> None:
    ex.respond(401, {"error_code": "APIG.1002", "error_msg": "Incorrect token or token resolution failed"})


if __name__ == "__main__":
    serve(before=before)
