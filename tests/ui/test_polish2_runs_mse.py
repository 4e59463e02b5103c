"""The Runs panel shows a regression run's loss as Progress and the loss plot do: the mean squared error (the
engine minimises half of it), named MSE; the record itself keeps the engine's loss, as sessions store it."""

import math

import numpy as np

from playground.training import TrainConfig
from playground.training.runs import RunRecord
from playground.training.trainer import MSE_PER_LOSS
from playground.ui.insight_views import RunsView


def _run(train_loss, test_loss, rmse=math.nan, label=""):
    curve = np.array([1.0, 0.5, 0.25]) * train_loss
    accuracy = math.nan if not math.isnan(rmse) else 0.9
    return RunRecord(
        TrainConfig(), 3, 0.1, train_loss, test_loss, accuracy, accuracy, np.arange(1, 4), curve, label,
        train_rmse=rmse, test_rmse=rmse,
    )  # fmt: skip


def _cells(view, row):
    table = view.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return headers, [table.item(row, c).text() for c in range(table.columnCount())]


def test_runs_show_a_regression_runs_mse_and_say_so(qtbot):
    view = RunsView()
    qtbot.addWidget(view)
    fit = _run(0.02, 0.03, rmse=0.2, label="values")  # engine loss 0.02 is an MSE of 0.04
    view.set_runs([fit])
    headers, cells = _cells(view, 0)
    assert headers[3:5] == ["Train MSE", "Test MSE"]
    assert (
        cells[3:5]
        == [f"MSE {MSE_PER_LOSS * 0.02:.4f}", f"MSE {MSE_PER_LOSS * 0.03:.4f}"]
        == ["MSE 0.0400", "MSE 0.0600"]
    )
    assert "mean squared error" in view.table.item(0, 3).toolTip().lower()
    assert fit.train_loss == 0.02  # what a session stores is unchanged
    (curve,) = view.plot.listDataItems()
    assert np.allclose(10 ** curve.getData()[1], [0.04, 0.02, 0.01])  # the overlaid curve in MSE too (log axis)
    assert "MSE" in view.plot.getAxis("left").labelText

    view.set_runs([fit, _run(0.6, 0.7, label="classes")])  # mixed rows: a loss, and MSE where it is one
    headers, cells = _cells(view, 1)
    assert headers[3:5] == ["Train loss", "Test loss"] and cells[3:5] == ["0.6000", "0.7000"]
    assert _cells(view, 0)[1][3] == "MSE 0.0400"
    tip = view.table.horizontalHeaderItem(3).toolTip()
    assert "MSE" in tip and "regression" in tip
