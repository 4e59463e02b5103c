"""Frames: what the training thread sends the window, as typed sub-records built from fresh arrays.

Each panel reads its own sub-record (``surface``, ``network``, ``health``, ``hidden``, ``confusion``,
``trace``), present only when that panel is open and due. Every array in a frame is new and never touched
again once the frame is built, so the GUI thread may keep and paint it later.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..nn import StepTrace
from .config import TrainConfig
from .confusion import confusion
from .fit import FitFrame, fit_frame
from .insight import display_scale, feature_maps, hidden_space, neuron_maps
from .live import LiveRun
from .palette import class_image, value_scale, value_shade
from .runs import RunRecord
from .surface import evaluate_surface, level_segments
from .trainer import Metrics

SURFACE_RESOLUTION = 160
MIN_RESOLUTION = 64
SURFACE_BUDGET = 4e8  # multiply-adds per surface, about 20-40 ms here
SURFACE_SHARE = 0.25  # a surface may take at most this share of the training thread's time
INSIGHT_INTERVAL = 0.12  # seconds between insight-panel data while training (the panels redraw that often)
RATE_WINDOW = 0.5  # seconds over which epochs per second are measured


def surface_resolution(net) -> int:
    """160 x 160 cells, fewer for networks so big that the grid would take long to evaluate."""
    macs = sum(W.size for W in net.weights)
    res = int((SURFACE_BUDGET / max(macs, 1)) ** 0.5)
    return max(MIN_RESOLUTION, min(SURFACE_RESOLUTION, res))


@dataclass(frozen=True)
class Status:
    run_id: int
    epoch: int
    running: bool
    diverged: bool
    sweeping: bool
    epochs_per_second: float
    metrics: Metrics | None
    notice: str  # a one-off message (a reset, the epoch limit, a sweep's progress)
    alert: str  # why the run stopped; stays until the next run or Train
    layer_sizes: list
    output_text: str  # e.g. "softmax over 3 classes, cross-entropy"
    regression: bool  # a linear output: values, not classes
    config: TrainConfig  # the settings the run trains with
    restored: bool  # the first frame after a session was opened
    # Rewind: whether ``epoch`` is an earlier moment shown (``ShowMoment``), the run's latest epoch (None: the
    # same as ``epoch``), and the last ``ShowMoment.ask`` handled when the frame was made.
    showing_past: bool = False
    present_epoch: int | None = None
    moment_asked: int = 0


@dataclass(frozen=True)
class Losses:
    epochs: np.ndarray  # epochs trained since the previous frame ...
    train: np.ndarray  # ... and their training losses
    test_epoch: int | None  # the test loss, measured at this frame
    test_loss: float
    history: dict | None  # the whole curve (name -> (epochs, values)) when the plot must start afresh


@dataclass(frozen=True)
class SurfaceFrame:
    bounds: tuple
    # (res, res) float32 in 0..1 for one sigmoid unit or a neuron's map; for a regression the predicted
    # values shaded by the data's value scale (``palette.value_shade``, 0.5 = value 0)
    values: np.ndarray | None
    rgba: np.ndarray | None  # (res, res, 4) uint8 for k classes
    contour: np.ndarray | None  # (2m, 2): the 0.5 level as pairs of points, one pair a segment
    focus: tuple | None  # the neuron whose map this is, if not the output


@dataclass(frozen=True)
class NetworkFrame:
    layer_sizes: list
    activation: str
    neuron_maps: list  # per layer after the input: (width, res, res) float32, display-scaled by the view
    blocks: list  # per layer: [W; b] copies
    grads: list | None  # per layer: [dW; db] of the last recorded step
    # The input column: the features the network takes (its first layer's rows, in order), and every
    # feature's map over the view, (7, res, res) float32 in 0..1, in ``data.features.FEATURE_NAMES`` order.
    features: tuple = ("x1", "x2")
    input_maps: np.ndarray | None = None
    output: str = "sigmoid"  # the output unit's function: "linear" for a regression


@dataclass(frozen=True)
class HealthFrame:
    run_id: int
    epoch: int
    activation: str
    layer_stats: list
    config: TrainConfig
    train_loss: float


@dataclass(frozen=True)
class HiddenFrame:
    layer_sizes: list
    mesh: np.ndarray
    points: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True)
class ConfusionFrame:
    """Every point's true and predicted class, in the dataset's order, and the confusion matrices.

    ``train[i, j]`` / ``test[i, j]``: points of true class ``i`` predicted as ``j`` (see ``confusion.py``).
    The points of a cell are ``cell_mask(split, i, j)``, a boolean mask over the dataset's points."""

    run_id: int
    epoch: int
    n_classes: int
    labels: np.ndarray  # (n,) int64 true classes
    predicted: np.ndarray  # (n,) int64
    is_test: np.ndarray  # (n,) bool: the point is in the test split
    train: np.ndarray  # (k, k) int64 counts
    test: np.ndarray  # (k, k) int64 counts

    def cell_mask(self, split: str, true: int, predicted: int) -> np.ndarray:
        """The points of one cell of the ``"train"`` or ``"test"`` matrix."""
        side = self.is_test if split == "test" else ~self.is_test
        return side & (self.labels == true) & (self.predicted == predicted)

    def misclassified(self) -> np.ndarray:
        """The points, of either split, whose predicted class is not their class."""
        return self.labels != self.predicted


