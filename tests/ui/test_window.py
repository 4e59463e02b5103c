import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QPushButton
from ui_helpers import canvas_pos, click, drag, live_state, live_trainer
from window_questions import press_reset

from playground.data import Dataset, make_preset
from playground.ui import MainWindow


def test_object_names_of_the_contract(window):
    for name, cls in [
        ("trainButton", QPushButton),
        ("stepButton", QPushButton),
        ("resetButton", QPushButton),
        ("hiddenLayers", QLineEdit),
        ("learningRate", QDoubleSpinBox),
        ("activation", QComboBox),
        ("epochLabel", QLabel),
    ]:
        assert window.findChild(cls, name) is not None, name
    assert window.findChild(type(window.canvas), "canvas") is window.canvas
    assert window.loss_plot.objectName() == "lossPlot"


def test_clicks_add_points_of_the_right_class(window):
    n = len(window.dataset)
    click(window, 1.0, 2.0)
    assert len(window.dataset) == n + 1
    assert window.dataset.y[-1] == 0
    assert np.allclose(window.dataset.X[-1], [1.0, 2.0], atol=0.05)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_2)
    assert window.state.view.current_class == 1 and window.data_panel.current_class.currentIndex() == 1
    click(window, -3.0, 1.5)
    assert window.dataset.y[-1] == 1
    click(window, 2.0, -2.0, Qt.MouseButton.RightButton)  # the other class of a two-class set
    assert window.dataset.y[-1] == 0
    QTest.keyClick(window.canvas, Qt.Key.Key_3)
    click(window, 0.5, 0.5)
    assert window.dataset.y[-1] == 2 and window.dataset.n_classes == 3
    # The canvas shows it: class 2's scatter item holds the point.
    xs, ys = window.canvas.train_items[2].getData()
    xt, yt = window.canvas.test_items[2].getData()
    assert len(xs) + len(xt) == 1


def test_ctrl_click_and_eraser_remove_points(window):
    click(window, 4.0, 4.0)
    n = len(window.dataset)
    click(window, 4.0, 4.0, modifier=Qt.KeyboardModifier.ControlModifier)
    assert len(window.dataset) == n - 1
    window.data_panel.eraser.setChecked(True)
    before = len(window.dataset)
    drag(window, [(-4.0, -4.0), (-3.0, -3.0), (-2.0, -2.0)])
    assert len(window.dataset) < before


def test_drag_paints_a_stroke_and_one_undo_removes_it(window):
    n = len(window.dataset)
    drag(window, [(-5.0, 5.0), (-4.0, 5.0), (-3.0, 5.0), (-2.0, 5.0)])
    added = len(window.dataset) - n
    assert added >= 10
    new = window.dataset.X[n:]
    assert np.all(np.abs(new[:, 1] - 5.0) < 0.5) and np.all(window.dataset.y[n:] == 0)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.dataset) == n
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(window.dataset) == n + added


def test_clear_then_undo_restores_everything(window):
    original = window.dataset
    window.data_panel.clear.click()
    assert len(window.dataset) == 0
    assert window.data_panel.undo.toolTip() == "Undo clear (Ctrl+Z)"
    window.data_panel.undo.click()
    assert window.dataset == original


def test_train_on_xor_reaches_95_percent_with_falling_loss(window, qtbot):
    QTest.mouseClick(window.buttons.train, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.is_training, timeout=3000)

    def learned():
        m = window.presenter.drawn.status.metrics if window.presenter.drawn else None
        return m is not None and m.test_accuracy >= 0.95 and window.epoch > 10

    qtbot.waitUntil(learned, timeout=20000)
    QTest.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(
        lambda: not window.is_training and window.presenter.drawn and not window.presenter.drawn.status.running,
        timeout=3000,
    )
    epochs, losses = window.loss_plot.train_curve.getData()
    assert len(losses) > 5 and losses[-1] < losses[0] / 2
    assert int(window.progress.epoch.text().replace(",", "")) > 0
    assert window.canvas.surface.image is not None


