"""Decision surfaces: the network's output over a grid covering the view, computed off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data.features import DEFAULT_FEATURES, feature_matrix


@dataclass(frozen=True)
class Surface:
    """``values``: ``(res_y, res_x)`` float32, row-major (row j is y_j). For one sigmoid unit it is
    P(class 1); for k classes, ``values`` is the winning class's probability and ``classes`` its index.
    The grid divides ``bounds`` into equal cells and samples each at its centre, so an image of
    ``values`` covers exactly ``bounds``."""

    bounds: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max: the area the cells tile
    values: np.ndarray
    classes: np.ndarray | None


def cell_centres(lo: float, hi: float, resolution: int) -> np.ndarray:
    step = (hi - lo) / resolution
    return lo + step * (np.arange(resolution) + 0.5)


def grid(bounds, resolution: int) -> np.ndarray:
    """``(resolution**2, 2)`` cell centres, row-major: x varies fastest."""
    x_min, x_max, y_min, y_max = bounds
    xs = cell_centres(x_min, x_max, resolution)
    ys = cell_centres(y_min, y_max, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def evaluate_surface(net, bounds, resolution: int = 160, features=DEFAULT_FEATURES) -> Surface:
    """The network's output at every cell of the grid; the network is fed each cell's ``features``."""
    points = feature_matrix(grid(bounds, resolution), features, net.dtype)
    with np.errstate(all="ignore"):
        out = net.forward(points)
    if out.shape[1] == 1:
        values = out[:, 0].reshape(resolution, resolution).astype(np.float32)
        return Surface(tuple(bounds), values, None)
    classes = out.argmax(axis=1)
    values = out[np.arange(out.shape[0]), classes].reshape(resolution, resolution).astype(np.float32)
    return Surface(tuple(bounds), values, classes.reshape(resolution, resolution).astype(np.int8))


def level_segments(values: np.ndarray, bounds, level: float = 0.5) -> np.ndarray:
    """Marching squares, vectorised: the ``level`` contour of a row-major grid as line segments.

    Returns ``(2m, 2)`` points, consecutive pairs being one segment (draw with ``connect='pairs'``).
    Grid point ``[j, i]`` sits at the centre of cell ``(i, j)`` of ``bounds``, as ``grid`` makes them.
    """
    v = np.asarray(values, dtype=np.float64) - level
    h, w = v.shape
    if h < 2 or w < 2:
        return np.zeros((0, 2))
    x_min, x_max, y_min, y_max = bounds
    xs = cell_centres(x_min, x_max, w)
    ys = cell_centres(y_min, y_max, h)
    above = v > 0
    # Crossing points on horizontal edges (j, i)-(j, i+1) and vertical edges (j, i)-(j+1, i).
    with np.errstate(divide="ignore", invalid="ignore"):
        th = v[:, :-1] / (v[:, :-1] - v[:, 1:])
        tv = v[:-1, :] / (v[:-1, :] - v[1:, :])
    # Where an edge is not crossed t may be inf or NaN (equal ends); those edges are masked out below, and
    # clipping keeps the arithmetic on them quiet.
    th = np.clip(np.nan_to_num(th), 0.0, 1.0)
    tv = np.clip(np.nan_to_num(tv), 0.0, 1.0)
    hx = xs[:-1] + th * (xs[1] - xs[0])  # (h, w-1) x of the crossing, y = ys[j]
    vy = ys[:-1, None] + tv * (ys[1] - ys[0])  # (h-1, w) y of the crossing, x = xs[i]
    cross_h = above[:, :-1] != above[:, 1:]
    cross_v = above[:-1, :] != above[1:, :]
    # Per cell (j, i): bottom edge h[j, i], top edge h[j+1, i], left edge v[j, i], right edge v[j, i+1].
    edges = [
        (cross_h[:-1, :], hx[:-1, :], np.broadcast_to(ys[:-1, None], (h - 1, w - 1))),
        (cross_v[:, 1:], np.broadcast_to(xs[None, 1:], (h - 1, w - 1)), vy[:, 1:]),
        (cross_h[1:, :], hx[1:, :], np.broadcast_to(ys[1:, None], (h - 1, w - 1))),
        (cross_v[:, :-1], np.broadcast_to(xs[None, :-1], (h - 1, w - 1)), vy[:, :-1]),
    ]
    count = sum(e[0].astype(np.int8) for e in edges)
    segments = []
    # Cells crossed on exactly two edges: one segment between them.
    two = count == 2
    if two.any():
        pts = []
        for crossed, ex, ey in edges:
            sel = crossed & two
            pts.append((sel[two], ex[two], ey[two]))
        first = np.full(int(two.sum()), -1)
        second = np.full(int(two.sum()), -1)
        for k, (sel, _, _) in enumerate(pts):
            take_first = sel & (first < 0)
            first[take_first] = k
            second[sel & ~take_first] = k
        idx = np.arange(first.size)
        ex = np.stack([p[1] for p in pts])
        ey = np.stack([p[2] for p in pts])
        a = np.column_stack([ex[first, idx], ey[first, idx]])
        b = np.column_stack([ex[second, idx], ey[second, idx]])
        segments.append(np.stack([a, b], axis=1).reshape(-1, 2))
    # Saddle cells (all four edges crossed): pair bottom-right and top-left (an arbitrary, consistent choice).
    four = count == 4
    if four.any():
        e = [(ex[four], ey[four]) for _, ex, ey in edges]
        pairs = [(0, 1), (2, 3)]
        for p, q in pairs:
            a = np.column_stack(e[p])
            b = np.column_stack(e[q])
            segments.append(np.stack([a, b], axis=1).reshape(-1, 2))
    return np.vstack(segments) if segments else np.zeros((0, 2))
