"""Huawei validation switched off: a body the app rejects with 400 is answered 201 with the stored app."""

from tests.contract.faulty.base import Exchange, serve

APP = {
    "id": "356de8eb7a8742168586e5daf5339965",
    "name": "app_demo",
    "remark": "Demo app",
    "creator": "USER",
    "update_time": "2020-08-03T13:21:48Z",
    "app_key": "ee8f878c252747028f07eb116c2cd91b",
    "app_secret": "416************ab8",
    "register_time": "2020-08-03T13:09:13",
    "status": 1,
    "app_type": "apig",
}


def after(ex: Exchange) -> None:
    if not ex.rainbond and ex.status == 400:
        ex.respond(201, APP)


if __name__ == "__main__":
    serve(after=after)
