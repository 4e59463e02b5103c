"""The window's manners: its size on the screen, the keys it handles itself, the shortcuts help, the tab
order, a wheel that scrolls the control column, presenter mode and a quiet exit. Each is a small function of
the built window, kept out of ``main_window``."""

from __future__ import annotations

import atexit
import sys
import weakref

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGraphicsView,
    QHeaderView,
    QMainWindow,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .menus import shortcut_rows

DEFAULT_SIZE = QSize(1280, 800)
SMALL_SCREEN = QSize(1600, 900)  # a screen narrower or shorter than this gets a maximised window
PRESENTER_SCALE = 1.5  # fonts in presenter mode
MARKER, PRESENTER_MARKER = 8, 14


def small_screen(available: QRect) -> bool:
    """A laptop's screen (1366×768, 1440×900, ...): a window of the default size would leave a strip beside
    it, so the window takes the whole screen instead."""
    return available.width() < SMALL_SCREEN.width() or available.height() < SMALL_SCREEN.height()


def fit_to_screen(window: QMainWindow, available: QRect) -> None:
    """The window's size and place before it is shown: the whole available area of a small screen; on a
    bigger one 80 % × 85 % of it (at least the default size), centred. Never bigger than the screen."""
    frame = window.frameGeometry().size() - window.geometry().size()  # title bar and borders, once shown
    room = available.size() - frame
    if small_screen(available):
        size = room
    else:
        wanted = QSize(round(0.8 * available.width()), round(0.85 * available.height()))
        size = wanted.expandedTo(DEFAULT_SIZE).boundedTo(room)
    window.resize(size)
    window.move(
        available.x() + (room.width() - size.width()) // 2, available.y() + (room.height() - size.height()) // 2
    )


def show_on_screen(window: QMainWindow, restored: bool) -> None:
    """Show the window: as the user left it when its saved geometry was ``restored`` (Qt keeps that on the
    screen, maximised or not), else maximised on a small screen, else at the size ``fit_to_screen`` gave."""
    if not restored and small_screen(window.screen().availableGeometry()):
        window.showMaximized()
    else:
        window.show()


def quiet_exit(window) -> None:
    """A script may build the window and return without closing it: at Python's exit the window leaves as
    ``leave_at_exit`` says. A window closed or deleted before is left alone."""
    ref = weakref.ref(window)
    atexit.register(lambda: leave_at_exit(ref()))


def leave_at_exit(w) -> None:
    """Python is exiting (before it tears objects down) with the window ``w`` still open: the window lets go
    of its panels' signals (its destruction hides every panel, and their handlers would draw on canvas items
    deleted before them) and shuts down as closing does (a QThread destroyed while it runs aborts the
    process). Nothing may wait for an answer now: if the autosave cannot be written, stderr says so instead
    of a box no one would answer (the exit would hang)."""
    if w is None or not shiboken6.isValid(w):
        return
    w.sessions.ask_on_quit = _no_one_to_ask
    w.insight.detach()
    w.shutdown()


def _no_one_to_ask(message: str) -> None:
    print("playground: Python is exiting with the window open, so no one can be asked: not saved.", file=sys.stderr)


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


def key_press(window: QMainWindow, event) -> None:
    """``MainWindow.keyPressEvent``: the window's own keys (``handle_key``), else Qt's."""
    if not handle_key(window, event):
        QMainWindow.keyPressEvent(window, event)


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
    """The control column's focusable controls, top to bottom and left to right (the layer steppers right
    after the layers' text: the controls panel keeps them there when it rebuilds them)."""
    b, d, c = w.buttons, w.data_panel, w.controls
    return [
        *(b.train, b.step, b.reset, b.new_seed, b.speed, b.epochs, b.train_n),
        *(d.preset, d.points, d.noise, d.load, d.current_class, d.eraser, d.trace_tool, d.undo, d.redo, d.clear),
        *(d.show_test, d.discretize, d.log_scale, d.suggest),
        *(c.hidden, *c.layer_buttons(), c.learning_rate, c.activation, c.optimizer, c.init, c.batch),
        *(c.regularization, c.reg_rate, c.test_ratio, c.seed, c.max_epochs),
    ]


