"""The application icon (``assets/nn-playground.svg``, shipped in the package as ``icon.svg``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICON_PATH = Path(__file__).with_name("icon.svg")


def app_icon() -> QIcon:
    return QIcon(str(ICON_PATH)) if ICON_PATH.exists() else QIcon()
