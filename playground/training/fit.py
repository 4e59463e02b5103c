"""Predicted against true values, for a regression: what the Confusion panel shows instead of a matrix.

    RMSE = sqrt(mean (p - y)^2)        R^2 = 1 - sum (p - y)^2 / sum (y - mean y)^2

R² is NaN when the true values do not vary (nothing to explain), RMSE when there are no points. Pure NumPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def fit_figures(true, predicted) -> tuple[float, float]:
    """``(rmse, r2)`` of ``predicted`` against ``true`` (float64; NaN-safe, never a warning)."""
    y = np.asarray(true, dtype=np.float64).reshape(-1)
    p = np.asarray(predicted, dtype=np.float64).reshape(-1)
    if y.size == 0:
        return math.nan, math.nan
    with np.errstate(all="ignore"):
        residual = float(np.sum((p - y) ** 2))
        spread = float(np.sum((y - y.mean()) ** 2))
    rmse = math.sqrt(residual / y.size) if math.isfinite(residual) else math.nan
    return rmse, (1.0 - residual / spread if spread > 0 and math.isfinite(residual) else math.nan)


@dataclass(frozen=True)
class FitFrame:
    """Every point's true and predicted value, in the dataset's order, and the train and test figures."""

    run_id: int
    epoch: int
    values: np.ndarray  # (n,) float64 true values
    predicted: np.ndarray  # (n,) float64
    is_test: np.ndarray  # (n,) bool: the point is in the test split
    train_rmse: float
    train_r2: float
    test_rmse: float
    test_r2: float


def fit_frame(run_id: int, trainer) -> FitFrame | None:
    """Predict every point of the trainer's split; None unless the network has a linear (regression) output."""
    net = trainer.net
    if net.output_name != "linear":
        return None
    is_test = np.array(trainer.test_mask, dtype=bool)
    predicted = np.zeros(is_test.shape[0], dtype=np.float64)
    with np.errstate(all="ignore"):  # a diverged network predicts something; no warning for it
        if trainer.X_train.shape[0]:
            predicted[~is_test] = net.head.predict(net.logits(trainer.X_train))
        if trainer.X_test.shape[0]:
            predicted[is_test] = net.head.predict(net.logits(trainer.X_test))
    values = np.asarray(trainer.dataset.y, dtype=np.float64).copy()
    train = fit_figures(values[~is_test], predicted[~is_test])
    test = fit_figures(values[is_test], predicted[is_test])
    return FitFrame(run_id, trainer.epoch, values, predicted, is_test, *train, *test)
