"""Preset datasets, all seeded, with ``n_points`` and ``noise`` (0 = clean); all fit about [-6, 6]^2.

The first four follow TensorFlow Playground's geometry (radius 5 discs, +-5 squares, blobs at (+-2, +-2),
two-arm spirals of radius 5) so results can be compared with it; there ``noise`` 0..0.5 is its 0..50 %.

The regression presets ``plane`` and ``multigauss`` are TensorFlow Playground's two regression sets, same
geometry and values: points uniform in [-6, 6]^2, the value taken where the *noisy* point falls. Their
``Dataset.y`` holds float64 values (``is_regression``); every other preset's holds int64 class labels.
"""

from __future__ import annotations

import numpy as np

from .dataset import Dataset


def _circle(n, noise, rng):
    radius = 5.0
    n_in = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n - n_in)])
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    # As in TensorFlow Playground: the label comes from where the *noisy* point falls.
    y = (np.hypot(*(X + jitter).T) >= radius * 0.5).astype(np.int64)
    return X, y


def _xor(n, noise, rng):
    X = rng.uniform(-5, 5, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)  # keep points off the axes
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    noisy = X + jitter
    y = (noisy[:, 0] * noisy[:, 1] < 0).astype(np.int64)
    return X, y


def _gaussian(n, noise, rng):
    std = np.sqrt(0.5 + 3.5 * min(noise, 0.5) / 0.5)  # variance 0.5..4, as TF Playground
    n_a = n // 2
    X = np.vstack([rng.normal(2, std, (n_a, 2)), rng.normal(-2, std, (n - n_a, 2))])
    y = np.concatenate([np.zeros(n_a), np.ones(n - n_a)]).astype(np.int64)
    return X, y


def _spiral_arms(n, noise, rng, arms):
    per = [n // arms + (1 if k < n % arms else 0) for k in range(arms)]
    Xs, ys = [], []
    for k, m in enumerate(per):
        i = np.arange(m)
        r = i / max(m, 1) * 5.0
        t = 1.75 * i / max(m, 1) * 2 * np.pi + 2 * np.pi * k / arms
        pts = np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (m, 2)) * noise
        Xs.append(pts)
        ys.append(np.full(m, k))
    return np.vstack(Xs), np.concatenate(ys).astype(np.int64)


def _spiral(n, noise, rng):
    return _spiral_arms(n, noise, rng, 2)


def _spiral3(n, noise, rng):
    return _spiral_arms(n, noise, rng, 3)


def _moons(n, noise, rng):
    n_a = n // 2
    t_a = rng.uniform(0, np.pi, n_a)
    t_b = rng.uniform(0, np.pi, n - n_a)
    upper = np.column_stack([np.cos(t_a), np.sin(t_a)])
    lower = np.column_stack([1 - np.cos(t_b), 0.5 - np.sin(t_b)])
    X = (np.vstack([upper, lower]) - [0.5, 0.25]) * 3.5 + rng.normal(0, 1, (n, 2)) * noise * 2
    y = np.concatenate([np.zeros(n_a), np.ones(n - n_a)]).astype(np.int64)
    return X, y


