"""Edits a user makes with the mouse, as pure functions from a Dataset to a new Dataset.

A new point takes a class (classification) or a value (regression): ``label`` is whichever the dataset
holds, so drawing, the brush, undo and the eraser work alike for both."""

from __future__ import annotations

import numpy as np

from .dataset import MAX_CLASSES, Dataset, DatasetError


def _check_label(label: float) -> int:
    if not 0 <= int(label) < MAX_CLASSES:
        raise DatasetError(f"class must lie in 0..{MAX_CLASSES - 1}, not {label}")
    return int(label)


def _check_value(value: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise DatasetError(f"a point's value must be a number, not {value!r}") from None
    if not np.isfinite(v):
        raise DatasetError(f"a point's value must be a finite number, not {value!r}")
    return v


def add_point(ds: Dataset, x: float, y: float, label: float) -> Dataset:
    return add_points(ds, np.array([[x, y]]), label)


def add_points(ds: Dataset, points, label: float) -> Dataset:
    """New points of class ``label``, or of value ``label`` in a regression dataset."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if ds.is_regression:
        values = np.full(points.shape[0], _check_value(label), dtype=np.float64)
        return ds.concat(Dataset(points, values, regression=True))
    labels = np.full(points.shape[0], _check_label(label), dtype=np.int64)
    return ds.concat(Dataset(points, labels))


def spray(centre, radius: float, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` points uniformly inside a disc (the brush), ``(count, 2)``."""
    r = radius * np.sqrt(rng.uniform(0, 1, count))
    angle = rng.uniform(0, 2 * np.pi, count)
    return np.asarray(centre, dtype=np.float64) + np.column_stack([r * np.cos(angle), r * np.sin(angle)])


def add_stroke(ds: Dataset, path, label: float, radius: float, density: float, seed: int = 0) -> Dataset:
    """Paint along ``path`` (a sequence of (x, y)): ``density`` points per unit of path length, each
    sprayed within ``radius`` of the path. A single-point path sprays one dab of ``max(1, density)``."""
    path = np.asarray(path, dtype=np.float64).reshape(-1, 2)
    if path.shape[0] == 0:
        return ds
    rng = np.random.default_rng(seed)
    pieces = [spray(path[0], radius, max(1, round(density)), rng)]
    for a, b in zip(path[:-1], path[1:]):
        count = int(round(np.hypot(*(b - a)) * density))
        if count:
            t = rng.uniform(0, 1, (count, 1))
            pieces.append((a + t * (b - a)) + spray((0, 0), radius, count, rng))
    return add_points(ds, np.vstack(pieces), label)


def within(ds: Dataset, centre, radius: float) -> np.ndarray:
    return np.hypot(*(ds.X - np.asarray(centre, dtype=np.float64)).T) <= radius


def erase_radius(ds: Dataset, centre, radius: float) -> Dataset:
    hit = within(ds, centre, radius)
    return ds.take(~hit) if hit.any() else ds


def erase_nearest(ds: Dataset, centre, max_distance: float = np.inf) -> Dataset:
    if len(ds) == 0:
        return ds
    d = np.hypot(*(ds.X - np.asarray(centre, dtype=np.float64)).T)
    i = int(np.argmin(d))
    if d[i] > max_distance:
        return ds
    keep = np.ones(len(ds), dtype=bool)
    keep[i] = False
    return ds.take(keep)


def relabel_radius(ds: Dataset, centre, radius: float, label: int) -> Dataset:
    hit = within(ds, centre, radius)
    if not hit.any():
        return ds
    y = ds.y.copy()
    y[hit] = _check_value(label) if ds.is_regression else _check_label(label)
    return Dataset(ds.X, y, regression=ds.is_regression)


def clear(ds: Dataset) -> Dataset:
    """No points; a regression dataset stays one (new points take values)."""
    return Dataset(regression=ds.is_regression)
