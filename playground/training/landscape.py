"""The loss landscape: the training loss on a plane through the current weights.

A network's weights are one point theta in a space of P dimensions. Pick two directions d1, d2 there; then
``loss(theta + a d1 + b d2)`` over a grid of (a, b) is a 2-D slice of the loss surface around theta, the
picture of Li et al., "Visualizing the Loss Landscape of Neural Nets" (2018). Two ways to pick them:

- ``"random"``: two random directions, *filter-normalised*: each neuron's incoming weights in d are scaled to
  the norm of that neuron's weights in theta (biases are not moved), so a step of 1 along d changes every
  neuron by about its own size, whatever the layer's scale. (Without it, the picture mostly shows which layer
  has the largest weights.)
- ``"pca"``: the two principal directions of the weight trajectory so far (the recorded weights minus
  theta): the plane in which the optimizer actually moved, so its path projects onto it faithfully.

All grid points form one stack of networks (``nn.StackedNetwork``): a 41 x 41 grid is 1,681 networks
evaluated in a few batched passes. The optimizer's path is projected onto the plane (least squares), and a
click on the map turns (a, b) back into weights (``point_blocks``). Pure NumPy, no Qt: the training thread
computes it, the window only draws it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ..nn.stacked import StackedNetwork
from .surface import level_segments

RESOLUTION = 41  # grid points per side (odd: the centre, the current weights, is a grid point)
MAX_TRAJECTORY = 200  # weight snapshots kept for the PCA and the path (thinned by two when full)
WORK_BUDGET = 4e9  # multiply-adds for one landscape (about a second): more points than fit are subsampled
MIN_POINTS = 64  # ... but never fewer than this; a coarser grid instead (big networks)
MIN_RESOLUTION = 15
CHUNK_WORK = 3e6  # floats of one layer's activations per batch of grid networks (bounds the memory) ...
CHUNK_PARAMS = 1e7  # ... and of the batch's weights ...
CHUNK_MACS = 2e8  # ... and of its multiply-adds (about 0.05 s here: a stop, between batches, waits no longer)
METHODS = ("random", "pca")
_ids = itertools.count(1)


def flatten(blocks) -> np.ndarray:
    """The ``[W; b]`` blocks as one float64 vector (layer after layer, row-major)."""
    return np.concatenate([np.asarray(b, dtype=np.float64).ravel() for b in blocks])


def unflatten(vector: np.ndarray, shapes) -> list[np.ndarray]:
    """The inverse of ``flatten`` for blocks of these shapes."""
    out, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        out.append(vector[start : start + size].reshape(shape))
        start += size
    return out


def filter_normalized_direction(blocks, rng: np.random.Generator) -> np.ndarray:
    """A random direction (flat) with each neuron's incoming weights scaled to the norm of that neuron's
    weights in ``blocks`` (a column of ``W``); the bias row is 0 (Li et al. 2018, section 4)."""
    parts = []
    for block in blocks:
        theta = np.asarray(block, dtype=np.float64)
        d = rng.standard_normal(theta.shape)
        d[-1] = 0.0  # the biases stay
        norm_d = np.linalg.norm(d[:-1], axis=0)
        norm_t = np.linalg.norm(theta[:-1], axis=0)
        d[:-1] *= norm_t / np.where(norm_d > 0, norm_d, 1.0)
        parts.append(d.ravel())
    return np.concatenate(parts)


def principal_directions(trajectory: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The two principal directions (unit vectors) of the ``(T, P)`` trajectory about ``centre``, or None if
    the trajectory does not span a plane (fewer than two distinct moves)."""
    moves = trajectory - centre[None, :]
    if moves.shape[0] < 2:
        return None
    _, s, vt = np.linalg.svd(moves, full_matrices=False)
    if s.size < 2 or s[1] <= 1e-12 * max(s[0], 1e-300):
        return None
    return vt[0], vt[1]


