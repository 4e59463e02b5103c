"""The window fits the screen, never resizes itself, keeps controls at their size and remembers its layout."""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from playground.data import make_preset
from playground.ui import MainWindow
from playground.ui.window_setup import fit_to_screen, undersized_widgets

LONG_PROBLEM = (
    "Could not open the session: it is not a playground session (missing field 'label'). Nothing was changed; "
    "the points, settings and weights on screen are as they were."
)


def settle(qtbot, ms=150):
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(ms // 3)


def open_every_panel(w):
    for action in w.insight.toggle_actions():
        if not action.isChecked():
            action.trigger()


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080)])
def test_the_window_fits_the_screen_with_every_panel_open_and_a_notice(qtbot, home, screen):
    w = MainWindow(make_preset("xor", 300, 0.0, seed=0), home=home)
    qtbot.addWidget(w)
    fit_to_screen(w, QRect(0, 0, *screen))
    start = w.size()
    assert start.width() <= screen[0] and start.height() <= screen[1]
    w.show()
    qtbot.waitExposed(w)
    preset_at = w.data_panel.preset.mapTo(w, QPoint(0, 0))
    open_every_panel(w)
    w.show_problem(LONG_PROBLEM)
    w.controls.hidden.setFocus()
    w.controls.hidden.selectAll()
    QTest.keyClicks(w.controls.hidden, "64, 64, 64, 64, 64, 64")
    QTest.keyClick(w.controls.hidden, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.config.hidden == (64,) * 6, timeout=3000)
    settle(qtbot)
    assert w.size() == start  # never resized itself: not by the panels, the notice or six wide layers
    assert w.minimumSizeHint().width() <= screen[0] and w.minimumSizeHint().height() <= screen[1]
    assert w.notices.isVisible() and LONG_PROBLEM in w.notices.problem_text
    assert w.canvas.rect().contains(w.notices.geometry())  # over the canvas, not in the column's layout
    assert w.data_panel.preset.mapTo(w, QPoint(0, 0)) == preset_at  # nothing moved under the cursor
    assert undersized_widgets(w) == []
    # Six layers of 64: every count is drawn whole, at its full width
    for i in range(6):
        count = w.findChild(QLabel, f"layer{i}Size")
        assert count.text() == "64"
        assert count.width() >= count.fontMetrics().horizontalAdvance("64")
        for name in (f"layer{i}Minus", f"layer{i}Plus"):
            button = w.findChild(QToolButton, name)
            assert button.isVisible() and not count.geometry().intersects(button.geometry())
    w.shutdown()


@pytest.mark.slow
def test_docks_are_tabs_on_the_right_and_the_layout_is_remembered_and_reset(qtbot, home):
    w = MainWindow(make_preset("xor", 200, 0.0, seed=0), home=home)
    qtbot.addWidget(w)
    w.resize(1300, 760)
    w.show()
    qtbot.waitExposed(w)
    open_every_panel(w)
    settle(qtbot)
    docks = w.insight.docks
    assert all(w.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea for d in docks.values())
    assert len(w.tabifiedDockWidgets(docks["network"])) == len(docks) - 1  # one set of tabs: each gets the full height
    assert docks["confusion"].isVisible()  # the panel opened last is in front
    w.close()  # remembers the layout

    again = MainWindow(make_preset("xor", 200, 0.0, seed=0), home=home)
    qtbot.addWidget(again)
    again.restore_layout()
    again.show()
    settle(qtbot)
    assert all(a.isChecked() for a in again.insight.toggle_actions())
    again.actions["resetLayoutAction"].trigger()
    settle(qtbot)
    shown = [key for key, a in zip(again.insight.docks, again.insight.toggle_actions(), strict=True) if a.isChecked()]
    assert shown == ["network"]
    again.shutdown()


def test_a_notice_floats_over_the_canvas_and_moves_nothing(qtbot, home):
    w = MainWindow(make_preset("xor", 200, 0.0, seed=0), home=home)
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    qtbot.waitExposed(w)
    settle(qtbot)
    before = {
        name: wid.mapTo(w, QPoint(0, 0))
        for name, wid in (("preset", w.data_panel.preset), ("lr", w.controls.learning_rate))
    }
    size = w.size()
    w.notices.show_run_notice("The data now has 3 classes, so the output layer changed and the weights were reset.")
    w.show_problem(LONG_PROBLEM)
    settle(qtbot)
    after = {
        name: wid.mapTo(w, QPoint(0, 0))
        for name, wid in (("preset", w.data_panel.preset), ("lr", w.controls.learning_rate))
    }
    assert after == before and w.size() == size
    assert w.notices.parentWidget() is w.canvas
    qtbot.mouseClick(w.notices.dismiss, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert w.notices.problem_text == "" and "3 classes" in w.notices.run_text
    w.shutdown()