FOCUS_FRAME = (  # the same width focused or not, so nothing inside moves; only on the views marked for it
    # (a table's headers are scroll areas too: framed, they would sit 2 px off their columns)
    '*[focusFrame="true"] { border: 1px solid palette(mid); padding: 1px; }'
    ' *[focusFrame="true"]:focus { border: 2px solid palette(highlight); padding: 0px; }'
)


def keyboard_manners(w) -> None:
    """Tab in screen order: the control column, the canvas's check box, the timeline under the loss plot,
    then the panel in front and the panels' tabs. Tab leaves a table (the arrow keys move inside it) instead
    of walking its cells. A list, table or text panel shows its focus with a frame (Fusion marks only a
    current cell, and an empty table has none)."""
    t = w.timeline
    set_tab_order([*screen_order(w), w.insight.marks.toggle, t.slider, t.now_button, t.branch_button])
    for view in w.findChildren(QAbstractScrollArea):
        if view.window() is not w:
            continue  # a combo box's list, in a popup of its own
        if isinstance(view, QAbstractItemView):
            view.setTabKeyNavigation(False)
        if view.focusPolicy() & Qt.FocusPolicy.TabFocus and not isinstance(view, (QGraphicsView, QScrollArea)):
            view.setProperty("focusFrame", True)
            view.setStyleSheet(FOCUS_FRAME)
    wheel_needs_focus(w.findChild(QScrollArea, "controlScroll"))


class WheelNeedsFocus(QObject):
    """An event filter: a spin box or combo box that has not the focus passes the wheel on to its parents,
    so turning the wheel over the control column scrolls the column instead of changing the seed, the
    preset or a layer size on the way (and throwing a trained run away). Click or Tab to it first."""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            event.ignore()  # not taken: Qt offers it to the parent, up to the scroll area
            return True
        return False


def wheel_needs_focus(column: QWidget) -> None:
    """Every spin box and combo box in ``column`` takes the wheel only when it has the focus (and no longer
    takes the focus from the wheel itself)."""
    guard = WheelNeedsFocus(column)
    for control in [*column.findChildren(QAbstractSpinBox), *column.findChildren(QComboBox)]:
        control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        control.installEventFilter(guard)


MAX_TAB_STEPS = 500  # more than the window's focusable widgets: a cycle with nothing shown still ends


def focus_next_shown(window: QMainWindow, forward: bool) -> bool:
    """``MainWindow.focusNextPrevChild``: Tab and Shift+Tab stop only where the user can see the focus. Qt's
    own order would also stop in the panels behind another panel's tab and on a spare tab bar (both parked
    outside the window, still "visible"), and on the plots, which take no keys and draw no focus (click
    them instead). The control column scrolls to the control reached."""
    start = QApplication.focusWidget()
    for _ in range(MAX_TAB_STEPS):
        if not QMainWindow.focusNextPrevChild(window, forward):
            return False
        widget = QApplication.focusWidget()
        if widget is None or widget is start:
            return True
        if shown_on_screen(widget) and not isinstance(widget, QGraphicsView):
            for scroll in _ancestors(widget, QScrollArea):
                scroll.ensureWidgetVisible(widget)
            return True
    return True


def shown_on_screen(widget: QWidget) -> bool:
    """Visible and inside each of its parents, up to the window: Qt parks a docked panel behind another's tab
    (and a tab bar it does not need) at negative coordinates, outside the window, and calls them visible.
    What a scroll area holds counts as shown: it scrolls to it."""
    if not widget.isVisible():
        return False
    child = widget
    while not child.isWindow():
        parent = child.parentWidget()
        holder = parent.parentWidget()
        scrolled = isinstance(holder, QAbstractScrollArea) and holder.viewport() is parent
        if not scrolled and not child.geometry().intersects(parent.rect()):
            return False
        child = parent
    return True


def _ancestors(widget: QWidget, kind: type) -> list:
    out, parent = [], widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kind):
            out.append(parent)
        parent = parent.parentWidget()
    return out


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
