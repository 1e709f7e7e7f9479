"""Concurrent writes and kill -9 at small sizes (bench/reliability.py runs the large ones): no cross-talk, first
come first served, the last acknowledged write is what is stored, timestamps in commit order, a sound file."""

from __future__ import annotations

import random
import threading
from pathlib import Path

from tests.reference.load import integrity, overtaken, run_load, stored_app
from tests.reference.server import running, start

CLIENTS = 8


def _port(base_url: str) -> int:
    return int(base_url.rsplit(":", 1)[1])


def test_concurrent_writes_are_served_in_order_and_stamped_in_commit_order(tmp_path: Path) -> None:
    db = tmp_path / "ref.sqlite3"
    with running(db) as server:
        replies = run_load(_port(server.base_url), CLIENTS, 30)
    assert len(replies) == CLIENTS * 30 and {r.status for r in replies} == {201}
    assert [r for r in replies if r.echoed != r.remark] == []  # every reply is its own request's write
    assert max(overtaken(replies)) <= 2 * CLIENTS  # first come, first served (was 100+ with lock waiting)
    stamps = sorted(r.update_time for r in replies)
    assert len(set(stamps)) == len(stamps)
    # timestamps agree with real time: a write acknowledged before another was sent has the older stamp ...
    by_sent = sorted(replies, key=lambda r: r.sent)
    for reply in replies:
        later = [r for r in by_sent if r.sent > reply.received]
        assert all(r.update_time > reply.update_time for r in later)
    # ... and with the stored order: the stored row is the write with the newest stamp, none newer than it
    remark, stamp = stored_app(db)
    newest = max(replies, key=lambda r: r.update_time)
    assert (remark, stamp) == (newest.remark, newest.update_time)
    assert integrity(db) == "ok"


def test_kill_9_mid_load_keeps_the_file_sound_and_every_acknowledged_write(tmp_path: Path) -> None:
    db = tmp_path / "ref.sqlite3"
    rng = random.Random(16)
    acknowledged = 0
    for _ in range(3):
        server = start(db)
        killer = threading.Timer(rng.uniform(0.3, 1.0), server.process.kill)
        killer.start()
        replies = run_load(_port(server.base_url), CLIENTS, None, stop_after=60)
        killer.join()
        server.process.wait()
        assert replies and {r.status for r in replies} == {201}
        acknowledged += len(replies)
        assert integrity(db) == "ok"
        remark, stamp = stored_app(db)
        newest = max(r.update_time for r in replies)
        assert stamp >= newest, "an acknowledged write was lost"
        assert remark.startswith("c")  # one of the writes, whole
    assert acknowledged >= 3 * CLIENTS
    with running(db) as server:  # and the server starts on it again and writes
        assert {r.status for r in run_load(_port(server.base_url), 1, 2)} == {201}
