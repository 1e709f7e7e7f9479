"""No fault: the reference app plus the documented GET of a Rainbond region (read from the same SQLite file),
for the snapshot-and-restore and --readonly tests (tests/contract/specs/ adds the GET to the spec)."""

import sqlite3
import sys

from tests.contract.faulty.base import RAINBOND, Exchange, serve

DB = sys.argv[sys.argv.index("--db") + 1]
FIELDS = ("region_id", "region_name", "region_alias", "url", "token", "wsurl", "httpdomain", "tcpdomain", "scope",
          "ssl_ca_cert", "cert_file", "key_file", "status", "desc")  # fmt: skip


def before(ex: Exchange) -> None:
    if ex.method != "GET" or not ex.path.startswith(RAINBOND + "v2/manage/regions/"):
        return
    if ex.headers.get("authorization") != "dev-rainbond-token":
        ex.respond(401, {"msg": "No token"})
        return
    region_id = ex.path.rsplit("/", 1)[-1]
    with sqlite3.connect(DB) as db:
        columns = ", ".join(f'"{f}"' for f in FIELDS)
        row = db.execute(f"SELECT {columns} FROM rainbond_region WHERE region_id = ?", (region_id,)).fetchone()
    if row is None:
        ex.respond(404, {"msg": "数据中心不存在"})
    else:
        ex.respond(200, dict(zip(FIELDS, row, strict=True)))


def after(ex: Exchange) -> None:
    if ex.status == 405 and ex.path.startswith(RAINBOND + "v2/manage/regions/"):
        ex.response_headers["allow"] = "GET, PUT"


if __name__ == "__main__":
    serve(before=before, after=after)
