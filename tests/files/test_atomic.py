"""Bounded, type-checked reads; atomic writes; error wording (playground/files/atomic.py)."""

import errno
import os
import stat

import pytest
from hang_guard import read_in_thread

from playground.files import atomic
from playground.files.atomic import atomic_write, describe_os_error, quote, read_bytes_limited


class RefusedError(Exception):
    pass


def _read_in_thread(path, limit=1000):
    return read_in_thread(path, lambda p: read_bytes_limited(p, limit, RefusedError))


def test_a_regular_file_is_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"x,y,label\n")
    assert read_bytes_limited(path, 100, RefusedError) == b"x,y,label\n"
    assert read_bytes_limited(path, 10, RefusedError) == b"x,y,label\n"  # exactly the limit is fine


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_at_once(tmp_path):
    path = tmp_path / "x.csv"
    os.mkfifo(path)
    error = _read_in_thread(path).get("error")
    assert isinstance(error, RefusedError) and "x.csv" in str(error) and "is a pipe" in str(error)


def test_a_folder_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.mkdir()
    error = _read_in_thread(path).get("error")
    assert isinstance(error, RefusedError) and "x.csv" in str(error) and "is a folder" in str(error)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_without_reading_it(tmp_path):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    error = _read_in_thread(link, limit=2**20).get("error")
    assert isinstance(error, RefusedError) and "zero.csv" in str(error) and "device" in str(error)


def test_a_missing_file_says_why(tmp_path):
    with pytest.raises(RefusedError, match="gone.csv: cannot read the file \\(No such file or directory\\)"):
        read_bytes_limited(tmp_path / "gone.csv", 100, RefusedError)


def test_a_file_larger_than_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    with open(path, "wb") as fh:  # sparse: 1 GB that takes no disk
        fh.truncate(2**30)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(RefusedError, match="big.json: the file is 1,024 MB; at most 1 MB"):
        read_bytes_limited(path, 2**20, RefusedError)
    assert reads == []


def test_the_limit_holds_even_when_the_size_lies(tmp_path, monkeypatch):
    """A file that grows after the size check (or reports st_size 0, as /proc files do) is still read
    only up to limit + 1 bytes."""
    path = tmp_path / "growing.json"
    with open(path, "wb") as fh:
        fh.truncate(64 * 2**20)
    real_stat = os.stat

    def small_stat(p, *args, **kwargs):
        st = real_stat(p, *args, **kwargs)
        if os.fspath(p) == os.fspath(path):
            fields = list(st)
            fields[6] = 0  # st_size
            return os.stat_result(fields)
        return st

    monkeypatch.setattr(os, "stat", small_stat)
    read = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    with pytest.raises(RefusedError, match="growing.json: the file is larger than 1 MB"):
        read_bytes_limited(path, 2**20, RefusedError)
    assert sum(read) <= 2**20 + 1


def test_atomic_write_leaves_the_old_file_when_the_disk_is_full(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    atomic_write(path, b"old")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OSError) as info:
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["s.json"]
    assert describe_os_error(info.value) == "No space left on device"


def test_describe_os_error_without_strerror():
    assert describe_os_error(OSError("plain words")) == "plain words"


def test_quote_caps_what_a_message_echoes():
    assert quote("abc") == "'abc'"
    long = quote("x" * 100_000_000)
    assert len(long) < 120 and "100,000,000 characters" in long
    assert quote(10**5000) == "a number too long to show"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_atomic_write_gives_a_new_file_the_usual_mode_and_keeps_an_old_files_mode(tmp_path):
    """A temporary file is created 0600; the saved file must not be: a new one gets 0666 less the umask (as
    any program's), a replaced one keeps the mode the user gave it."""
    umask = os.umask(0)
    os.umask(umask)
    new = tmp_path / "new.json"
    atomic_write(new, b"{}")
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    atomic_write(kept, b"new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_bytes() == b"new"
