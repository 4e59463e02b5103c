"""Keyboard polish from the user tour: Tab reaches every control in screen order (the layer steppers right
after the layers' text), always lands on something the user can see with a visible focus, and comes round; a
table's focus frame leaves its headers in line with its cells."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from ui_helpers import shown

from playground.data import make_preset
from playground.training import TrainConfig
from playground.ui import MainWindow

STEPPERS = ["removeLayer", "addLayer", "layer0Minus", "layer0Plus", "layer1Minus", "layer1Plus"]


@pytest.fixture
def small_window(qtbot):
    w = shown(qtbot, MainWindow(make_preset("xor", 200, 0.0, seed=0), TrainConfig(hidden=(8, 8))), 1366, 740)
    w.activateWindow()
    yield w
    w.shutdown()


def _name(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__


def _tab_round(start: QWidget, limit: int = 150) -> list[QWidget]:
    """Tab from ``start`` until the focus comes back to it: the widgets focused on the way, each checked to
    be visible, enabled, drawn where the user can see it and drawn differently with the focus than without."""
    start.setFocus()
    QTest.keyClick(start, Qt.Key.Key_Tab)  # there and back: focus moved by keys, as a user's Tab moves it
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is start
    seen: list[QWidget] = []
    widget = start
    for _ in range(limit):
        focused_look = widget.grab().toImage()
        QTest.keyClick(widget, Qt.Key.Key_Tab)
        assert widget.grab().toImage() != focused_look, f"{_name(widget)} shows no focus"
        widget = QApplication.focusWidget()
        assert widget is not None, f"the focus got lost after {[_name(w) for w in seen[-3:]]}"
        if widget is start:
            return seen
        assert widget.isVisible() and widget.isEnabled(), _name(widget)
        assert not widget.visibleRegion().isEmpty(), f"{_name(widget)} has the focus but is hidden from view"
        assert widget not in seen, f"Tab is caught in a loop at {_name(widget)}"
        seen.append(widget)
    raise AssertionError(f"Tab never came back to {_name(start)}: {[_name(w) for w in seen]}")


def test_tab_reaches_the_layer_steppers_in_screen_order_and_comes_round(small_window, qtbot):
    w = small_window
    names = [_name(widget) for widget in _tab_round(w.buttons.train)]
    at = names.index("hiddenLayers")
    assert names[at + 1 : at + 1 + len(STEPPERS)] == STEPPERS
    assert names[at + 1 + len(STEPPERS)] == "learningRate"
    assert {"maxEpochs", "markMisclassified", "rewindSlider"} <= set(names)

    # A stepper pressed from the keyboard keeps the focus (the steppers are rebuilt with the new network),
    # and the new layer's steppers join the order in their place.
    w.controls.findChild(QWidget, "addLayer").setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.config.hidden == (8, 8, 8), timeout=2000)
    qtbot.waitUntil(lambda: _name(QApplication.focusWidget()) == "addLayer", timeout=1000)
    names = [_name(widget) for widget in _tab_round(w.controls.hidden)]
    assert names[: len(STEPPERS) + 3] == [*STEPPERS, "layer2Minus", "layer2Plus", "learningRate"]


def test_tab_stays_in_the_panel_in_front_and_leaves_tables(small_window, qtbot):
    w = small_window
    w.insight.show_all()
    tables = [w.insight.confusion.tables["train"], w.insight.confusion.tables["test"]]
    qtbot.waitUntil(lambda: all(t.rowCount() > 1 for t in tables), timeout=5000)  # cells Tab could walk
    checked: set[str] = set()
    for key, dock in w.insight.docks.items():
        dock.raise_()
        qtbot.waitUntil(lambda d=dock: not d.visibleRegion().isEmpty(), timeout=2000)
        round_ = _tab_round(w.buttons.train)
        others = [d.widget() for k, d in w.insight.docks.items() if k != key]
        strays = [_name(x) for x in round_ if any(o.isAncestorOf(x) for o in others)]
        assert strays == [], f"with {key} in front, Tab went behind it to {strays}"
        offsets = _header_offsets(dock)  # the tables' focus frames leave their headers in line with the cells
        assert all(offset == (0, 0) for offset in offsets.values()), offsets
        checked.update(offsets)
    assert {"trainConfusion", "testConfusion"} <= checked


def _header_offsets(panel: QWidget) -> dict[str, tuple[int, int]]:
    """Each shown table's headers against its cells: (columns, rows), how far the first header section's edge
    lies from the first cell's, in the table. The focus frame is the table's: a header framed too sat 2 px off."""
    out = {}
    for table in panel.findChildren(QTableView):
        top, side = table.horizontalHeader(), table.verticalHeader()
        if not table.isVisible() or table.model().columnCount() == 0:
            continue
        dx = (
            top.viewport().mapTo(table, QPoint(top.sectionViewportPosition(0), 0)).x()
            - table.viewport().mapTo(table, QPoint(table.columnViewportPosition(0), 0)).x()
        )
        dy = 0
        if side.isVisible() and table.model().rowCount():
            dy = (
                side.viewport().mapTo(table, QPoint(0, side.sectionViewportPosition(0))).y()
                - table.viewport().mapTo(table, QPoint(0, table.rowViewportPosition(0))).y()
            )
        out[_name(table)] = (dx, dy)
    return out
