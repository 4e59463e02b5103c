"""Reading and writing files safely: atomic writes, bounded reads, and error wording.

Every file the playground writes goes through ``atomic_write``; every file it opens goes through
``read_bytes_limited``. Both are pure Python (no Qt) so the window, the CLI and the tests share them.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

CHUNK = 1 << 20  # bytes read at a time


def _read_umask() -> int:
    """The process's umask: from /proc where there is one (reading it there changes nothing), else by setting
    it and putting it back."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# The mode a new file gets from open(): 0666 less the umask (read once, at import).
_NEW_FILE_MODE = 0o666 & ~_read_umask()


def atomic_write(path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that the file is either the old one or the complete new one: the bytes
    go to a temporary file in the same folder, are flushed to disk, and then replace the target."""
    path = Path(path)
    try:  # the replaced file keeps its mode; a new one gets the usual one (mkstemp's file is 0600)
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = _NEW_FILE_MODE
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):  # POSIX
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n:,} bytes"


def read_bytes_limited(path, limit: int, error_cls: type[Exception]) -> bytes:
    """The bytes of the regular file ``path``, or ``error_cls`` with a message naming the file.

    Refused: anything that is not a regular file (a folder, a FIFO, a device: checked before opening, so a
    pipe never blocks), and any file larger than ``limit`` bytes. At most ``limit + 1`` bytes are ever
    read, whatever ``st_size`` claims, so a file that grows or lies about its size costs no memory.
    """
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise error_cls(f"{name}: cannot read the file ({describe_os_error(exc)})") from None
    if not stat.S_ISREG(st.st_mode):
        raise error_cls(f"{name}: cannot read it, it is {_kind(st.st_mode)}; open a saved file instead")
    if st.st_size > limit:
        raise error_cls(f"{name}: the file is {_size(st.st_size)}; at most {_size(limit)}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: a FIFO swapped in after the check cannot block the open
    except OSError as exc:
        raise error_cls(f"{name}: cannot read the file ({describe_os_error(exc)})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # replaced between the check and the open
            raise error_cls(f"{name}: cannot read it, it is {_kind(mode)}; open a saved file instead")
        data = bytearray()
        while len(data) <= limit:
            chunk = os.read(fd, min(CHUNK, limit + 1 - len(data)))
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        raise error_cls(f"{name}: cannot read the file ({describe_os_error(exc)})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise error_cls(f"{name}: the file is larger than {_size(limit)}; at most {_size(limit)}")
    return bytes(data)


def describe_os_error(exc: OSError) -> str:
    """The system's wording for ``exc`` ("No space left on device"), without the errno and file name."""
    return quote(exc.strerror, limit=200, marks=False) if exc.strerror else quote(str(exc), limit=200, marks=False)


def quote(text, limit: int = 80, marks: bool = True) -> str:
    """``text`` for an error message: quoted (``repr``) and cut to ``limit`` characters, so a 100 MB cell or
    field never ends up in a message. ``marks=False`` leaves out the quotes."""
    if not isinstance(text, str):
        try:
            text = str(text)
        except ValueError:  # an int of more than 4,300 digits refuses to become a string
            return "a number too long to show"
    cut = text if len(text) <= limit else text[:limit]
    shown = repr(cut) if marks else cut
    if len(text) > limit:
        shown += f"… ({len(text):,} characters)"
    return shown
