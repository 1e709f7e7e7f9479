"""Huawei crashes on a valid non-ASCII name (a latin-1 column): 500 with the framework's error page."""

from tests.contract.faulty.base import Exchange, serve


def before(ex: Exchange) -> None:
    data = ex.request_json()
    name = data.get("name") if isinstance(data, dict) else None
    if not ex.rainbond and isinstance(name, str) and not name.isascii():
        ex.respond(500, b"Internal Server Error", "text/plain; charset=utf-8")


if __name__ == "__main__":
    serve(before=before)
