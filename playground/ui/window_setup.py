"""The window's manners: its size on the screen, the keys it handles itself, the shortcuts help, the tab
order and presenter mode. Each is a small function of the built window, kept out of ``main_window``."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .menus import shortcut_rows

DEFAULT_SIZE = QSize(1280, 800)
PRESENTER_SCALE = 1.5  # fonts in presenter mode
MARKER, PRESENTER_MARKER = 8, 14


def fit_to_screen(window: QMainWindow, available: QRect) -> None:
    """Start at most at the screen's available area (never bigger), and at least the default size if it fits."""
    frame = window.frameGeometry().size() - window.geometry().size()  # title bar and borders, once shown
    width = max(DEFAULT_SIZE.width(), round(0.8 * available.width()))  # a big screen gets a big window
    height = max(DEFAULT_SIZE.height(), round(0.85 * available.height()))
    width = min(width, available.width() - frame.width())
    height = min(height, available.height() - frame.height())
    window.resize(width, height)


def checkable(parent, text: str, name: str, slot, shortcut: str = "") -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    action.setCheckable(True)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.toggled.connect(slot)
    return action


def add_view_actions(w) -> None:
    """The View menu's own switches: a log epoch axis, and presenter mode (F11)."""
    w.normal_font = w.font()
    w.log_epochs_action = checkable(w, "Log epoch axis", "logEpochsAction", w.loss_plot.set_log_epochs)
    w.presenter_action = checkable(w, "Presenter mode", "presenterAction", lambda on: set_presenter(w, on), "F11")


def handle_key(window, event) -> bool:
    """Keys that reached the window because no focused control took them: Space trains or pauses (a
    focused button or checkbox takes Space itself), Enter presses a focused button. True if handled."""
    key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if key == Qt.Key.Key_Space and mods == Qt.KeyboardModifier.NoModifier:
        window.toggle_training()
        return True
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        focused = window.focusWidget()
        if isinstance(focused, QAbstractButton) and focused.isEnabled():
            focused.animateClick()
            return True
    return False


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: every menu action's keys and the window's own, in one table."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(window.menuBar())
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["Keys", "What it does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (keys, what) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(keys))
            self.table.setItem(r, 1, QTableWidgetItem(what))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, min(640, window.height()))

    def rows(self) -> list[tuple[str, str]]:
        t = self.table
        return [(t.item(r, 0).text(), t.item(r, 1).text()) for r in range(t.rowCount())]


def set_tab_order(widgets: list[QWidget]) -> None:
    """Tab goes through ``widgets`` in this order (the order they appear on screen)."""
    for a, b in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(a, b)


def screen_order(w) -> list[QWidget]:
    """The control column's focusable controls, top to bottom and left to right."""
    b, d, c = w.buttons, w.data_panel, w.controls
    return [
        *(b.train, b.step, b.reset, b.new_seed, b.speed, b.epochs, b.train_n),
        *(d.preset, d.points, d.noise, d.load, d.current_class, d.eraser, d.trace_tool, d.undo, d.redo, d.clear),
        *(d.show_test, d.discretize, d.log_scale, d.suggest),
        *(c.hidden, c.learning_rate, c.activation, c.optimizer, c.init, c.batch, c.regularization, c.reg_rate),
        *(c.test_ratio, c.seed, c.max_epochs),
    ]


def set_presenter(w, on: bool) -> None:
    """Presenter mode, for a projector: bigger fonts and markers, the control column reduced to training
    and progress (the data and network controls come back when it is turned off)."""
    font = QFont(w.normal_font)
    if on:
        font.setPointSizeF(font.pointSizeF() * PRESENTER_SCALE)
    w.setFont(font)
    for part in (w.data_panel, w.network_box):
        part.setVisible(not on)
    w.canvas.set_marker_size(PRESENTER_MARKER if on else MARKER)
    for plot in (w.canvas, w.loss_plot):
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setStyle(tickFont=font)
            plot.getAxis(axis).label.setFont(font)
    w.presenter_action.setChecked(on)


def undersized_widgets(root: QWidget) -> list[str]:
    """Visible widgets drawn smaller than their minimum size hint (squeezed), as "name: size < hint"."""
    out = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.isWindow():
            continue
        if widget.objectName().startswith("qt_") or isinstance(widget, QHeaderView):
            continue  # a control's own parts (a spin box's editor, a table's header) are sized by the control
        hint = widget.minimumSizeHint()
        size = widget.size()
        if hint.isValid() and (size.width() < hint.width() or size.height() < hint.height()):
            name = widget.objectName() or type(widget).__name__
            out.append(
                f"{name} ({type(widget).__name__}): {size.width()}x{size.height()} < {hint.width()}x{hint.height()}"
            )
    return out
