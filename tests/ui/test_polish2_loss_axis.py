"""The loss plot's epoch axis: from 0 (epoch 1 on a log axis) to at least epoch 10, whole-number ticks only.
A run at epoch 1 once showed -40..40 (a new run's empty plot spans 0..100, and one point kept that width)."""

import numpy as np
from ui_helpers import shown

from playground.ui.loss_plot import LossPlot


def _epoch_axis(qtbot, plot):
    qtbot.wait(20)  # the view applies its auto-range when it next paints
    lo, hi = plot.getPlotItem().vb.viewRange()[0]
    labels = plot.axis_labels("bottom")
    return lo, hi, labels


def test_the_epoch_axis_starts_at_zero_and_counts_whole_epochs(qtbot):
    plot = shown(qtbot, LossPlot(), 500, 200)
    plot.set_history({})  # a new run, as its first frame sends it
    plot.redraw()
    plot.add(np.array([1]), np.array([0.7]), 1, 0.71)  # one Step
    plot.redraw()
    lo, hi, labels = _epoch_axis(qtbot, plot)
    assert -1e-9 <= lo <= 0.01 and 10 <= hi <= 11, (lo, hi)
    assert labels and all(t.lstrip("-").isdigit() and int(t) >= 0 for t in labels), labels

    plot.add(np.arange(2, 41), np.linspace(0.69, 0.5, 39), 40, 0.52)
    plot.redraw()
    lo, hi, labels = _epoch_axis(qtbot, plot)
    assert -1e-9 <= lo <= 0.01 and 40 <= hi <= 42, (lo, hi)
    assert all(t.isdigit() for t in labels), labels

    plot.set_log_epochs(True)  # log10 of the epoch: from epoch 1 on, still whole epochs
    lo, hi, labels = _epoch_axis(qtbot, plot)
    assert -1e-9 <= lo <= 0.01 and np.log10(40) <= hi <= np.log10(48), (lo, hi)
    assert labels and all(t.isdigit() and int(t) >= 1 for t in labels), labels
