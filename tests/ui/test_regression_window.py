"""Regression in the window: points drawn with two values, coloured by value; training fits a surface that
spans them; the readouts show RMSE and R²; the wheel while painting changes the value drawn."""

import runpy

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QSlider
from ui_helpers import canvas_pos, click, drag, live_trainer

from playground.data import Dataset, make_preset
from playground.training import TrainConfig
from playground.training.commands import SetTrace, Views
from playground.training.frame import FrameBuilder
from playground.training.live import LiveRun
from playground.ui import MainWindow
from playground.ui.step_through import stage_text


@pytest.fixture(autouse=True)
def _fast_mouse():
    pg.setConfigOption("mouseRateLimit", -1)


def _window(qtbot, dataset, config=None):
    w = MainWindow(dataset, config or TrainConfig(hidden=(4,), learning_rate=0.05))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.canvas.reset_view()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=5000)
    return w


def _value_points(w) -> int:
    return sum(len(item.data) for item in (*w.canvas.value_train_items, *w.canvas.value_test_items))


def _surface_at(frame, x, y):
    x0, x1, y0, y1 = frame.bounds
    h, wd = frame.values.shape
    return float(frame.values[int((y - y0) / (y1 - y0) * h), int((x - x0) / (x1 - x0) * wd)])


@pytest.mark.slow
def test_drawn_values_are_coloured_trained_and_the_surface_spans_them(qtbot):
    w = _window(qtbot, Dataset(regression=True))
    slider = w.findChild(QSlider, "drawValue")
    assert slider.isVisible() and not w.findChild(QComboBox, "currentClass").isVisible()
    slider.setValue(80)  # +0.8
    assert w.state.view.current_value == 0.8 and w.findChild(QLabel, "drawValueLabel").text() == "value +0.80"
    for y in (-3.0, -1.0, 1.0, 3.0):
        click(w, -3.0, y)
        click(w, -4.0, y)
    slider.setValue(-80)
    for y in (-3.0, -1.0, 1.0, 3.0):
        click(w, 3.0, y)
    click(w, 4.0, 0.0, button=Qt.MouseButton.RightButton)  # the opposite value: +0.8 on the right
    ds = w.dataset
    assert ds.is_regression and len(ds) == 13
    assert sorted(set(ds.y.tolist())) == [-0.8, 0.8] and ds.y[-1] == 0.8
    qtbot.waitUntil(lambda: _value_points(w) == 13, timeout=3000)
    assert sum(len(item.data) for item in (*w.canvas.train_items, *w.canvas.test_items)) == 0
    assert w.canvas.colorbar.levels() == (-1.0, 1.0)
    w.data_panel.undo.click()  # undo works for values as for classes
    assert len(w.dataset) == 12

    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= 300, timeout=20000)
    w.pause_training()
    qtbot.waitUntil(
        lambda: not w.presenter.drawn.status.running and w.presenter.drawn.surface is not None, timeout=5000
    )
    frame = w.presenter.drawn
    assert frame.status.output_text.startswith("linear")
    left, right = _surface_at(frame.surface, -3.5, 0.0), _surface_at(frame.surface, 3.5, 0.0)
    assert left > 0.75 and right < 0.25  # +0.8 and -0.8 on the scale -1..1 (0.5 is 0)
    assert frame.surface.values.min() >= 0 and frame.surface.values.max() <= 1 and frame.surface.contour is None
    accuracy = w.findChild(QLabel, "accuracyLabel").text()
    assert "," in accuracy and "%" not in accuracy  # RMSE train / test, R²
    # The plot and the readout show the mean squared error: twice the engine's loss (½·MSE), squared RMSE.
    assert "MSE" in w.loss_plot.getAxis("left").labelText and w.progress.loss_name.text() == "MSE train / test"
    m = frame.status.metrics
    mse_train, mse_test = (float(v) for v in w.progress.loss.text().split(" / "))
    assert mse_train == pytest.approx(m.train_rmse**2, abs=1e-4) and mse_test == pytest.approx(m.test_rmse**2, abs=1e-4)
    epochs, shown = w.loss_plot.test.data()
    assert shown[-1] == pytest.approx(2 * m.test_loss, rel=1e-6)
    w.shutdown()


