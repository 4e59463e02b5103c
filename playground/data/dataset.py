"""The Dataset value: 2-D points with integer class labels (classification) or float values (regression).

A Dataset never changes after it is made (its arrays are read-only); an edit builds a new one. That makes
it safe to hand to the training thread while the user keeps drawing, and makes undo a list of values.
"""

from __future__ import annotations

import numpy as np

MAX_CLASSES = 8


class DatasetError(ValueError):
    """Bad data: the message says what was wrong and where (file and line, for files)."""


class Dataset:
    """``Dataset(X, y)``: ``X`` float64 ``(n, 2)``, ``y`` int64 ``(n,)`` labels in ``0..MAX_CLASSES-1``.

    ``Dataset(X, values, regression=True)``: ``y`` float64 ``(n,)`` finite values to predict. The problem
    type is the data's: ``is_regression`` is true exactly when ``y`` holds float64 values."""

    __slots__ = ("X", "y", "_hashes")

    def __init__(self, X=None, y=None, *, regression: bool = False):
        X = np.zeros((0, 2)) if X is None else np.array(X, dtype=np.float64, copy=True)
        y = np.zeros(0, dtype=np.float64 if regression else np.int64) if y is None else np.asarray(y)
        if X.ndim != 2 or X.shape[1] != 2:
            if X.size == 0:
                X = X.reshape(0, 2)
            else:
                raise DatasetError(f"X must have shape (n, 2), got {X.shape}")
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise DatasetError(f"y must have shape ({X.shape[0]},), got {y.shape}")
        if regression:
            if (y.size and not np.issubdtype(y.dtype, np.number)) or np.issubdtype(y.dtype, np.complexfloating):
                raise DatasetError("values must be numbers")
            y = np.array(y, dtype=np.float64, copy=True)
            if not np.all(np.isfinite(y)):
                raise DatasetError("values must be finite numbers (no NaN or infinity)")
        elif y.size and not np.issubdtype(y.dtype, np.integer):
            if not np.all(np.mod(y, 1) == 0):
                raise DatasetError("labels must be whole numbers (for values, make a regression dataset)")
        if not regression:
            y = np.array(y, dtype=np.int64, copy=True)
        if not np.all(np.isfinite(X)):
            raise DatasetError("coordinates must be finite numbers (no NaN or infinity)")
        if not regression and y.size and (y.min() < 0 or y.max() >= MAX_CLASSES):
            raise DatasetError(f"labels must lie in 0..{MAX_CLASSES - 1}")
        X.flags.writeable = False
        y.flags.writeable = False
        self.X = X
        self.y = y
        self._hashes: dict[int, np.ndarray] = {}  # seed -> point_hash, computed once per value

    def __len__(self) -> int:
        return self.X.shape[0]

    @property
    def is_regression(self) -> bool:
        """True for values to predict (float64 ``y``), False for class labels (int64 ``y``)."""
        return self.y.dtype == np.float64

    @property
    def n_classes(self) -> int:
        """Highest label + 1 (0 for an empty dataset, and for values: a regression has no classes)."""
        return int(self.y.max()) + 1 if self.y.size and not self.is_regression else 0

    def class_counts(self) -> np.ndarray:
        if self.is_regression:
            return np.zeros(1, dtype=np.int64)
        return np.bincount(self.y, minlength=max(self.n_classes, 1))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self.y.dtype == other.y.dtype and np.array_equal(self.X, other.X) and np.array_equal(self.y, other.y)

    __hash__ = None  # type: ignore[assignment]  # equal by value, but unhashable on purpose

    def __repr__(self) -> str:
        if self.is_regression:
            return f"Dataset(n={len(self)}, values)"
        return f"Dataset(n={len(self)}, n_classes={self.n_classes})"

    def test_mask(self, test_ratio: float, seed: int = 0) -> np.ndarray:
        """Which points are test points: ``(n,)`` bool.

        Decided per point from a hash of its coordinates and the seed, not from a shuffle, so a point
        keeps its side when others are added or removed: drawing one more point never reshuffles the
        test set under a running experiment. The share of test points approaches ``test_ratio``.
        """
        if not 0.0 <= test_ratio <= 1.0:
            raise DatasetError(f"test ratio must lie in 0..1, not {test_ratio}")
        return self.point_hashes(seed) < test_ratio

    def point_hashes(self, seed: int = 0) -> np.ndarray:
        """``point_hash(X, seed)``, cached: a dataset never changes, and a 100,000-point one is hashed on
        every edit otherwise (by the window and by the trainer)."""
        h = self._hashes.get(seed)
        if h is None:
            h = point_hash(self.X, seed)
            h.flags.writeable = False
            self._hashes[seed] = h
        return h

    def concat(self, other: Dataset) -> Dataset:
        if self.is_regression != other.is_regression and len(other) and len(self):
            raise DatasetError("cannot join class labels and values in one dataset")
        regression = self.is_regression if len(self) or not len(other) else other.is_regression
        joined = Dataset(np.vstack([self.X, other.X]), np.concatenate([self.y, other.y]), regression=regression)
        for seed, h in list(self._hashes.items()):  # the old points keep their hashes: extend, don't redo
            joined._hashes[seed] = np.concatenate([h, other.point_hashes(seed)])
        return joined

    def take(self, keep: np.ndarray) -> Dataset:
        """The points selected by a boolean mask or an index array."""
        return Dataset(self.X[keep], self.y[keep], regression=self.is_regression)


_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix64(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h + np.uint64(0x9E3779B97F4A7C15)
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return (h ^ (h >> np.uint64(31))) & _MASK64


def point_hash(X: np.ndarray, seed: int = 0) -> np.ndarray:
    """A uniform number in [0, 1) per point, a pure function of its coordinates and ``seed``."""
    bits = np.ascontiguousarray(X, dtype=np.float64).view(np.uint64).reshape(-1, 2)
    h = _splitmix64(bits[:, 1] ^ np.uint64(seed % (1 << 63)))
    h = _splitmix64(bits[:, 0] ^ h)
    return (h >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))
