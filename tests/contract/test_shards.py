"""Shards and workers: the union of N shards sends exactly the unsharded run's requests, contract-merge of their
reports equals the unsharded report, and --workers changes how fast, not what is sent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_specfirst
from tests.contract.servers import HUAWEI, contract, serving
from tests.reference.server import Server

STEM = Path(HUAWEI).stem
SAME = ("coverage.json", "coverage.txt", "failures.json", "junit.xml")
ARGS = ("--max-examples", "20", "--phases", "examples,coverage,fuzzing,edges,probes")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("shards")
    log = tmp / "requests.log"
    with serving("tests.contract.faulty.recording", tmp / "ref.sqlite3", {"FAULTY_REQUEST_LOG": str(log)}) as s:
        yield s, log


def _sent(log: Path, run: object) -> Counter[str]:
    """The requests `run()` sent (every line the server logged meanwhile), but the reachability GET of the base URL."""
    before = len(log.read_text().splitlines()) if log.exists() else 0
    run()  # type: ignore[operator]
    return Counter(line for line in log.read_text().splitlines()[before:] if not line.startswith("GET / "))


def test_shards_partition_the_run_and_merge_into_its_report(server: tuple[Server, Path], tmp_path: Path) -> None:
    s, log = server
    results = {}

    def go(name: str, *extra: str) -> None:
        results[name] = contract(HUAWEI, s.base_url, *ARGS, *extra, report=tmp_path / name)

    whole = _sent(log, lambda: go("whole"))
    parts = [_sent(log, lambda k=k: go(f"shard{k}", "--shard", f"{k}/2", "--workers", "2")) for k in (1, 2)]
    assert all(r.returncode == 0 for r in results.values()), [r.stdout + r.stderr for r in results.values()]
    assert all(parts) and sum(parts, Counter()) == whole
    merged = run_specfirst("contract-merge", str(tmp_path / "shard1"), str(tmp_path / "shard2"),
                           "--report", str(tmp_path / "merged"))  # fmt: skip
    assert merged.returncode == 0, merged.stdout + merged.stderr
    for suffix in SAME:
        name = f"{STEM}.{suffix}"
        assert (tmp_path / "merged" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    whole_lines = _summary(results["whole"].stdout)
    merged_lines = _summary(merged.stdout)
    assert merged_lines[1:] == whole_lines[1:]
    # the same first line, but that each shard checked the server is reachable with its own GET of the base URL
    total = int(whole_lines[0].split(": ")[1].split()[0])
    expected = whole_lines[0].replace(f": {total} requests", f": {total + 1} requests")
    assert merged_lines[0] == expected.replace("outside the spec's paths 1", "outside the spec's paths 2")


def _summary(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("specfirst contract "))
    end = next(i for i, line in enumerate(lines) if line.startswith("reports: "))
    return lines[start:end]


def test_shard_option_is_checked() -> None:
    result = run_specfirst("contract", HUAWEI, "--base-url", "http://127.0.0.1:9", "--shard", "3/2")
    assert result.returncode == 2 and "--shard expects K/N" in result.stderr