def test_learning_rate_change_mid_run_does_not_reset(window, qtbot):
    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 50, timeout=10000)
    run = window.presenter.latest.status.run_id
    window.controls.learning_rate.setValue(0.001)
    epoch_at_change = window.epoch
    qtbot.waitUntil(lambda: window.epoch > epoch_at_change + 50, timeout=10000)
    assert window.presenter.latest.status.run_id == run
    assert window.config.learning_rate == 0.001
    window.pause_training()


def test_learning_rate_steps_on_a_log_scale(window):
    spin = window.controls.learning_rate
    spin.setValue(0.03)
    spin.stepBy(1)
    assert spin.value() == pytest.approx(0.1)
    spin.stepBy(-2)
    assert spin.value() == pytest.approx(0.01)


@pytest.mark.parametrize("text", ["8,,x", "0", "-3", "1000", "1,2,3,4,5,6,7,8,9,10,11"])
def test_bad_layer_text_is_rejected_and_the_network_kept(window, qtbot, text):
    field = window.controls.hidden
    before = window.config.hidden
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert window.config.hidden == before
    assert window.controls.hidden_error.isVisible()
    assert window.controls.hidden_error_text
    assert "2px solid" in field.styleSheet()
    qtbot.wait(100)
    assert window.presenter.drawn.status.layer_sizes == [2, *before, 1]


def test_good_layer_text_and_buttons_change_the_network(window, qtbot):
    field = window.controls.hidden
    field.selectAll()
    QTest.keyClicks(field, "5, 3")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert window.config.hidden == (5, 3)
    qtbot.waitUntil(lambda: window.presenter.drawn.status.layer_sizes == [2, 5, 3, 1], timeout=3000)
    window.controls.findChild(QPushButton.__mro__[1], "layer0Plus").click()
    assert window.config.hidden == (6, 3)
    window.controls.findChild(QPushButton.__mro__[1], "removeLayer").click()
    assert window.config.hidden == (6,)
    qtbot.waitUntil(lambda: window.presenter.drawn.status.layer_sizes == [2, 6, 1], timeout=3000)
    field.selectAll()
    QTest.keyClick(field, Qt.Key.Key_Delete)
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert window.config.hidden == ()


def test_points_added_while_training_are_trained_on(window, qtbot):
    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 20, timeout=10000)
    for x in np.linspace(-5, 5, 6):
        click(window, x, 5.5)
    assert len(window.dataset) == 506
    # The training process now trains on 506 points (commands arrive in order: the data before the question).
    assert live_trainer(qtbot, window).dataset == window.dataset
    window.pause_training()


def test_step_trains_exactly_one_epoch(window, qtbot):
    window.buttons.step.click()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=3000)
    window.buttons.step.click()
    qtbot.waitUntil(lambda: window.epoch == 2, timeout=3000)
    assert not window.is_training


def test_reset_is_reproducible(window, qtbot):
    window.buttons.step.click()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=3000)
    first = window.presenter.latest.status.metrics.train_loss
    press_reset(window)
    qtbot.waitUntil(lambda: window.epoch == 0, timeout=3000)
    window.buttons.step.click()
    qtbot.waitUntil(
        lambda: window.presenter.latest.status.epoch == 1 and window.presenter.latest.status.run_id == 1, timeout=3000
    )
    assert window.presenter.latest.status.metrics.train_loss == first