@dataclass(frozen=True)
class Landscape:
    """A computed slice. ``losses[j, i]`` is the loss at ``theta + alphas[i] d1 + betas[j] d2`` (rows: beta,
    as an image), NaN where the network's loss is not finite. ``centre_loss`` is the loss at theta itself."""

    uid: int
    method: str
    layer_sizes: tuple
    theta: np.ndarray  # flat, float64
    d1: np.ndarray
    d2: np.ndarray
    alphas: np.ndarray  # (res,)
    betas: np.ndarray  # (res,)
    losses: np.ndarray  # (res, res) float64
    centre_loss: float
    n_points: int  # training points the loss was measured on
    note: str = ""  # e.g. why PCA fell back to random directions

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Flat weight vectors ``(T, P)`` projected onto the plane: ``(T, 2)`` coordinates (a, b) of the nearest
        points of the plane (least squares: d1 and d2 need not be orthogonal)."""
        if vectors.size == 0:
            return np.zeros((0, 2))
        D = np.stack([self.d1, self.d2], axis=1)  # (P, 2)
        return np.linalg.lstsq(D, (vectors - self.theta[None, :]).T, rcond=None)[0].T

    def coordinates(self, blocks) -> tuple[float, float]:
        """Where these weights (blocks) lie on the plane, (a, b)."""
        a, b = self.project(flatten(blocks)[None, :])[0]
        return float(a), float(b)

    def point_blocks(self, a: float, b: float, shapes, dtype) -> list[np.ndarray]:
        """The weights at ``(a, b)`` of the plane, as blocks of these shapes and dtype."""
        vector = self.theta + float(a) * self.d1 + float(b) * self.d2
        return [part.astype(dtype) for part in unflatten(vector, shapes)]


def grid_axis(span: float, resolution: int) -> np.ndarray:
    """``resolution`` (odd) values from ``-span`` to ``span`` with 0 exactly in the middle."""
    half = resolution // 2
    return span * (np.arange(resolution) - half) / half


def stacked_losses(net, vectors: np.ndarray, X: np.ndarray, Y: np.ndarray, should_stop=None) -> np.ndarray:
    """The data loss of ``net``'s architecture at each flat weight vector of ``vectors`` ``(M, P)``, on ``X``
    and encoded targets ``Y``: ``(M,)``, in batches of stacked networks."""
    shapes = [b.shape for b in net.blocks()]
    widest = max(net.layer_sizes[1:])
    n_params = sum(int(np.prod(shape)) for shape in shapes)
    per_batch = max(
        1,
        int(
            min(
                CHUNK_WORK // max(X.shape[0] * widest, 1),
                CHUNK_PARAMS // n_params,
                CHUNK_MACS // max(X.shape[0] * n_params, 1),
            )
        ),
    )
    out = np.empty(vectors.shape[0])
    X = np.asarray(X, dtype=net.dtype)
    for start in range(0, vectors.shape[0], per_batch):
        if should_stop is not None and should_stop():
            from .trainer import TrainingStopped

            raise TrainingStopped()
        chunk = vectors[start : start + per_batch]
        blocks, offset = [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            blocks.append(np.ascontiguousarray(chunk[:, offset : offset + size].reshape(-1, *shape), dtype=net.dtype))
            offset += size
        stack = StackedNetwork.from_blocks(net.layer_sizes, net.activation_name, net.output_name, blocks)
        with np.errstate(all="ignore"):
            out[start : start + len(chunk)] = stack.losses(X, Y)
    return out


def plan(n: int, n_params: int, resolution: int) -> tuple[int, int]:
    """``(resolution, points)`` for a landscape within ``WORK_BUDGET``: every training point if they fit,
    else fewer (at least ``MIN_POINTS``), and for networks so big that even those do not fit, a coarser grid."""
    while resolution > MIN_RESOLUTION and resolution**2 * n_params * min(n, MIN_POINTS) > WORK_BUDGET:
        resolution = max(MIN_RESOLUTION, (resolution * 2 // 3) | 1)
    points = min(n, max(MIN_POINTS, int(WORK_BUDGET / max(resolution**2 * n_params, 1))))
    return resolution, points


def training_sample(X: np.ndarray, Y: np.ndarray, points: int) -> tuple[np.ndarray, np.ndarray]:
    """All training points, or ``points`` of them spread evenly through the set."""
    n = X.shape[0]
    if n <= points:
        return X, Y
    keep = np.linspace(0, n - 1, points).astype(int)
    return X[keep], Y[keep]


def compute_landscape(
    net,
    X: np.ndarray,
    Y: np.ndarray,
    method: str = "random",
    resolution: int = RESOLUTION,
    span: float = 1.0,
    seed: int = 0,
    trajectory: np.ndarray | None = None,
    directions: tuple[np.ndarray, np.ndarray] | None = None,
    should_stop=None,
) -> Landscape:
    """The training loss of ``net`` (a ``FusedNetwork``: ``blocks()``, ``layer_sizes``, names, ``dtype``)
    on ``X`` with encoded targets ``Y``, on a ``resolution`` x ``resolution`` grid around its weights.

    ``method`` "random" (filter-normalised, from ``seed``; the grid spans ``span`` in both) or "pca" (the
    ``trajectory``'s ``(T, P)`` flat weights; the grid covers the trajectory's projection with a margin);
    ``directions`` (two flat vectors) overrides both. ``resolution`` is made odd."""
    if method not in METHODS:
        raise ValueError(f"unknown landscape method {method!r}; choose one of {', '.join(METHODS)}")
    blocks = net.blocks()
    theta = flatten(blocks)
    asked = max(3, int(resolution) | 1)
    resolution, points = plan(X.shape[0], theta.size, asked)
    note = ""
    span_a = span_b = float(span)
    if directions is not None:
        d1, d2 = (np.asarray(d, dtype=np.float64).ravel() for d in directions)
    else:
        pcs = None
        if method == "pca":
            pcs = principal_directions(trajectory, theta) if trajectory is not None else None
            if pcs is None:
                note = "The weights have not moved enough yet for principal directions: random ones are shown."
                method = "random"
        if pcs is not None:
            d1, d2 = pcs
            assert trajectory is not None
            coords = (trajectory - theta[None, :]) @ np.stack([d1, d2], axis=1)
            span_a = 1.25 * max(float(np.abs(coords[:, 0]).max()), 1e-3)
            span_b = 1.25 * max(float(np.abs(coords[:, 1]).max()), 1e-3)
        else:
            rng = np.random.default_rng([seed, 16])
            d1 = filter_normalized_direction(blocks, rng)
            d2 = filter_normalized_direction(blocks, rng)
    alphas, betas = grid_axis(span_a, resolution), grid_axis(span_b, resolution)
    Xs, Ys = training_sample(X, Y, points)
    A, B = np.meshgrid(alphas, betas)  # (res, res), rows: beta
    vectors = theta[None, :] + A.reshape(-1, 1) * d1[None, :] + B.reshape(-1, 1) * d2[None, :]
    mid = resolution // 2
    vectors[mid * resolution + mid] = theta  # exactly the current weights, whatever the rounding above
    losses = stacked_losses(net, vectors, Xs, Ys, should_stop).reshape(resolution, resolution)
    losses[~np.isfinite(losses)] = np.nan
    if Xs.shape[0] < X.shape[0] or resolution < asked:
        cut = f"Measured on {Xs.shape[0]:,} of the {X.shape[0]:,} training points"
        cut += f", on a {resolution} x {resolution} grid (a big network)." if resolution < asked else "."
        note = (note + " " if note else "") + cut
    return Landscape(
        uid=next(_ids),
        method=method,
        layer_sizes=tuple(net.layer_sizes),
        theta=theta,
        d1=d1,
        d2=d2,
        alphas=alphas,
        betas=betas,
        losses=losses,
        centre_loss=float(losses[mid, mid]),
        n_points=int(Xs.shape[0]),
        note=note,
    )


class Trajectory:
    """The weights along a run, kept at epochs 0, s, 2s, ... with the stride s doubling whenever
    ``MAX_TRAJECTORY`` snapshots are reached (every other one is dropped then): bounded memory, the whole
    run covered, recent moves as finely as the budget allows."""

    def __init__(self, limit: int = MAX_TRAJECTORY):
        self.limit = limit
        self.clear()

    def clear(self) -> None:
        self.stride = 1
        self.epochs: list[int] = []
        self.vectors: list[np.ndarray] = []

    def record(self, epoch: int, blocks) -> None:
        if epoch % self.stride or (self.epochs and self.epochs[-1] >= epoch):
            return
        self.epochs.append(int(epoch))
        self.vectors.append(flatten(blocks))
        if len(self.vectors) >= self.limit:
            self.epochs, self.vectors = self.epochs[::2], self.vectors[::2]
            self.stride *= 2

    def array(self, current=None) -> np.ndarray:
        """``(T, P)``: the snapshots, then ``current`` (blocks) if given; empty ``(0, 0)`` when there are none."""
        rows = list(self.vectors)
        if current is not None:
            rows.append(flatten(current))
        if not rows or len({r.size for r in rows}) != 1:
            return np.zeros((0, 0))
        return np.stack(rows)


def cell_bounds(landscape: Landscape) -> tuple[float, float, float, float]:
    """The area the grid's cells tile, each grid point at its cell's centre: (a_min, a_max, b_min, b_max)."""
    a, b = landscape.alphas, landscape.betas
    ha, hb = (a[1] - a[0]) / 2, (b[1] - b[0]) / 2
    return float(a[0] - ha), float(a[-1] + ha), float(b[0] - hb), float(b[-1] + hb)


def contour_levels(losses: np.ndarray, count: int = 10) -> np.ndarray:
    """``count`` loss levels from just above the lowest to the highest finite loss, spaced evenly in log
    (a landscape spans orders of magnitude: near the minimum is where the detail is)."""
    finite = losses[np.isfinite(losses)]
    if finite.size == 0:
        return np.zeros(0)
    low, high = float(finite.min()), float(finite.max())
    if not high > low:
        return np.zeros(0)
    shift = low - 1e-3 * (high - low)  # log of (loss - shift) > 0
    logs = np.linspace(np.log(low - shift), np.log(high - shift), count + 2)[1:-1]
    return np.exp(logs) + shift


def contours(landscape: Landscape, count: int = 10) -> list[tuple[float, np.ndarray]]:
    """``[(level, segments), ...]``: each level's contour as pairs of (a, b) points (``surface.level_segments``)."""
    values = np.where(np.isfinite(landscape.losses), landscape.losses, np.nanmax(landscape.losses))
    bounds = cell_bounds(landscape)
    return [(float(level), level_segments(values, bounds, level)) for level in contour_levels(landscape.losses, count)]


