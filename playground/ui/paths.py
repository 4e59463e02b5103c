"""Where the app keeps its files: ``PLAYGROUND_HOME`` (or ``--home``) if set, else the per-user data
folder Qt names for this platform. Settings live there too, in an INI file, so a test or a second
profile with its own home shares nothing with the user's own."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

AUTOSAVE_NAME = "autosave.json"


def app_home() -> Path:
    configured = os.environ.get("PLAYGROUND_HOME")
    if configured:
        return Path(configured).expanduser()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".nn-playground")


def settings(home: Path | None = None) -> QSettings:
    home = home or app_home()
    return QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)


def autosave_path(home: Path | None = None) -> Path:
    return (home or app_home()) / AUTOSAVE_NAME
