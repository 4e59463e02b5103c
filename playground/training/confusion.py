"""The confusion matrix and the per-class figures read from it. Pure NumPy, NaN-safe.

Rows are the true class, columns the predicted one: ``counts[i, j]`` is how many points of class ``i``
the network calls ``j``, so the diagonal holds the right answers.

    precision[j] = counts[j, j] / sum_i counts[i, j]     (of the points called j, the share that are j)
    recall[i]    = counts[i, i] / sum_j counts[i, j]     (of the points of class i, the share found)

A class with no points (recall) or never predicted (precision) has no such share: NaN, never a warning.
"""

from __future__ import annotations

import numpy as np


def confusion(y_true, y_pred, k: int) -> np.ndarray:
    """``(k, k)`` int64 counts: ``[i, j]`` = points of true class ``i`` predicted as ``j``."""
    y_true = np.asarray(y_true, dtype=np.int64).reshape(-1)
    y_pred = np.asarray(y_pred, dtype=np.int64).reshape(-1)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in length: {y_true.shape[0]} and {y_pred.shape[0]}")
    if y_true.size and (min(y_true.min(), y_pred.min()) < 0 or max(y_true.max(), y_pred.max()) >= k):
        raise ValueError(f"class labels must lie in 0..{k - 1}")
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole`` as float64, NaN where ``whole`` is 0."""
    out = np.full(np.broadcast(part, whole).shape, np.nan)
    np.divide(part, whole, out=out, where=whole != 0)
    return out


def row_shares(counts: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (the share of class ``i`` predicted as each ``j``); NaN for an empty row."""
    counts = np.asarray(counts)
    return _share(counts, counts.sum(axis=1, keepdims=True))


def precision_recall(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(precision, recall)``, each ``(k,)`` float64, NaN where the class is never predicted / never occurs."""
    counts = np.asarray(counts)
    right = np.diagonal(counts)
    return _share(right, counts.sum(axis=0)), _share(right, counts.sum(axis=1))


def accuracy(counts: np.ndarray) -> float:
    """The share of points on the diagonal; NaN with no points."""
    counts = np.asarray(counts)
    total = counts.sum()
    return float(np.trace(counts) / total) if total else float("nan")
