"""Huawei success answers are labelled text/plain although the body is JSON."""

from tests.contract.faulty.base import Exchange, serve


def after(ex: Exchange) -> None:
    if not ex.rainbond and ex.status == 201:
        ex.response_headers["content-type"] = "text/plain; charset=utf-8"


if __name__ == "__main__":
    serve(after=after)
