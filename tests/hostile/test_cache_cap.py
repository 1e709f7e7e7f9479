"""The cache folder stays under its size cap, the least recently used entries going first."""

from __future__ import annotations

import os
from pathlib import Path

from generator.cache import EVICT_EVERY, Cache, key


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.glob("*/*"))


def test_the_folder_is_kept_under_its_cap_and_the_recent_entries_stay(tmp_path: Path) -> None:
    cap = 1024 * 1024
    cache = Cache(tmp_path / "cache", max_bytes=cap)
    names = [key("test", n) for n in range(200)]
    payload = os.urandom(20 * 1024)
    for number, name in enumerate(names):
        cache.put(name, payload)
        os.utime(cache.root / name[-2:] / name, (1e9 + number, 1e9 + number))  # written in this order
        assert _size(cache.root) <= cap + cap // EVICT_EVERY + len(payload) + 1024  # over by a sixteenth at most
    assert cache.get(names[-1]) == payload  # the latest entries are there
    assert cache.get(names[0]) is None  # the oldest are gone
    assert len(list(cache.root.glob("*/*"))) < len(names)


def test_a_read_entry_is_kept_over_older_ones(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache", max_bytes=200 * 1024)
    first = key("test", "first")
    cache.put(first, os.urandom(50 * 1024))
    for number in range(40):
        assert cache.get(first) is not None  # used: recently, so kept
        cache.put(key("test", number), os.urandom(50 * 1024))
    assert cache.get(first) is not None
