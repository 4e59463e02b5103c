"""The training thread's Qt adapter: a queue in, frames out. The logic lives in ``training.live``.

Commands reach the worker through a ``queue.SimpleQueue`` drained between epochs (its own event loop is
busy inside ``run``, so queued slot calls would never run). Frames go out at most ``max_fps`` times a
second, and only when the window has drawn all but one of those already sent (``acknowledge``): a window
that draws slowly gets fewer frames instead of a growing backlog.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback

from PySide6.QtCore import QObject, Signal, Slot

from ..data import Dataset
from ..training.commands import RequestState, Stop
from ..training.config import TrainConfig
from ..training.frame import FrameBuilder
from ..training.live import LiveRun
from ..training.trainer import TrainingStopped, TrainState

IDLE_WAIT = 0.25  # seconds an idle worker waits for a command before looking at the stop flag again


class TrainingWorker(QObject):
    frame = Signal(object)  # training.frame.Frame
    stateReady = Signal(object)  # training.live.SavedState, answering RequestState
    failed = Signal(str)  # an internal error, explained for the user
    finished = Signal()

    def __init__(self, dataset: Dataset, config: TrainConfig, bounds, state: TrainState | None = None):
        super().__init__()
        self.live = LiveRun(dataset, config, state, bounds)
        self.builder = FrameBuilder()
        self.commands: queue.SimpleQueue = queue.SimpleQueue()
        self.stop_event = threading.Event()
        self.interval = 1.0 / 30
        self._drawn = 0
        self.errors = 0  # internal errors survived

    # -- called from the GUI thread -----------------------------------------------------------------

    def send(self, command) -> None:
        self.commands.put(command)

    def stop(self) -> None:
        self.stop_event.set()
        self.commands.put(Stop())

    def acknowledge(self, seq: int) -> None:
        """The window has drawn frame ``seq`` (an int write: atomic under the GIL)."""
        self._drawn = seq

    # -- the thread ---------------------------------------------------------------------------------

    @Slot()
    def run(self) -> None:
        try:
            self.live.trainer.should_stop = self.stop_event.is_set
            self._emit()
            next_emit = time.perf_counter() + self.interval
            while not self.stop_event.is_set():
                try:
                    next_emit = self._iteration(next_emit)
                except TrainingStopped:  # the window is closing: a long epoch was abandoned
                    break
                except Exception as exc:  # a bug must not silently kill training
                    self._recover(exc)
        except TrainingStopped:  # closed during the first frame
            pass
        finally:
            self.finished.emit()

    def pending_requests(self) -> list[RequestState]:
        """Once the thread has stopped: the state requests it never answered (saves asked for just before
        quitting), for the caller to answer from the final state."""
        pending = []
        while not self.commands.empty():
            cmd = self.commands.get_nowait()
            if isinstance(cmd, RequestState):
                pending.append(cmd)
        return pending

    def _iteration(self, next_emit: float) -> float:
        live = self.live
        wait = live.wait_time()  # slow motion: sleep on the queue until the next epoch is due
        dirty = self._drain(block=not live.busy or wait > 0, timeout=min(wait, IDLE_WAIT) if live.busy else IDLE_WAIT)
        if self.stop_event.is_set():
            return next_emit
        was_busy = live.busy
        live.trainer.should_stop = self.stop_event.is_set  # a long epoch looks at it between chunks
        live.advance(record=time.perf_counter() >= next_emit and self.builder.insight_due(live))
        if was_busy and not live.busy:
            dirty = True  # a step, the epoch limit, a divergence or the sweep's end: show it now
        now = time.perf_counter()
        due = now >= next_emit and self.builder.seq - self._drawn <= 1
        if dirty or (due and (live.pending_epochs or live.sweeping)):
            self._emit()
            # A fixed cadence, not "interval after the last one", so the rate does not drift below max_fps.
            next_emit += self.interval
            if now - next_emit > 2 * self.interval:  # fell far behind (a long epoch): start afresh
                next_emit = now + self.interval
        return next_emit

    def _drain(self, block: bool, timeout: float = IDLE_WAIT) -> bool:
        """Apply every queued command; when idle, wait for one. True if anything was applied."""
        dirty = False
        while True:
            if not block and self.commands.empty():  # the common case, without raising queue.Empty
                return dirty
            try:
                cmd = self.commands.get(timeout=timeout) if block else self.commands.get_nowait()
            except queue.Empty:
                return dirty
            block = False
            if isinstance(cmd, Stop):
                return dirty
            if isinstance(cmd, RequestState):
                self.stateReady.emit(self.live.saved_state(cmd.purpose, cmd.path))
                continue
            dirty = True
            was_running = self.live.running
            self.live.handle(cmd)
            if self.live.running and not was_running:
                self.builder.restart_rate(self.live.trainer.epoch)

    def _emit(self) -> None:
        self.frame.emit(self.builder.build(self.live))

    def _recover(self, exc: Exception) -> None:
        traceback.print_exc()
        self.errors += 1
        self.live.halt()
        self.failed.emit(
            f"Something went wrong inside the training thread ({type(exc).__name__}: {exc}). Training paused; "
            "your data and settings are safe. Press Reset to start again."
        )
        try:
            self._emit()
        except Exception:  # even the frame failed: the next command will try again
            traceback.print_exc()