TRAJECTORY_FLOATS = 4_000_000  # numbers of weights kept along a run at most (32 MB): big networks keep fewer
FRAME_INTERVAL = 0.12  # seconds between the panel's updates while training (the insight panels' rate)


class LandscapeTracker:
    """The live run's landscape: the weights' path (always recorded, cheaply), the landscape last computed,
    whether the panel is open. ``LiveRun`` owns one and feeds it commands; the frame builder reads it."""

    def __init__(self) -> None:
        self.open = False
        self.trajectory = Trajectory()
        self.current: Landscape | None = None
        self.contours: list = []  # the current landscape's contours, computed once
        self.method, self.seed = "random", 0
        self.shown_at = 0.0  # when the last frame part was built (perf_counter)

    def clear(self) -> None:
        """A new run: no path, no landscape (the panel asks for one while it is open)."""
        self.trajectory.clear()
        self.current = None
        self.contours = []

    def record(self, trainer) -> None:
        """After an epoch: keep the weights if the path's stride says so."""
        traj = self.trajectory
        if trainer.epoch % traj.stride:
            return
        if not traj.vectors:  # the first snapshot decides how many this network's size allows
            size = sum(b.size for b in trainer.net.blocks())
            traj.limit = int(min(MAX_TRAJECTORY, max(8, TRAJECTORY_FLOATS // max(size, 1))))
        traj.record(trainer.epoch, trainer.net.blocks())

    def compute(self, trainer, method: str | None = None, seed: int | None = None) -> str:
        """Compute the landscape around the trainer's weights now; returns a message for the user."""
        if method is not None:
            if method not in METHODS:
                return f"Unknown landscape method {method!r}."
            self.method = method
        if seed is not None:
            self.seed = int(seed)
        if trainer.n_train == 0:
            self.current, self.contours = None, []
            return "The loss landscape needs training points."
        path = self.trajectory.array(trainer.net.blocks())
        self.current = compute_landscape(
            trainer.net,
            trainer.X_train,
            trainer.Y_train,
            self.method,
            seed=self.seed,
            trajectory=path if path.size else None,
            should_stop=trainer.should_stop,
        )
        self.contours = contours(self.current) if np.isfinite(self.current.losses).any() else []
        return self.current.note

    def fits(self, trainer) -> bool:
        return self.current is not None and self.current.layer_sizes == tuple(trainer.net.layer_sizes)

    def jump(self, trainer, uid: int, alpha: float, beta: float) -> bool:
        """Move the weights to ``(alpha, beta)`` of landscape ``uid``; False (nothing changed) when that is not
        the current landscape of this network, or the point is not finite."""
        land = self.current
        if land is None or land.uid != uid or not self.fits(trainer):
            return False
        if not (np.isfinite(alpha) and np.isfinite(beta)):
            return False
        blocks = trainer.net.blocks()
        for block, new in zip(blocks, land.point_blocks(alpha, beta, [b.shape for b in blocks], trainer.net.dtype)):
            block[...] = new
        trainer.optimizer.set_state({})  # momentum or Adam's moments from elsewhere mean nothing here
        trainer.watch.restart()
        return True

    def path(self, trainer) -> np.ndarray:
        """The recorded path and the current weights projected on the current landscape's plane, ``(T, 2)``."""
        if not self.fits(trainer):
            return np.zeros((0, 2))
        assert self.current is not None
        return self.current.project(self.trajectory.array(trainer.net.blocks()))
