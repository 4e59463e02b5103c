"""Menus from a plain description: ``{title: [item, ...]}`` where an item is ``None`` (a separator), a
``QAction`` or ``QMenu`` (added as is), ``(title, [item, ...])`` (a submenu, described the same way), or
``(text, slot, shortcut or None, objectName)``.

``window_menus`` describes the main window's menus: every action the window offers sits in one, with its
shortcut. A shortcut written after a tab in the text ("Train / pause\\tSpace") is shown but not bound: the
window handles that key itself (Space must still press a focused button).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from .confirm import confirm
from .share_actions import ShareActions  # the window builds it with the menus that name its slots

__all__ = ["ShareActions", "add_menus", "redo_keys", "shortcut_rows", "window_menus"]

StandardKey = QKeySequence.StandardKey


def add_menus(bar: QMenuBar, menus: dict) -> dict[str, QAction]:
    """Add the menus; returns the new actions by object name (those of submenus too)."""
    actions: dict[str, QAction] = {}
    for title, items in menus.items():
        _add_items(bar.addMenu(title), items, actions)
    return actions


def _add_items(menu: QMenu, items: list, actions: dict[str, QAction]) -> None:
    for item in items:
        if item is None:
            menu.addSeparator()
        elif isinstance(item, QAction):
            menu.addAction(item)
        elif isinstance(item, QMenu):
            menu.addMenu(item)
        elif len(item) == 2:
            title, sub_items = item
            _add_items(menu.addMenu(title), sub_items, actions)
        else:
            text, slot, shortcut, name = item
            action = menu.addAction(text)
            action.setObjectName(name)
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            elif shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            actions[name] = action


def redo_keys() -> list[QKeySequence]:
    """Redo's keys without duplicates: on Linux StandardKey.Redo already is Ctrl+Shift+Z, and binding a key
    twice makes Qt refuse it as an "ambiguous shortcut overload"."""
    keys: dict[str, QKeySequence] = {}
    for key in [*QKeySequence.keyBindings(StandardKey.Redo), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]:
        keys.setdefault(key.toString(), key)
    return list(keys.values())


def window_menus(w) -> dict:
    """The main window's menus (``w`` is the window; its parts are built already)."""
    f, m, b, s = w.files, w.model, w.buttons, w.share
    return {
        "&File": [
            ("New session", lambda: confirm(w, "new_session", w.new_session), StandardKey.New, "newAction"),
            ("Open…", f.open_dialog, StandardKey.Open, "openAction"),
            f.recent_menu,
            f.recover_action,
            None,
            ("Save session", f.save_session, StandardKey.Save, "saveAction"),
            ("Save session as…", f.save_session_as, StandardKey.SaveAs, "saveAsAction"),
            ("Save dataset as CSV…", f.save_dataset_dialog, None, "saveDatasetAction"),
            None,
            (
                "Export",
                [
                    ("Python script (NumPy)…", s.export_script_dialog, None, "exportScriptAction"),
                    ("PyTorch script…", lambda: s.export_script_dialog(torch=True), None, "exportTorchAction"),
                    ("Model (.npz)…", f.export_model_dialog, None, "exportModelAction"),
                    (
                        "Picture (PNG)…",
                        lambda: f.export_picture_dialog(w.canvas, w.loss_plot),
                        None,
                        "exportPictureAction",
                    ),
                ],
            ),
            None,
            ("Quit", w.close, StandardKey.Quit, "quitAction"),
        ],
        "&Edit": [
            ("Undo", m.undo, StandardKey.Undo, "undoAction"),
            ("Redo", m.redo, redo_keys(), "redoAction"),
            ("Clear all points", m.clear, None, "clearAction"),
            None,
            ("Suggest settings for this data", w.presets.suggest, QKeySequence("Ctrl+G"), "suggestAction"),
            None,
            ("Copy settings", s.copy_settings, None, "copySettingsAction"),
            ("Paste settings", s.paste_settings, None, "pasteSettingsAction"),
        ],
        "&Training": [
            ("Train / pause\tSpace", w.toggle_training, None, "trainAction"),
            ("Step one epoch", b.step.click, QKeySequence("Ctrl+E"), "stepAction"),
            ("Train N epochs", b.train_n.click, QKeySequence("Ctrl+Shift+E"), "trainNAction"),
            None,
            ("Faster", lambda: b.change_speed(+1), QKeySequence("Ctrl+]"), "fasterAction"),
            ("Slower", lambda: b.change_speed(-1), QKeySequence("Ctrl+["), "slowerAction"),
            None,
            ("Reset weights", b.reset.click, QKeySequence("Ctrl+R"), "resetAction"),
            ("New seed", b.new_seed.click, QKeySequence("Ctrl+Shift+R"), "newSeedAction"),
        ],
        "&View": [
            ("Reset view", w.canvas.reset_view, QKeySequence("Home"), "resetViewAction"),
            ("Fit data", w.canvas.fit_data, QKeySequence("Ctrl+Home"), "fitDataAction"),
            w.log_epochs_action,
            None,
            *w.insight.toggle_actions(),
            ("Reset layout", w.reset_layout, None, "resetLayoutAction"),
            None,
            w.presenter_action,
        ],
        "&Help": [
            ("Keyboard shortcuts", w.show_shortcuts, QKeySequence("F1"), "shortcutsAction"),
        ],
    }


EXTRA_KEYS = [  # keys the window handles that are not menu actions
    ("Space", "Train / pause (on a focused button or checkbox: press it)"),
    ("Enter", "Press the focused button"),
    ("1 … 9", "Draw with class 1 … 9"),
    ("Esc", "Show the network's output on the canvas again (after clicking a neuron)"),
    ("Left click / drag", "Add points of the current class"),
    ("Right click / drag", "Add points of the other class"),
    ("Ctrl+click", "Remove the nearest point"),
    ("Alt+click", "Trace one training step on the nearest point (or the spot) in Step through"),
    ("Middle drag, wheel", "Pan and zoom the canvas"),
]


def shortcut_rows(bar: QMenuBar) -> list[tuple[str, str]]:
    """(keys, what) for every menu action with a shortcut, then the window's other keys."""
    rows = []
    for menu_action in bar.actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        for action in menu.actions():
            text, _, shown = action.text().partition("\t")
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()) or shown
            if keys:
                title = menu_action.text().replace("&", "")
                rows.append((keys, f"{title} → {text.replace('&&', '&')}"))
    return rows + EXTRA_KEYS
