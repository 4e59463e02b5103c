"""Input features, as in TensorFlow Playground: what the network sees of a point (x1, x2).

A network does not have to take the raw coordinates: it may take any non-empty subset of seven features of
them. ``x1sq`` and ``x2sq`` let a network with no hidden layer draw a circle (``w1 x1² + w2 x2² + b = 0``),
which from ``x1`` and ``x2`` alone it cannot. Pure NumPy; the trainer, the surfaces, the insight maths and
the exports all compute the network's input here, so they always agree.

    feature_matrix(X, ("x1", "x2sq"))   # (n, 2) points -> (n, 2) network inputs, one column per feature
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

# name -> (how the window labels it, what it is, the column it computes from (n, 2) points)
_TABLE: dict[str, tuple[str, str, Callable[[np.ndarray], np.ndarray]]] = {
    "x1": ("x₁", "x1, the horizontal coordinate", lambda X: X[:, 0]),
    "x2": ("x₂", "x2, the vertical coordinate", lambda X: X[:, 1]),
    "x1sq": ("x₁²", "x1 squared", lambda X: X[:, 0] ** 2),
    "x2sq": ("x₂²", "x2 squared", lambda X: X[:, 1] ** 2),
    "x1x2": ("x₁x₂", "the product x1 * x2", lambda X: X[:, 0] * X[:, 1]),
    "sinx1": ("sin x₁", "sin(x1)", lambda X: np.sin(X[:, 0])),
    "sinx2": ("sin x₂", "sin(x2)", lambda X: np.sin(X[:, 1])),
}

FEATURE_NAMES: tuple[str, ...] = tuple(_TABLE)  # the canonical order: a network's inputs come in this order
DEFAULT_FEATURES: tuple[str, ...] = ("x1", "x2")


def feature_label(name: str) -> str:
    """How the window writes a feature: "x₁²" for ``x1sq``."""
    return _TABLE[name][0]


def feature_description(name: str) -> str:
    return _TABLE[name][1]


def feature_problems(names) -> list[str]:
    """What is wrong with a choice of features, one phrase each (empty if nothing)."""
    if not isinstance(names, (tuple, list)) or not all(isinstance(n, str) for n in names):
        return [f"features should be a list of names, not {names!r}"]
    if not names:
        return [f"choose at least one input feature (of {', '.join(FEATURE_NAMES)})"]
    out = []
    for name in names:
        if name not in _TABLE:
            out.append(f"unknown input feature {name!r} (the features are {', '.join(FEATURE_NAMES)})")
    for name in sorted({n for n in names if names.count(n) > 1}):
        out.append(f"input feature {name!r} is named twice")
    return out


def canonical_features(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` in the canonical order (``FEATURE_NAMES``). Raises ValueError naming a bad name."""
    names = tuple(names)
    problems = feature_problems(names)
    if problems:
        raise ValueError("; ".join(problems))
    return tuple(n for n in FEATURE_NAMES if n in names)


def parse_features(text: str) -> tuple[str, ...]:
    """``"x1,x2,x1sq"`` -> ``("x1", "x2", "x1sq")`` (canonical order). Raises ValueError naming the first
    thing that is wrong: an unknown name, a name given twice, or no name at all."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    names = tuple(p for p in parts if p)
    if len(names) != len(parts) and names:
        raise ValueError(f"an empty feature name in {text!r} (two commas in a row?)")
    problems = feature_problems(names)
    if problems:
        raise ValueError(problems[0])
    return canonical_features(names)


def toggled(features: tuple[str, ...], name: str) -> tuple[str, ...]:
    """``features`` with ``name`` switched on or off; the last feature on stays on (a network needs an input)."""
    if name not in _TABLE:
        raise ValueError(f"unknown input feature {name!r}")
    if name in features:
        rest = tuple(f for f in features if f != name)
        return rest or tuple(features)
    return canonical_features((*features, name))


def feature_matrix(X, features: Iterable[str] = DEFAULT_FEATURES, dtype=None) -> np.ndarray:
    """The network's input for raw points ``X`` ``(n, 2)``: ``(n, len(features))``, C-contiguous, of ``dtype``
    (default: ``X``'s float type). ``features`` are taken in the order given."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {X.shape}")
    dt = np.dtype(dtype) if dtype is not None else (X.dtype if X.dtype.kind == "f" else np.dtype(np.float64))
    names = tuple(features)
    # A coordinate (or its square) beyond float32's range becomes inf there: training then stops as a
    # divergence and says so, instead of a warning escaping from here.
    with np.errstate(over="ignore", invalid="ignore"):
        if names == ("x1", "x2"):
            return np.ascontiguousarray(X, dtype=dt)
        Xf = X.astype(np.float64, copy=False)  # squares and sines in float64, then to the network's type
        out = np.empty((X.shape[0], len(names)), dtype=dt)
        for k, name in enumerate(names):
            out[:, k] = _TABLE[name][2](Xf)
    return out


def feature_point(x, features: Iterable[str] = DEFAULT_FEATURES, dtype=None) -> np.ndarray:
    """One point ``(2,)`` -> its features ``(len(features),)``."""
    return feature_matrix(np.asarray(x).reshape(1, 2), features, dtype)[0]
