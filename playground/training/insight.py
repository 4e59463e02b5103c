"""Looking inside a network: per-neuron maps, the hidden space, gradient flow and health, in words.

Pure NumPy; the window's worker calls these at its snapshot rate and the panels only draw the results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..data.features import DEFAULT_FEATURES, FEATURE_NAMES, feature_matrix
from .surface import grid

THUMB = 28  # cells per side of a neuron's thumbnail


def neuron_maps(net, bounds, resolution: int = THUMB, features=DEFAULT_FEATURES) -> list[np.ndarray]:
    """Every neuron's output over the input plane: one ``(width, res, res)`` float32 array per layer after
    the input (hidden layers, then the output layer), row-major like the decision surface. The network is
    fed each point's ``features``."""
    points = feature_matrix(grid(bounds, resolution), features, np.float64)
    with np.errstate(all="ignore"):
        layers = net.forward_layers(points)[1:]
    return [A.T.reshape(A.shape[1], resolution, resolution).astype(np.float32) for A in layers]


def feature_maps(bounds, resolution: int = THUMB, features=FEATURE_NAMES) -> np.ndarray:
    """Each input feature over the plane, ``(len(features), res, res)`` float32, row-major like the surface,
    scaled to 0..1 for the colour map with 0.5 at zero (each by its largest magnitude on the view): the
    network view's input thumbnails."""
    values = feature_matrix(grid(bounds, resolution), features, np.float64).T
    scale = np.max(np.abs(values), axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    shown = 0.5 + 0.5 * values / scale
    return shown.reshape(len(tuple(features)), resolution, resolution).astype(np.float32)


def display_scale(values: np.ndarray, activation: str) -> np.ndarray:
    """Map a neuron's outputs to 0..1 for the diverging colour map, 0.5 being the activation's zero:
    sigmoid as is, tanh from [-1, 1], unbounded ones (relu, linear) by their largest magnitude."""
    if activation == "sigmoid":
        return values
    if activation == "tanh":
        return (values + 1.0) / 2.0
    scale = float(np.max(np.abs(values))) or 1.0
    return 0.5 + 0.5 * values / scale


def hidden_space(
    net, layer: int, i: int, j: int, bounds, X, lines: int = 17, samples: int = 60, features=DEFAULT_FEATURES
):
    """The input plane as seen by neurons ``i`` and ``j`` of hidden layer ``layer`` (1-based, as drawn):
    a grid of ``lines`` horizontal and vertical lines pushed through the network, and the data points'
    positions, both in those two neurons' activation space. ``X`` are raw points; the network is fed their
    ``features``.

    Returns ``(mesh, points)``: ``mesh`` is ``(m, 2)`` with NaN rows between lines (connect='finite'),
    ``points`` is ``(len(X), 2)``.
    """
    x0, x1, y0, y1 = bounds
    t = np.linspace(0.0, 1.0, samples)
    pieces = []
    for v in np.linspace(y0, y1, lines):
        pieces.append(np.column_stack([x0 + (x1 - x0) * t, np.full(samples, v)]))
    for u in np.linspace(x0, x1, lines):
        pieces.append(np.column_stack([np.full(samples, u), y0 + (y1 - y0) * t]))
    lines_xy = np.vstack(pieces)
    with np.errstate(all="ignore"):
        A = net.forward_layers(feature_matrix(lines_xy, features, np.float64))[layer]
        P = (
            net.forward_layers(feature_matrix(np.asarray(X, dtype=np.float64), features))[layer]
            if len(X)
            else np.zeros((0, A.shape[1]))
        )
    mesh = np.full((len(pieces) * (samples + 1), 2), np.nan)
    for k in range(len(pieces)):
        mesh[k * (samples + 1) : k * (samples + 1) + samples] = A[k * samples : (k + 1) * samples][:, [i, j]]
    return mesh, P[:, [i, j]].astype(np.float64)


@dataclass
class LayerStats:
    """One weight layer's numbers at one moment (layer i connects layer i to i + 1)."""

    grad_norm: float
    weight_norm: float
    update_ratio: float  # ||delta W|| / ||W|| of the last step
    saturated: float  # share of units (of the layer's output) saturated on the training data; NaN if n/a
    dead: float  # share of ReLU units that output 0 for every training point; NaN if n/a


def layer_stats(net, dblocks, before, after, X_train) -> list[LayerStats]:
    """Gradient norm, weight norm and update-to-weight ratio per layer from one recorded step, and the share
    of saturated (sigmoid/tanh) or dead (ReLU) units on the training data."""
    with np.errstate(all="ignore"):
        acts = net.forward_layers(X_train)[1:] if len(X_train) else [None] * net.n_layers
    out = []
    for k in range(net.n_layers):
        W_before, W_after = before[k][:-1], after[k][:-1]
        weight_norm = float(np.linalg.norm(W_after))
        update = float(np.linalg.norm(W_after.astype(np.float64) - W_before))
        saturated = dead = math.nan
        A = acts[k]
        hidden = k < net.n_layers - 1
        if hidden and A is not None and A.size:
            name = net.activation_name
            if name == "sigmoid":
                saturated = float(np.mean(np.mean((A < 0.02) | (A > 0.98), axis=0) > 0.9))
            elif name == "tanh":
                saturated = float(np.mean(np.mean(np.abs(A) > 0.96, axis=0) > 0.9))
            elif name == "relu":
                dead = float(np.mean(np.all(A <= 0, axis=0)))
        out.append(
            LayerStats(
                grad_norm=float(np.linalg.norm(dblocks[k][:-1])),
                weight_norm=weight_norm,
                update_ratio=update / weight_norm if weight_norm > 0 else math.nan,
                saturated=saturated,
                dead=dead,
            )
        )
    return out


@dataclass
class Finding:
    title: str
    evidence: str
    advice: str

    def text(self) -> str:
        return f"{self.title}. {self.evidence} {self.advice}"


@dataclass
class HealthHistory:
    """Per-layer statistics over time, kept short (the health panel plots the recent past)."""

    capacity: int = 600
    epochs: list = field(default_factory=list)
    stats: list = field(default_factory=list)  # list[list[LayerStats]]
    losses: list = field(default_factory=list)

    def add(self, epoch: int, stats: list[LayerStats], loss: float) -> None:
        self.epochs.append(epoch)
        self.stats.append(stats)
        self.losses.append(loss)
        if len(self.epochs) > self.capacity:
            del self.epochs[0], self.stats[0], self.losses[0]

    def clear(self) -> None:
        self.epochs.clear()
        self.stats.clear()
        self.losses.clear()

    def series(self, attribute: str) -> np.ndarray:
        """``(n_times, n_layers)`` of one statistic."""
        if not self.stats:
            return np.zeros((0, 0))
        width = len(self.stats[-1])
        rows = [[getattr(s, attribute) for s in stats] for stats in self.stats if len(stats) == width]
        return np.array(rows, dtype=np.float64)


def _worst_layer(shares: list[float]) -> tuple[float, int]:
    """The largest share that was measured and its hidden layer (1-based); (0, 0) if none was."""
    measured = [(share, k) for k, share in enumerate(shares, start=1) if not math.isnan(share)]
    return max(measured, key=lambda m: (m[0], -m[1]), default=(0.0, 0))  # ties: the earlier layer


def _layer_names(layers: list[int]) -> str:
    """[1] -> "layer 1", [1, 2, 3] -> "layers 1–3", [1, 3] -> "layers 1, 3"."""
    if len(layers) == 1:
        return f"layer {layers[0]}"
    if layers == list(range(layers[0], layers[-1] + 1)):
        return f"layers {layers[0]}–{layers[-1]}"
    return "layers " + ", ".join(str(k) for k in layers)


def _vanishing_evidence(grads: np.ndarray) -> str:
    """What the layer gradient norms show when the first layer's is under a thousandth of the last's, or a
    layer's is exactly 0: said as such (a ratio to it would be infinite: "1e+299 times smaller" is not true)."""
    last = float(grads[-1])
    zero = [k for k, g in enumerate(grads[:-1], start=1) if g == 0]
    if zero:
        its, they = ("its", "it does") if len(zero) == 1 else ("their", "they do")
        return (
            f"No gradient reaches {_layer_names(zero)}: {its} gradient is exactly 0 while the last layer's is "
            f"{last:.2g}, so {they} not learn at all."
        )
    ratio = last / float(grads[0])  # a Python float: inf, not a NumPy overflow warning
    shown = f"{ratio:.0e}" if math.isfinite(ratio) else "more than 1e+300"  # a subnormal first gradient
    return (
        f"The first layer's gradient ({grads[0]:.2g}) is {shown} times smaller than the last "
        f"layer's ({last:.2g}): the early layers barely learn."
    )


def findings(history: HealthHistory, config, activation: str) -> list[Finding]:
    """Plain-language problems, each naming its evidence and what to try. Empty when all looks well."""
    out: list[Finding] = []
    if not history.stats:
        return out
    last = history.stats[-1]
    epoch = history.epochs[-1]
    grads = np.array([s.grad_norm for s in last])
    biggest = float(np.max(grads)) if np.all(np.isfinite(grads)) else math.inf
    if biggest > 1e3:
        shown = f"{biggest:.3g}" if math.isfinite(biggest) else "not a finite number"
        out.append(
            Finding(
                "Exploding gradients",
                f"At epoch {epoch:,} the largest layer gradient norm is {shown}.",
                f"The learning rate ({config.learning_rate:g}) is likely too high, or the initial weights too large: "
                "lower the learning rate tenfold, or use the 'xavier'/'he' initialiser, then Reset.",
            )
        )
    elif grads[-1] > 0 and ((len(grads) >= 3 and grads[0] < 1e-3 * grads[-1]) or 0 in grads[:-1]):
        out.append(
            Finding(
                "Vanishing gradients",
                _vanishing_evidence(grads),
                "Use fewer layers, ReLU or tanh instead of sigmoid, or the 'he' initialiser for ReLU.",
            )
        )
    worst, layer = _worst_layer([s.dead for s in last[:-1]])
    if worst >= 0.5:
        out.append(
            Finding(
                "Dead ReLUs",
                f"{worst:.0%} of the units in hidden layer {layer} output zero for every training point, so no "
                "gradient flows through them.",
                "Lower the learning rate, use leaky_relu, or Reset with the 'he' initialiser.",
            )
        )
    worst, layer = _worst_layer([s.saturated for s in last[:-1]])
    if worst >= 0.5:
        out.append(
            Finding(
                "Saturated units",
                f"{worst:.0%} of the {activation} units in hidden layer {layer} sit at the flat ends of their curve "
                "for nearly every point, where the slope (and the gradient) is almost zero.",
                "Lower the learning rate, or Reset: smaller weights keep the units in their responsive range.",
            )
        )
    losses = np.array(history.losses, dtype=np.float64)
    epochs = np.array(history.epochs)
    recent = epochs >= epoch - 500
    if epoch >= 500 and recent.sum() >= 5 and np.all(np.isfinite(losses[recent])):
        span = losses[recent]
        ratios = np.array([s.update_ratio for s in last], dtype=np.float64)
        ratios = ratios[np.isfinite(ratios)]  # NaN for a paused run's probe: no step to measure
        if ratios.size and span[-1] > 0.1 and abs(span[0] - span[-1]) < 0.001 * span[0] and ratios.max() < 1e-4:
            out.append(
                Finding(
                    "Learning rate too small",
                    f"Over the last 500 epochs the loss moved from {span[0]:.4g} to {span[-1]:.4g}, and each step "
                    f"changes the weights by at most {ratios.max():.1e} of their size.",
                    f"Raise the learning rate (now {config.learning_rate:g}) tenfold.",
                )
            )
    return out
