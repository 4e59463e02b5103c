"""The canvas and plots (bounded view, right-drag, readable loss axis, legend, colour bar, neuron caption),
the keyboard (Space, Enter, redo, Tab order, menus, help, tooltips, presenter mode) and watching training
(speed, Train N epochs, presets that load at once, messages that stay)."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from ui_helpers import canvas_pos, click

from playground.training.state import DEFAULT_BOUNDS, sane_bounds
from playground.ui.menus import redo_keys
from playground.ui.window_setup import screen_order

# -- canvas and plots ----------------------------------------------------------------------------------------


def wheel(window, steps: int) -> None:
    vp = window.canvas.viewport()
    pos = canvas_pos(window, 0, 0)
    for _ in range(abs(steps)):
        QTest.mouseMove(vp, pos)
        event_delta = -120 if steps < 0 else 120
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QWheelEvent

        ev = QWheelEvent(
            QPointF(pos),
            QPointF(vp.mapToGlobal(pos)),
            QPoint(0, 0),
            QPoint(0, event_delta),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(vp, ev)


def test_auto_range_fits_the_data_once_and_the_view_stays_bounded(window, qtbot):
    wheel(window, -3)  # zoom out a little: the "A" button appears
    qtbot.wait(50)
    button = window.canvas.getPlotItem().autoBtn
    for _ in range(5):  # the old bug fed the view into itself: every click zoomed out further
        button.clicked.emit(button)
        qtbot.wait(30)
    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 50, timeout=5000)
    qtbot.wait(300)
    bounds = window.canvas.visible_bounds()
    assert sane_bounds(bounds) and max(abs(v) for v in bounds) < 10  # the xor points lie within ±6
    assert window.state.view.bounds == tuple(bounds)
    window.pause_training()


def test_home_resets_the_view_and_ctrl_home_fits_the_data(window, qtbot):
    window.canvas.show_bounds((100.0, 130.0, -40.0, -10.0))
    qtbot.waitUntil(lambda: window.state.view.bounds[0] > 50)
    window.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Home)
    assert shows_default_view(window)
    window.canvas.show_bounds((100.0, 130.0, -40.0, -10.0))
    QTest.keyClick(window, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    x0, x1, y0, y1 = window.canvas.visible_bounds()
    assert x0 < window.dataset.X[:, 0].min() and x1 > window.dataset.X[:, 0].max() and x1 - x0 < 20
    # the view box refuses a runaway view outright
    window.canvas.show_bounds((-1e30, 1e30, -1e30, 1e30))
    assert sane_bounds(window.canvas.visible_bounds())


def shows_default_view(window) -> bool:
    """The default ±6 view (the locked aspect ratio widens one axis to fill the canvas)."""
    x0, x1, y0, y1 = window.canvas.visible_bounds()
    x, y = np.allclose((x0, x1), DEFAULT_BOUNDS[:2], atol=0.1), np.allclose((y0, y1), DEFAULT_BOUNDS[2:], atol=0.1)
    return (x or y) and x0 <= -5.9 and x1 >= 5.9 and y0 <= -5.9 and y1 >= 5.9 and max(x1 - x0, y1 - y0) < 30


def test_right_drag_paints_the_other_class(window, qtbot):
    window.state.update_view(current_class=0)
    view = window.canvas.visible_bounds()
    n = len(window.dataset)
    vp = window.canvas.viewport()
    path = [(-1.0, -1.0), (0.0, -0.5), (1.0, 0.0), (2.0, 0.5)]
    QTest.mousePress(vp, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, canvas_pos(window, *path[0]))
    for p in path[1:]:
        QTest.mouseMove(vp, canvas_pos(window, *p))
        QTest.qWait(5)
    QTest.mouseRelease(vp, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, canvas_pos(window, *path[-1]))
    new = window.dataset.y[n:]
    assert new.size > 0 and set(new.tolist()) == {1}
    assert window.canvas.visible_bounds() == view  # a right drag does not zoom


def test_the_loss_axis_shows_plain_readable_values(window, qtbot):
    plot = window.loss_plot
    epochs = np.arange(1, 401)
    plot.set_history({"train": (epochs, 0.0008 - 0.0002 * epochs / 400), "test": (epochs, np.full(400, 0.0007))})
    plot.redraw()
    plot.getPlotItem().enableAutoRange()
    qtbot.wait(100)
    assert "x0.001" not in plot.getAxis("left").labelString() and plot.getAxis("left").autoSIPrefixScale == 1.0
    labels = plot.axis_labels("left")
    assert any(t.startswith("0.000") for t in labels) and all(abs(float(t)) < 0.01 for t in labels)
    window.data_panel.log_scale.click()  # a narrow range on a log axis still has labels
    qtbot.wait(100)
    labels = plot.axis_labels("left")
    assert len(labels) >= 2 and all(0.0001 < float(t) < 0.001 for t in labels)
    window.log_epochs_action.trigger()
    qtbot.wait(100)
    assert plot.log_epochs and plot.axis_labels("bottom")


def test_legend_colour_bar_and_the_neuron_caption(window, qtbot):
    names = [label.text for _, label in window.canvas.legend.items]
    assert names[0] == "train" and names[1].startswith("test")
    assert window.canvas.colorbar.isVisible()
    window.insight.toggle_focus(1, 2)
    assert window.canvas.caption.isVisible() and "neuron 3" in window.canvas.caption.text()
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not window.canvas.caption.isVisible()


# -- keyboard and help ---------------------------------------------------------------------------------------


def test_space_presses_a_focused_checkbox_and_otherwise_trains(window, qtbot):
    box = window.data_panel.show_test
    box.setFocus()
    was = box.isChecked()
    QTest.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked() != was and not window.is_training
    step = window.buttons.step
    step.setFocus()
    QTest.keyClick(step, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=3000)
    QTest.keyClick(step, Qt.Key.Key_Return)  # Enter presses a focused button too
    qtbot.waitUntil(lambda: window.epoch == 2, timeout=3000)
    assert not window.is_training
    window.canvas.setFocus()  # the canvas takes no Space: it trains
    QTest.keyClick(window.canvas, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.is_training, timeout=3000)
    QTest.keyClick(window.canvas, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.is_training, timeout=3000)


def test_redo_has_each_key_once_and_ctrl_shift_z_redoes(window, qtbot):
    keys = [k.toString() for k in window.actions["redoAction"].shortcuts()]
    assert len(keys) == len(set(keys)) and "Ctrl+Shift+Z" in keys
    assert [k.toString() for k in redo_keys()] == keys
    n = len(window.dataset)
    click(window, 1.0, 1.0)
    assert len(window.dataset) == n + 1
    window.activateWindow()
    window.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.dataset) == n
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(window.dataset) == n + 1


def test_tab_follows_the_screen(window, qtbot):
    order = [w for w in screen_order(window) if w.isEnabled()]  # Tab skips disabled controls (Undo, Redo)
    # the order on screen: each next control is below, or on the same row and to the right
    tops = [(w.mapTo(window, QPoint(0, 0)).y(), w.mapTo(window, QPoint(0, 0)).x()) for w in order]
    for (y0, x0), (y1, x1) in zip(tops, tops[1:], strict=False):
        assert y1 > y0 + 5 or (abs(y1 - y0) <= 5 and x1 > x0)
    window.activateWindow()
    order[0].setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(len(order) - 1):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        while focused is not None and focused not in order and isinstance(focused.parentWidget(), QWidget):
            focused = focused.parentWidget()  # a spin box's editor stands for its spin box
        seen.append(focused)
    assert seen == order


def test_every_action_is_in_a_menu_and_the_help_lists_the_keys(window, qtbot):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "Training", "View", "Help"]
    view = [a.text() for a in window.menuBar().actions()[3].menu().actions()]
    assert "Gradients && health" in view  # shown as "Gradients & health", not "Gradients _health"
    assert {"Reset view", "Fit data", "Reset layout", "Presenter mode"} <= set(view)
    window.actions["shortcutsAction"].trigger()
    rows = dict(window.shortcuts.rows())
    assert window.shortcuts.isVisible()
    for keys in ("Space", "Ctrl+Shift+Z", "Home", "F11", "Ctrl+E", "Ctrl+R"):
        assert any(keys in k for k in rows), keys
    window.shortcuts.close()


def test_every_control_has_a_teaching_tooltip(window):
    for w in screen_order(window):
        assert len(w.toolTip()) > 20, w.objectName()
    c = window.controls
    for w in (c.learning_rate, c.batch, c.regularization, c.init, c.activation, c.test_ratio, c.seed):
        assert "Try" in w.toolTip(), w.objectName()


def test_presenter_mode_enlarges_and_reduces(window, qtbot):
    size = window.font().pointSizeF()
    QTest.keyClick(window, Qt.Key.Key_F11)
    assert window.presenter_action.isChecked()
    assert window.font().pointSizeF() > 1.3 * size
    assert not window.data_panel.isVisible() and not window.network_box.isVisible()
    assert window.buttons.train.isVisible() and window.canvas.train_items[0].opts["size"] > 8
    QTest.keyClick(window, Qt.Key.Key_F11)
    assert window.font().pointSizeF() == size and window.data_panel.isVisible()


# -- training you can watch ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_slow_motion_then_full_speed(window, qtbot):
    combo = window.buttons.speed
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)  # "Slow motion: 2 epochs/s"
    assert combo.currentData() == 2.0
    window.start_training()
    qtbot.wait(1200)
    slow = window.epoch
    assert 1 <= slow <= 5
    for _ in range(4):
        window.actions["fasterAction"].trigger()  # 10, 50, 300 epochs/s, full speed
    assert combo.currentData() == 0.0
    qtbot.waitUntil(lambda: window.epoch > slow + 200, timeout=5000)
    window.pause_training()


def test_train_n_epochs_stops_by_itself(window, qtbot):
    window.buttons.epochs.setValue(37)
    qtbot.mouseClick(window.buttons.train_n, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.epoch == 37, timeout=5000)
    qtbot.wait(200)
    assert window.epoch == 37 and not window.is_training


def test_train_n_epochs_reads_pause_while_it_runs_and_pause_stops_it(window, qtbot):
    combo = window.buttons.speed
    combo.setFocus()
    while combo.currentData() != 10.0:  # slow enough to press Pause in time
        QTest.keyClick(combo, Qt.Key.Key_Down)
    window.buttons.epochs.setValue(500)
    qtbot.mouseClick(window.buttons.train_n, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.epoch >= 2 and window.buttons.train.text() == "Pause", timeout=5000)
    qtbot.mouseClick(window.buttons.train, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.is_training and window.buttons.train.text() == "Train", timeout=5000)
    stopped = window.epoch
    qtbot.wait(500)
    assert window.epoch == stopped < 500


def test_picking_a_preset_loads_it_and_the_combo_names_what_is_loaded(window, qtbot):
    combo = window.data_panel.preset
    assert combo.currentIndex() == -1  # the window was given its points: "custom"
    window.buttons.step.click()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=3000)
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Down)  # each pick loads at once: no Load button to press
    name = combo.currentText()
    assert combo.currentIndex() == 1 and window.presets.origin == name
    assert len(window.dataset) == window.data_panel.points.value()
    qtbot.waitUntil(lambda: window.epoch == 0, timeout=3000)  # a new run
    click(window, 0.5, 0.5)
    assert combo.currentIndex() == -1 and combo.placeholderText() == "custom"


def test_the_csv_label_mapping_message_stays_visible(window, qtbot, tmp_path):
    path = tmp_path / "tf.csv"
    path.write_text("x,y,label\n" + "".join(f"{math.cos(i)},{math.sin(i)},{1 if i % 2 else -1}\n" for i in range(40)))
    assert window.open_path(path)
    window.buttons.step.click()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=3000)
    qtbot.wait(200)
    assert "Labels were mapped" in window.statusBar().currentMessage()
    assert window.data_panel.preset.currentIndex() == -1  # "custom"
    assert isinstance(window.buttons.train, QAbstractButton)


def test_a_huge_dataset_is_drawn_as_an_even_sample_and_says_so(qtbot):
    from playground.data import Dataset
    from playground.ui import MainWindow
    from playground.ui.canvas import MAX_DRAWN

    rng = np.random.default_rng(0)
    X = rng.uniform(-5, 5, size=(4 * MAX_DRAWN, 2))
    w = MainWindow(Dataset(X, (X[:, 0] > 0).astype(np.int64)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=10000)
    drawn = sum(len(item.getData()[0]) for item in (*w.canvas.train_items, *w.canvas.test_items))
    assert drawn == w.canvas.drawn_points == MAX_DRAWN
    assert w.canvas.sample_note.isVisible() and f"{4 * MAX_DRAWN:,}" in w.canvas.sample_note.text()
    click(w, 0.5, 0.5)  # a new point is always drawn
    assert len(w.dataset) == 4 * MAX_DRAWN + 1 and w.canvas.drawn_points == MAX_DRAWN + 1
    w.data_panel.clear.click()
    assert not w.canvas.sample_note.isVisible()
    w.shutdown()


def test_opening_a_csv_starts_a_new_run(window, qtbot, tmp_path):
    from playground.data import make_preset, save_csv

    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 10, timeout=5000)
    run = window.presenter.latest.status.run_id
    path = tmp_path / "moons.csv"
    save_csv(make_preset("moons", 200, 0.1, seed=0), path)
    assert window.open_path(path)
    qtbot.waitUntil(lambda: window.presenter.latest.status.run_id > run and window.epoch == 0, timeout=5000)
    assert not window.is_training
    qtbot.waitUntil(lambda: len(window.insight.runs.runs) == 1, timeout=5000)  # the old run was kept
