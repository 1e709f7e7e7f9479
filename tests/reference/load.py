"""Write load on the reference server, and what the answers and the database file show afterwards.

Clients are coroutines on raw keep-alive HTTP/1.1 connections (cheap enough that the load generator does not
decide the figures); every one updates the same seeded Huawei app with a remark of its own, `c<client>-<n>`.
Used by tests/reference/test_reference_load.py at small sizes and by bench/reliability.py at large ones.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tests.reference.server import APP_ID, HUAWEI_TOKEN, INSTANCE_ID, PROJECT_ID

APP_PATH = f"/v2/{PROJECT_ID}/apigw/instances/{INSTANCE_ID}/apps/{APP_ID}"
HEAD = (
    f"PUT {APP_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: {HUAWEI_TOKEN}\r\n"
    "Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
)


@dataclass(frozen=True)
class Reply:
    """One acknowledged (or refused) write, as its client saw it; times are time.monotonic() in this process."""

    client: int
    sent: float
    received: float
    status: int
    remark: str  # what the client wrote
    echoed: str  # the remark in the reply body ("" when the reply has none)
    update_time: str  # the reply's update_time ("" when none)

    @property
    def latency(self) -> float:
        return self.received - self.sent


async def _client(port: int, client: int, count: int | None, replies: list[Reply]) -> None:
    """`count` writes (None: until the server goes away), one after another on one connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = 0
    try:
        while count is None or n < count:
            remark = f"c{client}-{n}"
            body = json.dumps({"name": "app_demo", "remark": remark}).encode()
            sent = time.monotonic()
            writer.write(HEAD.format(length=len(body)).encode() + body)
            status_line = await reader.readline()
            if not status_line:
                return
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            data = json.loads(await reader.readexactly(length))
            received = time.monotonic()
            status = int(status_line.split()[1])
            echoed, stamp = str(data.get("remark", "")), str(data.get("update_time", ""))
            replies.append(Reply(client, sent, received, status, remark, echoed, stamp))
            n += 1
    except (ConnectionError, asyncio.IncompleteReadError):
        if count is not None:
            raise
    finally:
        writer.close()


def run_load(port: int, clients: int, count: int | None, *, stop_after: float | None = None) -> list[Reply]:
    """`clients` concurrent clients writing `count` times each (None: until the server dies or `stop_after`
    seconds pass); every reply received, in the order received."""
    replies: list[Reply] = []

    async def main() -> None:
        tasks = [asyncio.create_task(_client(port, c, count, replies)) for c in range(clients)]
        if stop_after is None:
            await asyncio.gather(*tasks)
            return
        await asyncio.wait(tasks, timeout=stop_after)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    return replies


def overtaken(replies: list[Reply]) -> list[int]:
    """For each reply (in send order): how many requests sent after it were answered before it."""
    ordered = sorted(replies, key=lambda r: r.sent)
    ranks = {v: i + 1 for i, v in enumerate(sorted(r.received for r in ordered))}
    tree = [0] * (len(ordered) + 1)  # a Fenwick tree over receive ranks of the requests sent later
    counts = []
    for reply in reversed(ordered):
        rank, seen = ranks[reply.received], 0
        i = rank - 1
        while i > 0:
            seen += tree[i]
            i -= i & -i
        counts.append(seen)
        i = rank
        while i < len(tree):
            tree[i] += 1
            i += i & -i
    return counts[::-1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def stored_app(db: Path) -> tuple[str, str]:
    """(remark, update_time) of the app in the database file, read directly (recovering the WAL if needed)."""
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT remark, update_time FROM apig_app WHERE id = ?", (APP_ID,)).fetchone()
    return str(row[0]), str(row[1])


def integrity(db: Path) -> str:
    """PRAGMA integrity_check of the file: "ok" when it is sound."""
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