def test_divergence_explains_and_train_continues_from_the_last_good_weights(window, qtbot):
    window.controls.activation.setCurrentText("linear")
    window.controls.optimizer.setCurrentText("sgd")
    window.controls.learning_rate.setValue(10.0)
    window.start_training()
    qtbot.waitUntil(
        lambda: window.presenter.drawn is not None and window.presenter.drawn.status.diverged, timeout=15000
    )
    qtbot.waitUntil(lambda: bool(window.notices.run_text), timeout=3000)
    run = window.presenter.drawn.status.run_id
    text = window.notices.run_text
    assert "learning rate" in text.lower() and "10" in text
    assert not window.is_training
    assert window.canvas.surface.image is not None  # the picture did not go blank
    assert "diverged" in window.status_line.text()
    assert "rolled back" in text
    stopped = window.epoch
    window.controls.learning_rate.setValue(0.03)
    window.buttons.train.click()  # continues the same run from the last good weights: no Reset needed
    qtbot.waitUntil(lambda: window.epoch > stopped + 20 and not window.presenter.drawn.status.diverged, timeout=10000)
    assert window.presenter.drawn.status.run_id == run  # the same run
    m = window.presenter.drawn.status.metrics
    assert m is not None and math.isfinite(m.train_loss)
    assert window.notices.run_text == ""  # the explanation went with the divergence
    window.pause_training()


@pytest.mark.slow
def test_close_while_training_exits_cleanly(qtbot, qthreads):
    for _ in range(3):
        w = MainWindow(make_preset("spiral", 500, 0.1))
        qtbot.addWidget(w)
        w.show()
        w.start_training()
        qtbot.waitUntil(lambda w=w: w.epoch > 5, timeout=10000)
        assert qthreads()  # the training thread runs, and the check sees it
        w.close()
        assert not w.thread.alive
        assert qthreads() == []


def test_multiclass_surface_and_empty_dataset(qtbot):
    w = MainWindow(make_preset("spiral3", 300, 0.0))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None and w.presenter.drawn.surface.rgba is not None, timeout=5000)
    assert w.presenter.drawn.status.output_text == "softmax over 3 classes, cross-entropy"
    w.data_panel.clear.click()
    w.start_training()
    qtbot.waitUntil(lambda: "no training points" in w.notices.run_text.lower(), timeout=5000)
    w.shutdown()


def test_test_points_toggle_and_discretize(window):
    _, yt = window.canvas.test_items[0].getData()
    assert len(yt) > 0
    window.data_panel.show_test.setChecked(False)
    _, yt = window.canvas.test_items[0].getData()
    assert len(yt) == 0
    window.data_panel.discretize.setChecked(True)
    assert set(np.unique(window.canvas.surface.image).tolist()) <= {0.0, 1.0}


