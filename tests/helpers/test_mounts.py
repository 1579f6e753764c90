"""Self-tests of tests/mounts.py: real full and read-only file systems in a child with
mounts of its own, for root and an ordinary user alike, leaving nothing behind."""

from __future__ import annotations

import errno
import os

import pytest
from mounts import read_only, resize, run_with_own_mounts, tmpfs


def test_a_small_tmpfs_is_really_full_until_it_grows(tmp_path):
    small = tmp_path / "small"

    def scenario() -> None:
        tmpfs(small, size="48k")
        with pytest.raises(OSError) as full, open(small / "big", "wb") as f:
            f.write(b"x" * 100_000)
            f.flush()
        assert full.value.errno == errno.ENOSPC
        resize(small, "4m")
        (small / "big").write_bytes(b"x" * 100_000)

    run_with_own_mounts(scenario)


def test_read_only_holds_for_a_directory_and_a_file_even_for_root_of_the_namespace(tmp_path):
    mounted, alone = tmp_path / "mnt", tmp_path / "alone.db"
    alone.write_bytes(b"kept")

    def scenario() -> None:
        assert os.geteuid() == 0  # root of its namespace: permissions alone would not stop it
        tmpfs(mounted)
        (mounted / "cache.db").write_bytes(b"kept")
        read_only(alone)
        read_only(mounted)
        for path in (mounted / "cache.db", mounted / "new", alone):
            with pytest.raises(OSError) as refused:
                path.open("ab").close()
            assert refused.value.errno == errno.EROFS, path
        assert (mounted / "cache.db").read_bytes() == alone.read_bytes() == b"kept"

    run_with_own_mounts(scenario)


def test_the_mounts_end_with_the_child(tmp_path):
    mounted = tmp_path / "mnt"

    def scenario() -> None:
        tmpfs(mounted)
        (mounted / "inside").write_text("only on the tmpfs")
        assert os.path.ismount(mounted)

    run_with_own_mounts(scenario)
    assert mounted.is_dir() and not os.path.ismount(mounted) and list(mounted.iterdir()) == []


def test_a_failure_in_the_child_fails_the_test_with_its_traceback(tmp_path):
    def scenario() -> None:
        assert 1 + 1 == 3, "the child's own message"

    with pytest.raises(pytest.fail.Exception) as failed:
        run_with_own_mounts(scenario)
    assert "the child's own message" in str(failed.value) and "AssertionError" in str(failed.value)