def confusion_frame(run_id: int, trainer) -> ConfusionFrame | None:
    """Predict every point of the trainer's split with its network; None for a regression (linear) output."""
    net = trainer.net
    if net.output_name == "linear":
        return None
    k = int(net.layer_sizes[-1]) if net.output_name == "softmax" else 2
    with np.errstate(all="ignore"):  # a diverged network predicts something; no warning for it
        pred_train = net.head.predict(net.logits(trainer.X_train)) if trainer.X_train.shape[0] else None
        pred_test = net.head.predict(net.logits(trainer.X_test)) if trainer.X_test.shape[0] else None
    is_test = np.array(trainer.test_mask, dtype=bool)
    predicted = np.zeros(is_test.shape[0], dtype=np.int64)
    if pred_train is not None:
        predicted[~is_test] = pred_train
    if pred_test is not None:
        predicted[is_test] = pred_test
    labels = np.asarray(trainer.dataset.y, dtype=np.int64).copy()
    return ConfusionFrame(
        run_id,
        trainer.epoch,
        k,
        labels,
        predicted,
        is_test,
        confusion(trainer.y_train, predicted[~is_test], k),
        confusion(trainer.y_test, predicted[is_test], k),
    )


@dataclass(frozen=True)
class TraceFrame:
    """One SGD step of the live network on one point, every number kept (``nn.trace_step``).

    ``label`` is the class used as the target: the data point's own, or, for a spot of the plane with no
    label (``guessed``), the class the network predicts there (so the step only makes it surer)."""

    run_id: int
    epoch: int
    point: tuple[float, float]
    label: float  # the class (an int) or, for a regression, the value
    guessed: bool
    trace: StepTrace
    weights: list  # per layer: W copies (fan_in, fan_out), the numbers the trace used
    biases: list
    activation: str
    output: str  # "sigmoid" or "softmax"
    learning_rate: float
    # What training's next optimizer step (on its next batch, with its optimizer and state) will change:
    # [ΔW; Δb] per layer (``Trainer.next_step``); None while a run on many points trains (too costly live).
    batch_step: list | None = None
    batch_rows: int = 0
    optimizer: str = ""
    features: tuple = ("x1", "x2")  # the network's inputs: trace.activations[0] holds the point's features
    # True while an earlier moment is shown: then ``batch_step`` is the first step of a branch from there (a
    # fresh optimizer state), since the optimizer's state belongs to the present.
    batch_fresh: bool = False


BATCH_PREVIEW_ROWS = 5_000  # while training, the next batch's step is previewed live up to this many points


def trace_frame(live: LiveRun) -> TraceFrame | None:
    """The traced point's step on the live network, or None when no point is traced."""
    traced = live.trace()
    if traced is None or live.trace_point is None:
        return None
    step, label, guessed = traced
    trainer = live.trainer
    net = trainer.net
    batch_step, batch_rows = None, 0
    if not live.busy or trainer.n_train <= BATCH_PREVIEW_ROWS:
        preview = trainer.next_step(fresh=live.showing_past)
        if preview is not None:
            batch_step, batch_rows = preview
    return TraceFrame(
        live.run_id,
        live.trainer.epoch,
        live.trace_point,
        label,
        guessed,
        step,
        [W.copy() for W in net.weights],
        [b.copy() for b in net.biases],
        net.activation_name,
        net.output_name,
        float(trainer.config.learning_rate),
        batch_step,
        batch_rows,
        trainer.config.optimizer,
        trainer.config.features,
        batch_fresh=live.showing_past,
    )


