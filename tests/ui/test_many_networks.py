"""Many networks at once, in the window: a stacked sweep fills the Runs panel live; the Loss landscape panel
shows the loss around the weights and the path, and a click moves the weights there."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from playground.data import make_preset
from playground.files import load_session
from playground.training import TrainConfig
from playground.ui import MainWindow


@pytest.fixture(autouse=True)
def _no_mouse_rate_limit():
    pg.setConfigOption("mouseRateLimit", -1)


def _window(qtbot, panel, config=None):
    w = MainWindow(make_preset("xor", 200, 0.0, seed=0), config or TrainConfig(hidden=(4,), learning_rate=0.05))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=10000)
    dock = w.insight.docks[panel]
    dock.toggleViewAction().trigger()  # as the View menu (or its shortcut) does
    qtbot.waitUntil(dock.isVisible, timeout=3000)
    return w


@pytest.mark.slow
def test_the_landscape_panel_maps_the_loss_follows_training_and_jumps_on_a_click(qtbot):
    w = _window(qtbot, "landscape")
    view = w.insight.landscape
    assert w.insight.docks["landscape"].toggleViewAction().shortcut() == QKeySequence("Ctrl+7")
    qtbot.waitUntil(lambda: view.uid > 0, timeout=10000)  # computed on opening, in the training process
    first = view.uid
    assert view.image.image.shape == (41, 41) and "Centre: loss" in view.info.text()
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= 60, timeout=15000)
    w.pause_training()
    qtbot.waitUntil(lambda: not w.presenter.drawn.status.running, timeout=5000)
    view.method.setCurrentIndex(view.method.findData("pca"))
    view.compute_button.click()
    qtbot.waitUntil(lambda: view.uid > first, timeout=10000)
    path_x, _ = view.path_item.getData()
    assert len(path_x) >= 10  # the path so far, on the plane it spans
    assert "Principal" in view.info.text()
    # Click a spot of the map: the weights move there, and the current point with them.
    x0, x1, y0, y1 = view.bounds
    target = (x0 + 0.8 * (x1 - x0), y0 + 0.3 * (y1 - y0))
    pos = view.plot.mapFromScene(view.view_box.mapViewToScene(QPointF(*target)))
    QTest.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos, 300)

    def moved():
        xs, ys = view.current_item.getData()
        return len(xs) == 1 and abs(xs[0] - target[0]) < 0.02 * (x1 - x0) and abs(ys[0] - target[1]) < 0.02 * (y1 - y0)

    qtbot.waitUntil(moved, timeout=5000)
    w.shutdown()


@pytest.mark.slow
def test_a_stacked_sweep_fills_the_runs_panel_live(qtbot):
    w = _window(qtbot, "runs")
    runs = w.insight.runs
    runs.parameter.setCurrentIndex(runs.parameter.findData("learning_rate"))
    runs.values.setText("0.01, 0.1, 1")
    runs.epochs.setValue(100_000)
    runs.sweep_button.click()
    # All three rows at once, growing together while the sweep runs.
    qtbot.waitUntil(lambda: runs.table.rowCount() == 3 and all(r.epochs > 0 for r in runs.runs), timeout=10000)
    assert all("training" in r.label for r in runs.runs)
    early = [r.epochs for r in runs.runs]
    qtbot.waitUntil(lambda: all(r.epochs > e for r, e in zip(runs.runs, early)), timeout=10000)
    assert len({r.epochs for r in runs.runs}) == 1  # in lock-step
    assert runs.overlaid() == 3
    w.buttons.train.click()  # the Train button reads Pause during a sweep: it stops the sweep
    qtbot.waitUntil(lambda: all(r.label.endswith("(stopped)") for r in runs.runs), timeout=5000)
    assert runs.table.rowCount() == 3 and np.all([r.epochs > 0 for r in runs.runs])
    w.shutdown()


@pytest.mark.slow
def test_scrubbing_shows_an_earlier_boundary_and_branching_starts_a_run_there(qtbot):
    w = _window(qtbot, "runs")
    rewind = w.timeline  # under the loss plot, not a dock
    assert "rewind" not in w.insight.docks and rewind.isVisible()
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= 200, timeout=15000)
    w.pause_training()
    qtbot.waitUntil(lambda: not w.presenter.drawn.status.running, timeout=5000)
    now = w.presenter.drawn
    qtbot.waitUntil(lambda: rewind.slider.maximum() == w.epoch, timeout=3000)
    assert w.loss_plot.marked_epoch() is None
    rewind.slider.setValue(5)  # as a drag to near the start
    qtbot.waitUntil(lambda: w.epoch == 5, timeout=5000)
    qtbot.waitUntil(lambda: w.presenter.drawn.surface is not None and w.presenter.drawn.status.epoch == 5, timeout=5000)
    then = w.presenter.drawn
    assert not np.allclose(then.surface.values, now.surface.values, atol=1e-3)  # the boundary of epoch 5
    assert "epoch 5 of" in rewind.label.text() and rewind.branch_button.isEnabled()
    assert w.loss_plot.marked_epoch() == 5  # the loss plot marks the moment shown
    # The status bar does not say the run itself went back ("Paused at epoch 5").
    assert w.status_line.text() == f"Showing epoch 5 (the run is at {now.status.epoch:,})"
    assert w.insight.runs.runs == []
    rewind.branch_button.click()
    qtbot.waitUntil(lambda: w.presenter.drawn.status.run_id > then.status.run_id, timeout=5000)
    assert w.epoch == 5 and rewind.slider.maximum() == 5  # a new run, from epoch 5's weights
    assert w.loss_plot.marked_epoch() is None
    qtbot.waitUntil(lambda: len(w.insight.runs.runs) == 1, timeout=3000)
    assert w.insight.runs.runs[0].epochs >= 200  # the old run, whole, in Runs
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= 10, timeout=5000)
    w.shutdown()


@pytest.mark.slow
def test_a_saved_session_keeps_its_timeline(qtbot, tmp_path):
    w = _window(qtbot, "runs")
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= 100, timeout=15000)
    w.pause_training()
    qtbot.waitUntil(lambda: not w.presenter.drawn.status.running, timeout=5000)
    w.timeline.slider.setValue(5)
    qtbot.waitUntil(lambda: w.presenter.drawn.status.epoch == 5 and w.presenter.drawn.surface is not None, timeout=5000)
    then = w.presenter.drawn.surface.values
    w.timeline.back_to_now()
    path = tmp_path / "timeline.json"
    w.save_session_to(path)
    qtbot.waitUntil(path.exists, timeout=5000)
    assert 5 in [c.epoch for c in load_session(path).checkpoints]
    w.shutdown()
    other = _window(qtbot, "runs")
    assert other.open_path(path)
    qtbot.waitUntil(lambda: other.timeline.slider.maximum() == other.epoch >= 100, timeout=5000)
    other.timeline.slider.setValue(5)  # back before the save, in a new window
    qtbot.waitUntil(lambda: other.presenter.drawn.status.epoch == 5, timeout=5000)
    qtbot.waitUntil(lambda: other.presenter.drawn.surface is not None, timeout=5000)
    np.testing.assert_allclose(other.presenter.drawn.surface.values, then, rtol=1e-5, atol=1e-6)
    other.shutdown()
