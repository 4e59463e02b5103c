"""The training worker: drives the ``training`` generator in a QThread and emits throttled snapshots.

Commands reach it through a ``queue.SimpleQueue`` that it drains between epochs (its own event loop is
busy inside ``run``, so queued slot calls would never run). Snapshots are emitted at most ``max_fps``
times a second, each built from fresh arrays that are never touched again after emitting.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ..data import Dataset
from ..training import Metrics, TrainConfig, Trainer
from ..training.insight import display_scale, hidden_space, neuron_maps
from ..training.runs import train_run
from ..training.surface import evaluate_surface, level_segments
from ..training.trainer import TrainState
from .palette import class_image

SURFACE_RESOLUTION = 160
INSIGHT_INTERVAL = 0.12  # seconds between insight-panel data while training
MIN_RESOLUTION = 64
SURFACE_BUDGET = 4e8  # multiply-adds per surface, about 20-40 ms here


def surface_resolution(net) -> int:
    """160 x 160 cells, fewer for networks so big that the grid would take long to evaluate."""
    macs = sum(W.size for W in net.weights)
    res = int((SURFACE_BUDGET / max(macs, 1)) ** 0.5)
    return max(MIN_RESOLUTION, min(SURFACE_RESOLUTION, res))


@dataclass
class Snapshot:
    run_id: int
    epoch: int
    running: bool
    epochs: np.ndarray  # epochs trained since the previous snapshot ...
    train_losses: np.ndarray  # ... and their train losses
    metrics: Metrics | None
    epochs_per_second: float
    surface_bounds: tuple | None = None
    surface_values: np.ndarray | None = None  # (res, res) float32 for binary outputs
    surface_rgba: np.ndarray | None = None  # (res, res, 4) uint8 for k classes
    contour: np.ndarray | None = None  # (2m, 2): the 0.5 level as pairs of points, one pair a segment
    diverged: bool = False
    notice: str = ""  # a message for the user (reset, divergence, no data)
    focus: tuple | None = None  # the neuron whose map the surface shows, if not the output
    neuron_maps: list | None = None  # per layer after the input: (width, res, res) float32
    blocks: list | None = None  # per layer: [W; b] copies
    grads: list | None = None  # per layer: [dW; db] of the last recorded step
    layer_stats: list | None = None  # insight.LayerStats per layer, from the last recorded step
    hidden_mesh: np.ndarray | None = None
    hidden_points: np.ndarray | None = None
    hidden_labels: np.ndarray | None = None
    activation: str = ""
    restored: bool = False  # the first snapshot after a session was loaded
    seq: int = 0  # emission order, for back-pressure
    layer_sizes: list = field(default_factory=list)
    output: str = ""


class Command:
    PLAY, PAUSE, STEP, DATA, CONFIG, RESET, VIEW, STOP, LOAD, STATE, VIEWS, SET_PARAM, SWEEP, CANCEL = range(14)


@dataclass
class Views:
    """What the open insight panels need from each snapshot (nothing, when they are closed)."""

    network: bool = False  # neuron maps, weights and gradients
    health: bool = False  # per-layer statistics
    hidden: tuple | None = None  # (layer, i, j) for the hidden-space view
    focus: tuple | None = None  # (layer, neuron): show this neuron's map on the canvas instead of the output


# Commands that stop a running sweep (the others are served between its epochs).
INTERRUPTING = frozenset(
    {
        Command.PLAY,
        Command.STEP,
        Command.DATA,
        Command.CONFIG,
        Command.RESET,
        Command.STOP,
        Command.LOAD,
        Command.SWEEP,
        Command.CANCEL,
    }
)


@dataclass
class SavedState:
    """What the worker hands back for a save: its trainer's state with the data and settings it used."""

    tag: object
    state: TrainState
    dataset: Dataset
    config: TrainConfig