def test_a_regression_preset_shows_values_and_the_wheel_while_painting_changes_the_value(qtbot):
    w = _window(qtbot, make_preset("multigauss", 200, 0.0))
    assert _value_points(w) == 200
    assert w.findChild(QSlider, "drawValue").isVisible()
    start = w.state.view.current_value
    vp = w.canvas.viewport()
    pos = canvas_pos(w, 1.0, 1.0)
    wheel = QWheelEvent(
        QPointF(pos), QPointF(vp.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, -120),
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    range_before = w.canvas.visible_bounds()
    QApplication.sendEvent(vp, wheel)
    assert w.state.view.current_value == pytest.approx(start - 0.1)
    assert w.canvas.visible_bounds() == range_before  # no zoom while painting
    drag(w, [(0.0, 0.0), (0.5, 0.0), (1.0, 0.0)])
    painted = w.dataset.y[200:]
    assert len(painted) > 0 and np.all(painted == pytest.approx(start - 0.1))
    w.shutdown()


def test_step_through_traces_a_value_towards_its_target():
    live = LiveRun(make_preset("plane", 60, 0.0), TrainConfig(hidden=(3,)))
    live.handle(Views(trace=True))
    live.handle(SetTrace((2.0, 1.0), 0.3))
    trace = FrameBuilder().build(live).trace
    assert trace.output == "linear" and trace.label == 0.3 and not trace.guessed
    np.testing.assert_allclose(trace.trace.target, [0.3])
    loss_stage = len(trace.trace.preactivations)
    assert "target: value 0.3, the point's label" in stage_text(trace, loss_stage, False)
    live.handle(SetTrace((2.0, 1.0), None))  # a spot of the plane: the network's own value is the target
    trace = FrameBuilder().build(live).trace
    assert trace.guessed and trace.trace.loss == 0.0


def test_a_pasted_regression_with_features_exports_a_script_that_predicts_like_the_network(window, qtbot, tmp_path):
    QGuiApplication.clipboard().setText("pg1,preset=plane:100:0.0,hidden=3,features=x1-x1sq,seed=2")
    window.actions["pasteSettingsAction"].trigger()
    assert window.dataset == make_preset("plane", 100, 0.0, seed=2) and window.config.features == ("x1", "x1sq")
    window.buttons.step.click()
    qtbot.waitUntil(lambda: window.epoch == 1, timeout=5000)
    script = tmp_path / "model.py"
    window.share.request_script(script)
    qtbot.waitUntil(lambda: script.exists(), timeout=5000)
    trainer = live_trainer(qtbot, window)
    assert trainer.net.output_name == "linear" and trainer.net.layer_sizes == [2, 3, 1]
    X = np.random.default_rng(0).uniform(-6, 6, (20, 2))
    predict = runpy.run_path(str(script))["predict"]
    np.testing.assert_allclose(predict(X), trainer.net.forward(trainer.inputs(X)), rtol=1e-5, atol=1e-6)


def test_the_confusion_panel_shows_predicted_against_true_values_for_a_regression(qtbot):
    w = _window(qtbot, make_preset("plane", 120, 0.0, seed=0))
    try:
        dock = w.insight.docks["confusion"]
        dock.toggleViewAction().trigger()
        qtbot.waitUntil(dock.isVisible, timeout=3000)
        for _ in range(5):
            w.buttons.step.click()
        qtbot.waitUntil(lambda: w.presenter.drawn is not None and w.presenter.drawn.fit is not None, timeout=5000)
        qtbot.waitUntil(
            lambda: w.insight.confusion.fit is not None and w.insight.confusion.fit.frame is w.presenter.drawn.fit,
            timeout=5000,
        )
        view, fit = w.insight.confusion, w.presenter.drawn.fit
        assert view.pages.currentWidget() is view.fit  # the scatter, not the matrices
        xs, ys = view.fit.test.getData()
        np.testing.assert_array_equal(xs, fit.values[fit.is_test])
        np.testing.assert_array_equal(ys, fit.predicted[fit.is_test])
        text = view.fit.figures.text()
        assert f"RMSE {fit.train_rmse:.4g}" in text and f"R² {fit.test_r2:.4g}" in text
        assert not w.insight.marks.toggle.isVisible()  # no classes to get wrong
    finally:
        w.shutdown()


def test_tracing_a_point_of_a_regression_names_its_value(qtbot):
    w = _window(qtbot, make_preset("plane", 60, 0.0, seed=0))
    try:
        w.data_panel.trace_tool.click()
        ds = w.dataset
        click(w, float(ds.X[0, 0]), float(ds.X[0, 1]))
        assert f"this point of value {float(ds.y[0]):+.3g}" in w.statusBar().currentMessage()
        qtbot.waitUntil(lambda: w.presenter.drawn is not None and w.presenter.drawn.trace is not None, timeout=5000)
        assert w.presenter.drawn.trace.label == pytest.approx(float(ds.y[0]))
    finally:
        w.shutdown()