def test_loss_plot_hover_and_log_scale(window, qtbot):
    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 30, timeout=10000)
    window.pause_training()
    qtbot.wait(100)
    plot = window.loss_plot
    vb = plot.getPlotItem().vb
    from PySide6.QtCore import QPointF

    epochs, _ = plot.train.data()
    scene = vb.mapViewToScene(QPointF(float(epochs[len(epochs) // 2]), 0.3))
    plot.scene().sigMouseMoved.emit(scene)
    assert "epoch" in plot.hover_text() and "train" in plot.hover_text()
    window.data_panel.log_scale.setChecked(True)
    assert plot.getPlotItem().ctrl.logYCheck.isChecked()


def test_preset_picker_loads_and_undo_restores(window):
    original = window.dataset
    window.data_panel.preset.setCurrentText("circle")
    window.data_panel.points.setValue(200)
    window.data_panel.load.click()
    assert len(window.dataset) == 200
    window.data_panel.undo.click()
    assert window.dataset == original


def test_empty_start(qtbot):
    w = MainWindow(Dataset())
    qtbot.addWidget(w)
    w.show()
    click(w, 0.0, 0.0)
    assert len(w.dataset) == 1
    assert canvas_pos(w, 0, 0) is not None
    w.shutdown()


def test_epoch_limit_pauses_training(window, qtbot):
    window.controls.max_epochs.setValue(40)
    window.start_training()
    qtbot.waitUntil(
        lambda: window.presenter.latest.status.epoch == 40 and not window.presenter.latest.status.running, timeout=10000
    )
    qtbot.wait(200)
    assert window.epoch == 40 and not window.is_training
    qtbot.waitUntil(lambda: "epoch limit" in window.notices.run_text, timeout=3000)


def test_boundary_follows_the_view_when_zoomed(window, qtbot):
    window.canvas.setRange(xRange=(0, 3), yRange=(0, 3), padding=0)

    def follows():
        b = window.presenter.drawn.surface.bounds
        return b is not None and abs(b[0] - window.canvas.visible_bounds()[0]) < 1e-6 and b[1] < 6

    qtbot.waitUntil(follows, timeout=5000)


def test_a_killed_training_process_is_replaced_and_training_goes_on_from_its_last_state(window, qtbot):
    import os
    import signal

    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 50, timeout=10000)
    saved = live_state(qtbot, window)  # a state the window has heard (as an autosave would ask for)
    first = window.thread.pid
    os.kill(first, signal.SIGKILL)  # as the out-of-memory killer would
    qtbot.waitUntil(lambda: window.thread.pid != first, timeout=10000)
    problem = window.notices.problem_text
    assert "stopped unexpectedly (signal 9)" in problem and f"from epoch {saved.state.epoch:,}" in problem
    assert window.thread.errors == 1 and window.thread.restarts == 1
    # The new process has the saved weights and the window's data and settings; Train goes on from there.
    assert live_trainer(qtbot, window).dataset == window.dataset
    window.start_training()
    qtbot.waitUntil(lambda: window.presenter.latest.status.running and window.epoch > saved.state.epoch, timeout=10000)
    window.pause_training()


def test_a_reset_sent_after_the_last_state_is_replayed_to_a_replacement_process(window, qtbot):
    """The new process starts from the last state the window heard; a Reset (or Delete runs, Branch, a weight
    set by hand ...) sent after that state must be done again there, or the reset weights come back."""
    import os
    import signal

    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 20, timeout=10000)
    window.pause_training()
    saved = live_state(qtbot, window)
    assert saved.state.epoch > 20
    first = window.thread.pid
    press_reset(window)  # sent to the process just before it dies, no state heard since
    os.kill(first, signal.SIGKILL)
    qtbot.waitUntil(lambda: window.thread.pid != first, timeout=10000)
    assert live_trainer(qtbot, window).epoch == 0


def test_a_training_process_that_keeps_dying_is_given_up_and_saves_still_work(window, qtbot, tmp_path):
    import os
    import signal

    from playground.files import load_session

    live_state(qtbot, window)  # a state to fall back on
    for _ in range(3):  # three restarts are allowed in a minute ...
        pid = window.thread.pid
        os.kill(pid, signal.SIGKILL)
        qtbot.waitUntil(lambda pid=pid: window.thread.pid not in (pid, None), timeout=10000)
    os.kill(window.thread.pid, signal.SIGKILL)  # ... the fourth death is one too many
    qtbot.waitUntil(lambda: window.thread.pid is None, timeout=10000)
    assert "4 times in a minute" in window.notices.problem_text and window.thread.alive
    path = tmp_path / "kept.json"
    window.save_session_to(path)  # answered from the last state the process sent
    qtbot.waitUntil(path.exists, timeout=5000)
    assert load_session(path).dataset == window.dataset


def test_a_loss_of_zero_is_drawn_on_a_linear_axis_and_a_new_run_clears_the_readout(qtbot):
    from playground.ui.loss_plot import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.add(np.array([1, 2, 3]), np.array([0.5, 0.0, 0.0]))  # a perfect fit underflows to 0 in float32
    plot.redraw()
    assert list(plot.train_curve.getData()[0]) == [1, 2, 3]
    plot.set_log(True)  # no place for 0 on a log axis
    assert list(plot.train_curve.getData()[0]) == [1]
    plot.readout.setText("epoch 3")
    plot.set_history({})  # a new run
    assert plot.hover_text() == "" and plot.train.data()[0].size == 0


def test_a_setting_changed_mid_run_says_it_applies_to_the_running_network(window, qtbot):
    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 5, timeout=10000)
    window.controls.learning_rate.setValue(0.1)
    assert (
        window.statusBar().currentMessage() == "Learning rate 0.1: the network keeps its weights and goes on with it."
    )
    window.pause_training()
