"""Menus from a plain description: ``{title: [item, ...]}`` where an item is ``None`` (a separator), a
``QAction`` or ``QMenu`` (added as is), or ``(text, slot, shortcut or None, objectName)``."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar


def add_menus(bar: QMenuBar, menus: dict) -> None:
    for title, items in menus.items():
        menu = bar.addMenu(title)
        for item in items:
            if item is None:
                menu.addSeparator()
            elif isinstance(item, QAction):
                menu.addAction(item)
            elif isinstance(item, QMenu):
                menu.addMenu(item)
            else:
                text, slot, shortcut, name = item
                action = menu.addAction(text)
                action.setObjectName(name)
                if shortcut is not None:
                    action.setShortcut(shortcut)
                action.triggered.connect(slot)
