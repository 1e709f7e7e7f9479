"""A file system that refuses (no space, read-only, permission denied, a file in the way) is one line naming the
path and its cause, exit 2, no traceback, and the output folder exactly as it was with no staging left behind.

No space and read-only use a small tmpfs mounted for the test (the suite runs as root in its container);
permission denied drops the capabilities that let root write anywhere (setpriv, util-linux)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import GENERATED, SPEC_DIR, run_specfirst

HUAWEI = SPEC_DIR / "huawei-apig.yaml"
NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _one_line(done: subprocess.CompletedProcess[str], path: Path | str, cause: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert str(path) in done.stderr and cause in done.stderr, done.stderr


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """huawei-apig.yaml with a changed summary, so that its package and docs pages must be written again."""
    spec = tmp_path_factory.mktemp("spec") / HUAWEI.name
    spec.write_text(HUAWEI.read_text(encoding="utf-8").replace("修改APP", "修改APP（新）", 1), encoding="utf-8")
    return spec


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs holding out/ (a copy of generated/huawei_apig and generated/docs)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)], check=True)
    try:
        for name in ("huawei_apig", "docs"):
            shutil.copytree(GENERATED / name, mount / "out" / name)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(mount: Path, leave: int) -> None:
    """Take all the free space of `mount` but `leave` bytes."""
    stat = os.statvfs(mount)
    (mount / "filler").write_bytes(b"\0" * max(0, stat.f_bavail * stat.f_frsize - leave))


# the staging copy of out/ is hard links (no space); the package's files run out of space first, then the docs'
@pytest.mark.parametrize("leave", [8 * 1024, 64 * 1024], ids=["build", "docs"])
def test_no_space_left(tmpfs: Path, changed: Path, leave: int) -> None:
    out = tmpfs / "out"
    before = _tree(out)
    _fill(tmpfs, leave)
    done = run_specfirst("generate", str(changed), "--out", str(out))
    _one_line(done, tmpfs, "No space left on device (ENOSPC)")
    assert _tree(out) == before
    assert sorted(p.name for p in tmpfs.iterdir()) == ["filler", "out"]  # no staging left


def test_no_space_left_for_docs(tmpfs: Path, changed: Path) -> None:
    docs = tmpfs / "out" / "docs"
    before = _tree(docs)
    _fill(tmpfs, 8 * 1024)
    done = run_specfirst("docs", str(changed), "--out", str(docs))
    _one_line(done, docs, "No space left on device (ENOSPC)")
    assert _tree(docs) == before
    assert sorted(p.name for p in docs.parent.iterdir()) == ["docs", "huawei_apig"]


def test_read_only_file_system(tmpfs: Path, changed: Path) -> None:
    out = tmpfs / "out"
    before = _tree(out)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    _one_line(run_specfirst("generate", str(changed), "--out", str(out)), tmpfs, "Read-only file system (EROFS)")
    _one_line(run_specfirst("docs", str(changed), "--out", str(out / "docs")), out, "(EROFS)")
    assert _tree(out) == before


def test_permission_denied(tmp_path: Path, changed: Path) -> None:
    parent = tmp_path / "locked"
    shutil.copytree(GENERATED / "huawei_apig", parent / "out" / "huawei_apig")
    before = _tree(parent)
    parent.chmod(0o555)
    try:
        done = subprocess.run(
            [*NO_DAC, "env", f"PYTHONPATH={GENERATED}:{GENERATED.parent}", sys.executable, "-m", "specfirst",
             "generate", str(changed), "--out", str(parent / "out")],
            cwd=GENERATED.parent, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    finally:
        parent.chmod(0o755)
    _one_line(done, parent, "Permission denied (EACCES)")
    assert _tree(parent) == before


def test_a_file_in_the_way(tmp_path: Path, changed: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder\n")
    for args in (
        ["generate", str(changed), "--out", str(blocker)],
        ["generate", str(changed), "--out", str(blocker / "out")],
        ["docs", str(changed), "--out", str(blocker)],
        ["check", str(changed), "--out", str(blocker)],
    ):
        _one_line(run_specfirst(*args), blocker, "Not a directory (ENOTDIR)")
        assert blocker.read_bytes() == b"not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