class TrainingWorker(QObject):
    snapshot = Signal(object)
    stateReady = Signal(object)  # SavedState, answering Command.STATE
    runFinished = Signal(object)  # runs.RunRecord of a sweep run
    finished = Signal()

    def __init__(self, dataset: Dataset, config: TrainConfig, bounds, max_fps: float = 30.0, state=None):
        super().__init__()
        self._initial_state = state
        self._trainer: Trainer | None = None
        self._sweep = None  # ([(label, config), ...], epochs) waiting to run
        self._restored = False  # the next snapshot is the first after a LOAD
        self._interrupted = False  # a command that cancels a running sweep arrived
        self.errors = 0  # internal errors survived (tests assert there were none)
        # Back-pressure: snapshots carry a sequence number and the window writes back the last one it drew.
        # The worker emits a timed snapshot only when the window has drawn all but one, so a window that
        # draws slowly (every panel open, a slow machine) gets fewer frames instead of a growing backlog.
        self.emitted = 0
        self.drawn = 0
        self.commands: queue.SimpleQueue = queue.SimpleQueue()
        self.stop_event = threading.Event()
        self._dataset = dataset
        self._config = config
        self._bounds = tuple(bounds)
        self._interval = 1.0 / max_fps

    def send(self, kind: int, payload=None) -> None:
        self.commands.put((kind, payload))

    def stop(self) -> None:
        self.stop_event.set()
        self.commands.put((Command.STOP, None))

    @Slot()
    def run(self) -> None:
        try:
            self._loop()
        finally:
            self.finished.emit()

    def _recover(self, exc: Exception) -> None:
        """A bug must not silently kill training: report it, pause, and keep serving commands."""
        traceback.print_exc()
        self.errors += 1
        self._running = False
        self._sweep = None
        self._notice = (
            f"Something went wrong inside the training thread ({type(exc).__name__}: {exc}). Training paused; "
            "your data and settings are safe. Press Reset to start again."
        )
        try:
            self._emit()
        except Exception:  # even the snapshot failed: the next command will try again
            traceback.print_exc()

    def final_state(self) -> SavedState | None:
        """The trainer's state once the thread has stopped (for the save on quit)."""
        trainer = self._trainer
        if trainer is None:
            return None
        return SavedState("final", trainer.state(), trainer.dataset, trainer.config)

    def _loop(self) -> None:
        trainer = Trainer(self._dataset, self._config, eval_every=0)
        if self._initial_state is not None:
            trainer.restore(self._initial_state)
        self._trainer = trainer
        self._run_id = 0
        self._running = False
        self._pending_epochs: list[int] = []
        self._pending_losses: list[float] = []
        self._notice = ""
        self._diverged = False
        self._rate_mark = (time.perf_counter(), trainer.epoch)
        self._rate = 0.0
        self._surface_done = 0.0
        self._surface_cost = 0.0
        self._insight_done = 0.0
        self._views = Views()
        self._emit()
        next_emit = time.perf_counter() + self._interval
        while not self.stop_event.is_set():
            try:
                next_emit = self._iteration(next_emit)
            except Exception as exc:
                self._recover(exc)

    def _iteration(self, next_emit: float) -> float:
        """One pass: apply commands, train one epoch if running, emit a snapshot when one is due.
        Returns when the next snapshot is due."""
        dirty = self._drain(block=not self._running)
        if self.stop_event.is_set():
            return next_emit
        if self._sweep is not None:
            self._run_sweep()
            return next_emit
        if self._running or self._step_requested:
            self._step_requested = False
            # Record layer statistics on the step just before a snapshot, if a panel shows them.
            now = time.perf_counter()
            record = (
                (self._views.network or self._views.health)
                and now >= next_emit
                and now - self._insight_done >= INSIGHT_INTERVAL
            )
            self._train_one(record)
        now = time.perf_counter()
        if dirty or (self._pending_epochs and now >= next_emit and self.emitted - self.drawn <= 1):
            self._emit()
            # A fixed cadence, not "interval after the last one": the rate stays at max_fps instead of
            # drifting below it by a loop's worth of time per frame.
            next_emit += self._interval
            if now - next_emit > 2 * self._interval:  # fell far behind (a long epoch): start afresh
                next_emit = now + self._interval
        return next_emit

    # -- commands ------------------------------------------------------------------------------

    def _drain(self, block: bool) -> bool:
        """Apply every queued command; when idle, wait for one. True if the view must be redrawn."""
        self._step_requested = False
        dirty = False
        while True:
            if not block and self.commands.empty():  # the common case, without raising queue.Empty
                return dirty
            try:
                kind, payload = self.commands.get(timeout=0.25) if block else self.commands.get_nowait()
            except queue.Empty:
                return dirty
            block = False
            dirty = True
            if kind in INTERRUPTING:
                self._interrupted = True
            trainer = self._trainer
            if kind == Command.STOP:
                return dirty
            if kind == Command.PLAY:
                self._running = not self._diverged
                self._rate_mark = (time.perf_counter(), trainer.epoch)
            elif kind == Command.PAUSE:
                self._running = False
            elif kind == Command.STEP:
                self._running = False
                self._step_requested = not self._diverged
            elif kind == Command.DATA:
                if trainer.set_dataset(payload):
                    self._new_run(
                        f"The data now has {payload.n_classes} classes, so the output layer "
                        "changed and the weights were reset."
                    )
            elif kind == Command.CONFIG:
                if trainer.apply(payload):
                    self._new_run(
                        "The network's shape, activation, initialiser or seed changed: the weights were reset."
                    )
            elif kind == Command.RESET:
                trainer.reset(seed=payload)
                self._new_run("")
            elif kind == Command.VIEW:
                self._bounds = tuple(payload)
            elif kind == Command.LOAD:
                dataset, config, state = payload
                self._trainer = trainer = Trainer(dataset, config, eval_every=0)
                if state is not None:
                    trainer.restore(state)
                self._new_run("")
                self._running = False
                self._restored = True
            elif kind == Command.STATE:
                self.stateReady.emit(SavedState(payload, trainer.state(), trainer.dataset, trainer.config))
            elif kind == Command.VIEWS:
                self._views = payload
            elif kind == Command.SET_PARAM:
                layer, row, col, value = payload
                blocks = trainer.net.blocks()
                if 0 <= layer < len(blocks) and 0 <= row < blocks[layer].shape[0] and 0 <= col < blocks[layer].shape[1]:
                    blocks[layer][row, col] = value
                    trainer.reference_loss = None
            elif kind == Command.SWEEP:
                self._running = False
                self._sweep = list(payload)  # [(label, config), ...], epochs
            elif kind == Command.CANCEL:
                self._sweep = None

    def _new_run(self, notice: str) -> None:
        self._run_id += 1
        self._diverged = False
        self._notice = notice
        self._pending_epochs.clear()
        self._pending_losses.clear()
        self._rate_mark = (time.perf_counter(), self._trainer.epoch)

    # -- training ------------------------------------------------------------------------------

    def _run_sweep(self) -> None:
        """Train the sweep's runs one after another on the current data, each from a fresh network."""
        runs, epochs = self._sweep
        self._sweep = None
        for k, (label, config) in enumerate(runs):
            self._notice = f"Sweep: run {k + 1} of {len(runs)} ({label})…"
            self._emit()
            cancelled = []

            def should_stop(cancelled=cancelled):
                # Serve commands meanwhile (autosave, panel changes); the user's training commands cancel.
                self._interrupted = False
                self._drain(block=False)
                if self.stop_event.is_set() or self._interrupted:
                    cancelled.append(True)
                    return True
                return False

            record = train_run(self._trainer.dataset, config, epochs, label, should_stop)
            self.runFinished.emit(record)
            if cancelled:
                self._notice = "Sweep stopped."
                break
        else:
            self._notice = f"Sweep finished: {len(runs)} runs are in the Runs panel."
        self._emit()

    def _train_one(self, record: bool = False) -> None:
        trainer = self._trainer
        limit = trainer.config.max_epochs
        if limit and trainer.epoch >= limit:
            self._running = False
            self._notice = f"Reached the epoch limit ({limit:,}). Raise it or set 'no limit' to go on."
            return
        result = trainer.step(record=record)
        if result.diverged:
            self._running = False
            self._diverged = trainer.n_train > 0
            self._notice = result.message
            if trainer.n_train == 0:
                self._notice = "There are no training points yet: draw some, or pick a preset."
                return
        self._pending_epochs.append(result.epoch)
        self._pending_losses.append(result.train_loss)

    def _emit(self) -> None:
        trainer = self._trainer
        now = time.perf_counter()
        t0, e0 = self._rate_mark
        if now - t0 >= 0.5:
            self._rate = (trainer.epoch - e0) / (now - t0)
            self._rate_mark = (now, trainer.epoch)
        if not self._running:
            self._rate = 0.0
        metrics = trainer.evaluate() if trainer.n_train or trainer.X_test.shape[0] else None
        snap = Snapshot(
            run_id=self._run_id,
            epoch=trainer.epoch,
            running=self._running,
            epochs=np.array(self._pending_epochs, dtype=np.int64),
            train_losses=np.array(self._pending_losses, dtype=np.float64),
            metrics=metrics,
            epochs_per_second=self._rate,
            diverged=self._diverged,
            notice=self._notice,
            layer_sizes=list(trainer.net.layer_sizes),
            output=trainer.net.output_name,
            activation=trainer.net.activation_name,
            restored=self._restored,
        )
        self.emitted += 1
        snap.seq = self.emitted
        self._restored = False
        self._add_insight(snap)
        self._pending_epochs.clear()
        self._pending_losses.clear()
        if not self._diverged:
            self._notice = ""  # shown once; a divergence stays until the next run
        self._add_surface(snap, force=not self._running)
        self.snapshot.emit(snap)

    def _add_neuron_surface(self, snap: Snapshot, net, focus) -> None:
        layer, index = focus
        res = surface_resolution(net)
        maps = neuron_maps(net, self._bounds, res)
        values = maps[layer - 1][index]
        activation = net.activation_name if layer < net.n_layers else "sigmoid"
        if layer == net.n_layers and net.output_name == "softmax":
            activation = "sigmoid"  # a class probability
        if not np.all(np.isfinite(values)):
            return
        snap.focus = focus
        snap.surface_bounds = tuple(self._bounds)
        snap.surface_values = display_scale(values, activation).astype(np.float32)
        snap.contour = None

    def _add_insight(self, snap: Snapshot) -> None:
        """The open panels' data, at most every INSIGHT_INTERVAL while training (they redraw that often)."""
        views, trainer = self._views, self._trainer
        if not (views.network or views.health or views.hidden is not None):
            return
        now = time.perf_counter()
        if self._running and now - self._insight_done < INSIGHT_INTERVAL:
            return
        self._insight_done = now
        net = trainer.net
        if (views.network or views.health) and trainer.stats_epoch != trainer.epoch:
            trainer.probe()  # no recorded step for this epoch (paused, stepped, or trained between frames)
        if views.network:
            snap.neuron_maps = neuron_maps(net, self._bounds)
            snap.blocks = [b.copy() for b in net.blocks()]
            snap.grads = None if trainer.last_grads is None else [g.copy() for g in trainer.last_grads]
        if views.network or views.health:
            snap.layer_stats = trainer.last_stats
        if views.hidden is not None:
            layer, i, j = views.hidden
            if 1 <= layer < net.n_layers and max(i, j) < net.layer_sizes[layer]:
                ds = trainer.dataset
                snap.hidden_mesh, snap.hidden_points = hidden_space(net, layer, i, j, self._bounds, ds.X)
                snap.hidden_labels = ds.y

    def _add_surface(self, snap: Snapshot, force: bool) -> None:
        """Add the decision surface, unless drawing surfaces would take more than a quarter of the
        worker's time (a 10 x 256 network): then it is refreshed less often, and coarser, instead of
        slowing training or the window."""
        now = time.perf_counter()
        if not force and now - self._surface_done < 3.0 * self._surface_cost:
            return
        net = self._trainer.net
        focus = self._views.focus
        if focus is not None and 1 <= focus[0] <= net.n_layers and focus[1] < net.layer_sizes[focus[0]]:
            self._add_neuron_surface(snap, net, focus)
            return
        surface = evaluate_surface(net, self._bounds, surface_resolution(net))
        self._surface_done = time.perf_counter()
        self._surface_cost = self._surface_done - now
        snap.surface_bounds = surface.bounds
        if not np.all(np.isfinite(surface.values)):
            return  # a diverged network: keep showing the last good picture
        if surface.classes is None:
            snap.surface_values = surface.values
            snap.contour = level_segments(surface.values, surface.bounds, 0.5)
        else:
            snap.surface_rgba = class_image(surface.classes, surface.values, self._trainer.net.layer_sizes[-1])