@dataclass(frozen=True)
class Frame:
    seq: int
    status: Status
    losses: Losses
    surface: SurfaceFrame | None = None
    network: NetworkFrame | None = None
    health: HealthFrame | None = None
    hidden: HiddenFrame | None = None
    confusion: ConfusionFrame | None = None
    fit: FitFrame | None = None  # instead of ``confusion`` for a regression
    trace: TraceFrame | None = None
    runs: tuple[RunRecord, ...] | None = None  # every kept run, when the list changed
    landscape: LandscapeFrame | None = None  # the Loss landscape panel's, while it is open


class FrameBuilder:
    """Builds frames from a ``LiveRun``, keeping the costly parts within budget: the surface at most a
    quarter of the thread's time, the insight data at most every ``INSIGHT_INTERVAL`` while training."""

    def __init__(self) -> None:
        self.seq = 0
        self._rate_mark = (time.perf_counter(), 0)
        self._rate = 0.0
        self._surface_done = 0.0
        self._surface_cost = 0.0
        self._insight_done = 0.0

    def insight_due(self, live: LiveRun) -> bool:
        """Whether the next frame will carry insight data (so the step before it should be recorded)."""
        v = live.views
        wanted = v.network or v.health
        return wanted and time.perf_counter() - self._insight_done >= INSIGHT_INTERVAL

    def restart_rate(self, epoch: int) -> None:
        self._rate_mark = (time.perf_counter(), epoch)

    def build(self, live: LiveRun) -> Frame:
        trainer = live.trainer
        now = time.perf_counter()
        t0, e0 = self._rate_mark
        if now - t0 >= RATE_WINDOW or trainer.epoch < e0:
            self._rate = max(trainer.epoch - e0, 0) / max(now - t0, 1e-9)
            self._rate_mark = (now, trainer.epoch)
        busy = live.running or live.sweeping or live.steps_left > 0  # Train N counts as training
        metrics = trainer.evaluate() if trainer.n_train or trainer.X_test.shape[0] else None
        epochs, train, test_epoch, test_loss, history = live.take_curves(metrics)
        net = trainer.net
        status = Status(
            run_id=live.run_id,
            epoch=trainer.epoch,
            running=busy,
            diverged=live.diverged,
            sweeping=live.sweeping,
            epochs_per_second=self._rate if busy else 0.0,
            metrics=metrics,
            notice=live.take_notice(),
            alert=live.alert,
            layer_sizes=list(net.layer_sizes),
            output_text=net.head.describe(net.layer_sizes[-1]),
            regression=net.output_name == "linear",
            config=trainer.config,
            restored=live.take_restored(),
            showing_past=live.showing_past,
            present_epoch=live.present_epoch,
            moment_asked=live.moment_asked,
        )
        runs = live.take_runs()
        self.seq += 1
        network = health = hidden = confusion = fit = trace = None
        v = live.views
        if (v.network or v.health or v.hidden is not None or v.confusion or v.trace) and (
            not busy or now - self._insight_done >= INSIGHT_INTERVAL
        ):
            self._insight_done = now
            network, health, hidden = self._insight(live, metrics)
            if v.confusion:  # a matrix for classes, predicted against true values for a regression
                confusion = confusion_frame(live.run_id, trainer)
                fit = fit_frame(live.run_id, trainer)
            if v.trace:
                trace = trace_frame(live)
        return Frame(
            seq=self.seq,
            status=status,
            losses=Losses(epochs, train, test_epoch, test_loss, history),
            surface=self._surface(live, force=not busy),
            network=network,
            health=health,
            hidden=hidden,
            confusion=confusion,
            fit=fit,
            trace=trace,
            runs=runs,
            landscape=landscape_frame(live, busy),
        )

    def _insight(self, live: LiveRun, metrics: Metrics | None):
        trainer, v = live.trainer, live.views
        net = trainer.net
        network = health = hidden = None
        stats = live.insight_stats() if (v.network or v.health) else None
        if v.network:
            features = trainer.config.features
            network = NetworkFrame(
                list(net.layer_sizes),
                net.activation_name,
                neuron_maps(net, live.bounds, features=features),
                [b.copy() for b in net.blocks()],
                None if stats is None else [g.copy() for g in stats.grads],
                features,
                feature_maps(live.bounds),
                net.output_name,
            )
        if v.health and stats is not None:
            loss = metrics.train_loss if metrics is not None else float("nan")
            health = HealthFrame(live.run_id, trainer.epoch, net.activation_name, stats.layers, trainer.config, loss)
        if v.hidden is not None:
            layer, i, j = v.hidden
            if 1 <= layer < net.n_layers and max(i, j) < net.layer_sizes[layer]:
                ds = trainer.dataset
                mesh, points = hidden_space(net, layer, i, j, live.bounds, ds.X, features=trainer.config.features)
                # Values (a regression) are coloured by sign there: positive as class 1 (orange), as on the canvas.
                labels = (ds.y > 0).astype(np.int64) if ds.is_regression else ds.y.copy()
                hidden = HiddenFrame(list(net.layer_sizes), mesh, points, labels)
        return network, health, hidden

    def _surface(self, live: LiveRun, force: bool) -> SurfaceFrame | None:
        """The decision surface, unless drawing surfaces would take more than ``SURFACE_SHARE`` of the
        thread's time (a 10 x 256 network): then it is refreshed less often instead of slowing training."""
        now = time.perf_counter()
        if not force and now - self._surface_done < self._surface_cost / SURFACE_SHARE * (1 - SURFACE_SHARE):
            return None
        net, bounds, focus = live.trainer.net, live.bounds, live.views.focus
        features = live.trainer.config.features
        if focus is not None and 1 <= focus[0] <= net.n_layers and focus[1] < net.layer_sizes[focus[0]]:
            return self._neuron_surface(net, bounds, focus, features)
        surface = evaluate_surface(net, bounds, surface_resolution(net), features)
        self._surface_done = time.perf_counter()
        self._surface_cost = self._surface_done - now
        if not np.all(np.isfinite(surface.values)):
            return None  # a diverged network: keep showing the last good picture
        if net.output_name == "linear":  # a regression: the predicted value, on the data's colour scale
            shade = value_shade(surface.values, value_scale(live.trainer.dataset.y))
            return SurfaceFrame(surface.bounds, shade, None, None, None)
        if surface.classes is None:
            contour = level_segments(surface.values, surface.bounds, 0.5)
            return SurfaceFrame(surface.bounds, surface.values, None, contour, None)
        rgba = class_image(surface.classes, surface.values, net.layer_sizes[-1])
        return SurfaceFrame(surface.bounds, None, rgba, None, None)

    @staticmethod
    def _neuron_surface(net, bounds, focus, features) -> SurfaceFrame | None:
        layer, index = focus
        maps = neuron_maps(net, bounds, surface_resolution(net), features)
        values = maps[layer - 1][index]
        output_layer = layer == net.n_layers
        # A hidden neuron is shown through its activation; an output unit as a probability (or, linear, a value).
        activation = ("linear" if net.output_name == "linear" else "sigmoid") if output_layer else net.activation_name
        if not np.all(np.isfinite(values)):
            return None
        return SurfaceFrame(tuple(bounds), display_scale(values, activation).astype(np.float32), None, None, focus)


