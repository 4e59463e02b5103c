"""Rewind and plot defects from the fourth user tour: a past moment shown (Rewind) appends nothing out of
order to the curves, the timeline's track keeps its size and follows what is shown, a branch keeps both
curves up to the one epoch it names, and a new run's plots start from fresh ranges."""

import math

import numpy as np
from PySide6.QtWidgets import QApplication
from ui_helpers import shown

from playground.data import make_preset
from playground.training import TrainConfig
from playground.training.frame import HealthFrame, Status
from playground.training.insight import LayerStats
from playground.training.live import LiveRun
from playground.ui.health_view import HealthView
from playground.ui.loss_plot import LossPlot
from playground.ui.rewind_view import RewindView

NAN = math.nan


def settle(qtbot, ms=60):
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(ms // 3)


def _health(epoch, grad, run_id=1):
    stats = [LayerStats(grad, 1.0, 0.01, NAN, NAN), LayerStats(grad / 2, 1.0, 0.01, NAN, NAN)]
    return HealthFrame(run_id, epoch, "tanh", stats, TrainConfig(), 0.5)


def _status(epoch, running=False, run_id=1, present=None, asked=0):
    """A frame; with ``present``, of an earlier moment shown (``epoch``) while the run is at ``present``;
    ``asked``: the last Rewind request the training side had handled when it made the frame."""
    return Status(
        run_id,
        epoch,
        running,
        False,
        False,
        0.0,
        None,
        "",
        "",
        [2, 4, 1],
        "",
        False,
        TrainConfig(),
        False,
        showing_past=present is not None,
        present_epoch=present,
        moment_asked=asked,
    )


def test_health_curves_gain_no_backward_lines_from_a_rewound_moment(qtbot):
    view = HealthView()
    qtbot.addWidget(view)
    for epoch in (100, 200, 300, 400):
        view.update_from(_health(epoch, 0.1 + epoch / 1000))
    before = [curve.getData()[0].tolist() for curve in view.curves]
    for moment in (150, 250, 400):  # Rewind to two earlier moments, then back to now
        view.update_from(_health(moment, 0.05))
    after = [curve.getData()[0].tolist() for curve in view.curves]
    assert after == before == [[100, 200, 300, 400]] * 2
    view.update_from(_health(500, 0.2))  # training goes on from the present
    assert view.curves[0].getData()[0].tolist() == [100, 200, 300, 400, 500]


def test_loss_plot_test_curve_keeps_its_order_through_rewind_and_back(qtbot):
    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.add(np.arange(1, 6), np.linspace(1.0, 0.5, 5), 5, 0.9)
    plot.add(np.arange(6, 11), np.linspace(0.5, 0.4, 5), 10, 0.8)
    plot.add([], [], 3, 0.95)  # the frame of epoch 3 shown (Rewind): its test loss is on the curve already
    plot.add([], [], 10, 0.8)  # back to now
    plot.redraw()
    assert plot.test_curve.getData()[0].tolist() == [5, 10]
    assert plot.train_curve.getData()[0].tolist() == list(range(1, 11))


def _shown_timeline(qtbot):
    view = shown(qtbot, RewindView(), 520, 40)
    return view


def test_rewind_track_keeps_its_size_under_a_drag_and_is_long_at_the_present(qtbot):
    view = _shown_timeline(qtbot)
    view.update_from(_status(50_092))
    settle(qtbot)
    width = view.slider.width()
    view.slider.setSliderDown(True)  # the user drags the handle
    view.slider.setValue(8_000)
    view.update_from(
        _status(4_096, present=50_092, asked=1)
    )  # the moment shown: the label waits for the handle to be let go
    settle(qtbot)
    assert view.slider.width() == width and view.label.text() == ""
    view.slider.setSliderDown(False)
    settle(qtbot)
    assert view.label.text() == "epoch 4,096 of 50,092"
    shorter = view.slider.width()
    view.slider.setSliderDown(True)  # a second drag in the past: the track keeps its size whatever the digits
    view.slider.setValue(20_000)
    view.update_from(_status(16_384, present=50_092, asked=2))
    view.slider.setSliderDown(False)
    settle(qtbot)
    assert view.label.text() == "epoch 16,384 of 50,092" and view.slider.width() == shorter
    view.back_to_now()  # the present: the label gives its room back to the track
    view.update_from(_status(50_092, asked=3))
    settle(qtbot)
    assert view.label.text() == "" and view.slider.width() == width


def test_rewind_follows_the_moment_shown_after_a_frame_of_the_running_present(qtbot):
    view = _shown_timeline(qtbot)
    branched = []
    view.branchRequested.connect(branched.append)
    view.update_from(_status(50_000, running=True))
    view.slider.setValue(23_273)  # dragged while training
    view.update_from(_status(50_092, running=True))  # sent before the training side took the request
    view.update_from(_status(23_170, present=50_092, asked=1))  # the kept checkpoint shown, training stopped
    assert view.label.text() == "epoch 23,170 of 50,092"  # the run's latest epoch, not the one shown
    assert view.slider.maximum() == 50_092
    assert view.now_button.isEnabled() and view.branch_button.isEnabled()
    view.branch_button.click()
    assert branched == [23_170]  # the epoch the notice will name, not the one dragged to


def test_training_after_a_rewind_leaves_the_past(qtbot):
    view = _shown_timeline(qtbot)
    view.update_from(_status(1_000))
    view.slider.setValue(300)
    view.update_from(_status(256, present=1_000, asked=1))
    assert view.now_button.isEnabled()
    view.update_from(_status(1_001, running=True, asked=1))  # Train goes on from the present
    assert not view.now_button.isEnabled() and view.label.text() == ""
    assert view.slider.value() == view.slider.maximum() == 1_001


def test_branch_keeps_the_test_curve_up_to_the_branch_epoch():
    ds = make_preset("xor", 80, 0.0, seed=0)
    live = LiveRun(ds, TrainConfig(hidden=(4,), test_ratio=0.25))
    live.running = True
    for epoch in range(1, 41):
        live.advance()
        if epoch % 10 == 0:
            live.take_curves(live.trainer.evaluate())
    assert live.branch_from(25)
    epochs, _ = live.history["test"].data()
    kept = live.trainer.epoch
    assert 0 < kept <= 25
    assert epochs.tolist() == [e for e in (10, 20) if e <= kept]
    assert live.history["train"].data()[0].max() == kept


def test_an_empty_loss_plot_after_reset_drops_the_old_loss_range(qtbot):
    plot = shown(qtbot, LossPlot(), 400, 200)
    plot.set_history({"train": (np.arange(1, 101), np.linspace(30.0, 20.0, 100))})
    plot.redraw()
    settle(qtbot)
    assert plot.getPlotItem().vb.viewRange()[1][0] > 10
    plot.set_history({})  # Reset
    plot.redraw()
    settle(qtbot)
    low, high = plot.getPlotItem().vb.viewRange()[1]
    assert low >= -0.1 and high <= 1.1


def test_a_new_runs_gradients_panel_starts_at_epoch_0(qtbot):
    view = shown(qtbot, HealthView(), 400, 400)
    for epoch in (1_000, 5_000, 10_000):
        view.update_from(_health(epoch, 0.1))
    settle(qtbot)
    view.update_from(_health(0, 0.1, run_id=2))  # the new run's first frame
    settle(qtbot)
    low, high = view.plot.getViewBox().viewRange()[0]
    assert low >= 0 and high <= 20
