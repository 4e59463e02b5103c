"""The training worker: drives the ``training`` generator in a QThread and emits throttled snapshots.

Commands reach it through a ``queue.SimpleQueue`` that it drains between epochs (its own event loop is
busy inside ``run``, so queued slot calls would never run). Snapshots are emitted at most ``max_fps``
times a second, each built from fresh arrays that are never touched again after emitting.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ..data import Dataset
from ..training import Metrics, TrainConfig, Trainer
from ..training.surface import evaluate_surface, level_segments
from ..training.trainer import TrainState
from .palette import class_image

SURFACE_RESOLUTION = 160
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
    layer_sizes: list = field(default_factory=list)
    output: str = ""


class Command:
    PLAY, PAUSE, STEP, DATA, CONFIG, RESET, VIEW, STOP, LOAD, STATE = range(10)


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
    finished = Signal()

    def __init__(self, dataset: Dataset, config: TrainConfig, bounds, max_fps: float = 30.0, state=None):
        super().__init__()
        self._initial_state = state
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

    def final_state(self) -> SavedState | None:
        """The trainer's state once the thread has stopped (for the save on quit)."""
        trainer = getattr(self, "_trainer", None)
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
        self._emit()
        next_emit = time.perf_counter() + self._interval
        while not self.stop_event.is_set():
            dirty = self._drain(block=not self._running)
            if self.stop_event.is_set():
                break
            if self._running or self._step_requested:
                self._step_requested = False
                self._train_one()
            now = time.perf_counter()
            if dirty or (self._pending_epochs and now >= next_emit):
                self._emit()
                # A fixed cadence, not "interval after the last one": the rate stays at max_fps
                # instead of drifting below it by a loop's worth of time per frame.
                next_emit += self._interval
                if now - next_emit > 2 * self._interval:  # fell far behind (a long epoch): start afresh
                    next_emit = now + self._interval

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
            elif kind == Command.STATE:
                self.stateReady.emit(SavedState(payload, trainer.state(), trainer.dataset, trainer.config))

    def _new_run(self, notice: str) -> None:
        self._run_id += 1
        self._diverged = False
        self._notice = notice
        self._pending_epochs.clear()
        self._pending_losses.clear()
        self._rate_mark = (time.perf_counter(), self._trainer.epoch)

    # -- training ------------------------------------------------------------------------------

    def _train_one(self) -> None:
        trainer = self._trainer
        limit = trainer.config.max_epochs
        if limit and trainer.epoch >= limit:
            self._running = False
            self._notice = f"Reached the epoch limit ({limit:,}). Raise it or set 'no limit' to go on."
            return
        result = trainer.step()
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
        )
        self._pending_epochs.clear()
        self._pending_losses.clear()
        if not self._diverged:
            self._notice = ""  # shown once; a divergence stays until the next run
        self._add_surface(snap, force=not self._running)
        self.snapshot.emit(snap)

    def _add_surface(self, snap: Snapshot, force: bool) -> None:
        """Add the decision surface, unless drawing surfaces would take more than a quarter of the
        worker's time (a 10 x 256 network): then it is refreshed less often, and coarser, instead of
        slowing training or the window."""
        now = time.perf_counter()
        if not force and now - self._surface_done < 3.0 * self._surface_cost:
            return
        net = self._trainer.net
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
