"""Unknown ids get the framework's HTML 404 page instead of the documented JSON error body."""

from tests.contract.faulty.base import Exchange, serve

PAGE = b"<!DOCTYPE html><html><head><title>Page not found</title></head><body><h1>Not Found</h1></body></html>"


def after(ex: Exchange) -> None:
    if ex.status == 404:
        ex.respond(404, PAGE, "text/html; charset=utf-8")


if __name__ == "__main__":
    serve(after=after)
