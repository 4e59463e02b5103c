"""Where the app keeps its files: ``PLAYGROUND_HOME`` (or ``--home``) if set, else the per-user data
folder Qt names for this platform. Settings live there too, in an INI file, so a test or a second
profile with its own home shares nothing with the user's own.

The autosave has *slots*: ``autosave.json`` is slot 1, ``autosave-2.json`` slot 2, and so on. Each running
window holds the lock of one slot (``autosave.lock``, ``autosave-2.lock``; a ``QLockFile``, so a killed
process leaves no stale lock), so two windows on one home never overwrite each other's work. Beside each
slot lies its ring of older autosaves: ``autosave.1.json`` (the newest) to ``autosave.5.json``.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings, QStandardPaths

AUTOSAVE_NAME = "autosave.json"
MAX_SLOTS = 9
RING_SIZE = 5


def app_home() -> Path:
    configured = os.environ.get("PLAYGROUND_HOME")
    if configured:
        return Path(configured).expanduser()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".nn-playground")


def settings(home: Path | None = None) -> QSettings:
    home = home or app_home()
    return QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)


def autosave_path(home: Path | None = None, slot: int = 1) -> Path:
    name = AUTOSAVE_NAME if slot == 1 else f"autosave-{slot}.json"
    return (home or app_home()) / name


def ring_paths(autosave: Path) -> list[Path]:
    """The ring of older autosaves beside ``autosave``, newest first."""
    return [autosave.with_name(f"{autosave.stem}.{i}.json") for i in range(1, RING_SIZE + 1)]


def claim_slot(home: Path) -> tuple[int, QLockFile | None]:
    """Lock the first free autosave slot in ``home``: ``(slot, lock)``. When no lock can be made at all (a
    read-only or missing home), ``(1, None)``: the autosave will fail and say so, which is the real problem."""
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError:
        return 1, None
    for slot in range(1, MAX_SLOTS + 1):
        lock = QLockFile(str(autosave_path(home, slot).with_suffix(".lock")))
        lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        if lock.tryLock(0):
            return slot, lock
        if lock.error() != QLockFile.LockError.LockFailedError:  # cannot write there: no locking
            return 1, None
    return MAX_SLOTS, None  # nine windows at once: share the last slot rather than refuse to start