def _blobs(n, noise, rng, k=3):
    per = [n // k + (1 if c < n % k else 0) for c in range(k)]
    angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    centres = 3.2 * np.column_stack([np.cos(angles), np.sin(angles)])
    std = 0.6 + 3.0 * noise
    X = np.vstack([rng.normal(c, std, (m, 2)) for c, m in zip(centres, per)])
    y = np.concatenate([np.full(m, c) for c, m in enumerate(per)]).astype(np.int64)
    return X, y


def _checkerboard(n, noise, rng):
    X = rng.uniform(-6, 6, (n, 2))
    noisy = X + rng.normal(0, 1, (n, 2)) * noise * 3
    cells = np.floor((noisy + 6) / 3).astype(np.int64)  # 4 x 4 cells of side 3
    y = ((cells[:, 0] + cells[:, 1]) % 2).astype(np.int64)
    return X, y


def _rings(n, noise, rng):
    per = [n // 3 + (1 if k < n % 3 else 0) for k in range(3)]
    bands = [(0.0, 1.5), (2.5, 3.5), (4.5, 5.5)]
    Xs, ys = [], []
    for k, (m, (lo, hi)) in enumerate(zip(per, bands)):
        r = np.sqrt(rng.uniform(lo**2, hi**2, m)) + rng.normal(0, 1, m) * noise * 2
        angle = rng.uniform(0, 2 * np.pi, m)
        Xs.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
        ys.append(np.full(m, k))
    return np.vstack(Xs), np.concatenate(ys).astype(np.int64)


def _plane(n, noise, rng):
    """The value grows along x + y: (x + y) / 10, about -1.2..1.2 over the square."""
    radius = 6.0
    X = rng.uniform(-radius, radius, (n, 2))
    noisy = X + rng.uniform(-radius, radius, (n, 2)) * noise
    return X, (noisy[:, 0] + noisy[:, 1]) / 10.0


# (centre x, centre y, sign): six bumps of height +-1 and radius 2, alternating like a checkerboard.
GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], float)


def _multigauss(n, noise, rng):
    """Each point takes the value of the bump that is strongest there: sign * (1 - distance / 2), 0 beyond."""
    radius = 6.0
    X = rng.uniform(-radius, radius, (n, 2))
    noisy = X + rng.uniform(-radius, radius, (n, 2)) * noise
    distance = np.hypot(noisy[:, None, 0] - GAUSSIANS[:, 0], noisy[:, None, 1] - GAUSSIANS[:, 1])
    bumps = GAUSSIANS[:, 2] * np.clip(1.0 - distance / 2.0, 0.0, 1.0)  # (n, 6)
    strongest = np.argmax(np.abs(bumps), axis=1)  # ties (all zero): the first, value 0
    return X, bumps[np.arange(n), strongest]


PRESETS = {
    "circle": (_circle, "Circle: a disc inside a ring (2 classes)"),
    "xor": (_xor, "XOR: opposite quadrants share a class (2 classes)"),
    "gaussian": (_gaussian, "Gaussian: two blobs (2 classes)"),
    "spiral": (_spiral, "Spiral: two interleaved arms (2 classes)"),
    "moons": (_moons, "Moons: two interleaving half circles (2 classes)"),
    "blobs": (_blobs, "Blobs: k Gaussian blobs (3 classes by default)"),
    "spiral3": (_spiral3, "Spiral 3: three arms (3 classes)"),
    "checkerboard": (_checkerboard, "Checkerboard: 4 x 4 cells (2 classes)"),
    "rings": (_rings, "Rings: three concentric rings (3 classes)"),
}
# Regression presets: values, not classes. Kept apart from ``PRESETS`` (the classification sets).
REGRESSION_PRESETS = {
    "plane": (_plane, "Plane: the value rises along x + y (regression)"),
    "multigauss": (_multigauss, "Multi Gaussian: six bumps of value +1 and -1 (regression)"),
}
ALL_PRESETS = {**PRESETS, **REGRESSION_PRESETS}
PRESET_NAMES = tuple(ALL_PRESETS)


def make_preset(name: str, n_points: int = 500, noise: float = 0.0, seed: int = 0, **options) -> Dataset:
    """A preset dataset. ``PRESETS`` (classes) and ``REGRESSION_PRESETS`` (values) map each name to
    (generator, description)."""
    if name not in ALL_PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(ALL_PRESETS)}")
    if n_points < 0:
        raise ValueError("n_points cannot be negative")
    if noise < 0:
        raise ValueError("noise cannot be negative")
    rng = np.random.default_rng(seed)
    X, y = ALL_PRESETS[name][0](int(n_points), float(noise), rng, **options)
    return Dataset(X, y, regression=name in REGRESSION_PRESETS)
