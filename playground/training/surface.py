"""Decision surfaces: the network's output over a grid covering the view, computed off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Surface:
    """``values``: ``(res_y, res_x)`` float32, row-major (row j is y_j). For one sigmoid unit it is
    P(class 1); for k classes, ``values`` is the winning class's probability and ``classes`` its index."""

    bounds: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max (cell centres)
    values: np.ndarray
    classes: np.ndarray | None


def grid(bounds, resolution: int) -> np.ndarray:
    x_min, x_max, y_min, y_max = bounds
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_min, y_max, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def evaluate_surface(net, bounds, resolution: int = 160) -> Surface:
    points = grid(bounds, resolution).astype(net.dtype)
    with np.errstate(all="ignore"):
        out = net.forward(points)
    if out.shape[1] == 1:
        values = out[:, 0].reshape(resolution, resolution).astype(np.float32)
        return Surface(tuple(bounds), values, None)
    classes = out.argmax(axis=1)
    values = out[np.arange(out.shape[0]), classes].reshape(resolution, resolution).astype(np.float32)
    return Surface(tuple(bounds), values, classes.reshape(resolution, resolution).astype(np.int8))