@dataclass(frozen=True)
class LandscapeFrame:
    """The loss landscape around the weights (``training.landscape``) and the optimizer's path on it.

    ``losses[j, i]`` is the training loss at ``theta + alphas[i] d1 + betas[j] d2`` (NaN: not finite);
    ``uid`` names the landscape (a click sends it back in ``JumpInLandscape``), 0 when there is none yet.
    ``path`` is the recorded weights projected on the plane, oldest first, the current weights last."""

    run_id: int
    epoch: int
    uid: int
    method: str
    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray  # (res, res) float32
    centre_loss: float
    contours: tuple  # ((level, (2m, 2) segment points), ...)
    path: np.ndarray  # (T, 2)
    note: str


def landscape_frame(live: LiveRun, busy: bool) -> LandscapeFrame | None:
    """The landscape panel's part, while it is open: at once when idle, at the insight panels' rate while
    training."""
    tracker = live.landscape
    now = time.perf_counter()
    if not tracker.open or (busy and now - tracker.shown_at < INSIGHT_INTERVAL):
        return None
    tracker.shown_at = now
    trainer = live.trainer
    if not tracker.fits(trainer) and trainer.n_train:  # a new run (or network) while the panel is open
        live.notice = tracker.compute(trainer) or live.notice
    land = tracker.current
    if land is None or not tracker.fits(trainer):
        empty = np.zeros(0)
        return LandscapeFrame(live.run_id, trainer.epoch, 0, "", empty, empty, np.zeros((0, 0), np.float32),
                              float("nan"), (), np.zeros((0, 2)), "")  # fmt: skip
    with np.errstate(all="ignore"):
        path = tracker.path(trainer)
    return LandscapeFrame(
        live.run_id,
        trainer.epoch,
        land.uid,
        land.method,
        land.alphas.copy(),
        land.betas.copy(),
        land.losses.astype(np.float32),
        land.centre_loss,
        tuple((level, segments.copy()) for level, segments in tracker.contours),
        path,
        land.note,
    )
