"""The training loop: a command queue in, frames out, around a ``LiveRun``. No Qt, no processes.

Commands arrive through ``send`` (from any thread) into a ``queue.SimpleQueue`` drained between epochs.
Frames go out through the ``out`` callable at most ``max_fps`` times a second, and only when the window has
drawn all but one of those already sent (``acknowledge``): a window that draws slowly gets fewer frames
instead of a growing backlog. ``training.process`` runs this loop in a process of its own, so training
never competes with the window for Python's GIL.

``out(kind, payload)`` receives ``("frame", Frame)``, ``("state", SavedState)`` answering a
``RequestState``, and ``("failed", message)`` for an internal error the loop survived.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable

from ..data import Dataset
from .commands import RequestState, Stop
from .config import TrainConfig
from .frame import FrameBuilder
from .live import LiveRun
from .trainer import TrainingStopped, TrainState

IDLE_WAIT = 0.25  # seconds an idle loop waits for a command before looking at the stop flag again
MAX_FPS = 30


class TrainingLoop:
    def __init__(
        self,
        dataset: Dataset,
        config: TrainConfig,
        bounds,
        out: Callable[[str, object], None],
        state: TrainState | None = None,
    ):
        self.live = LiveRun(dataset, config, state, bounds)
        self.builder = FrameBuilder()
        self.out = out
        self.commands: queue.SimpleQueue = queue.SimpleQueue()
        self.stop_event = threading.Event()
        self.interval = 1.0 / MAX_FPS
        self._drawn = 0
        self._pending: list[RequestState] = []  # state requests found after Stop
        self.errors = 0  # internal errors survived

    # -- called from any thread ---------------------------------------------------------------------

    def send(self, command) -> None:
        self.commands.put(command)

    def stop(self) -> None:
        self.stop_event.set()
        self.commands.put(Stop())

    def acknowledge(self, seq: int) -> None:
        """The window has drawn frame ``seq`` (an int write: atomic under the GIL)."""
        self._drawn = seq

    # -- the loop -----------------------------------------------------------------------------------

    def run(self) -> None:
        """Train and answer commands until ``stop``."""
        try:
            self.live.trainer.should_stop = self.stop_event.is_set
            self._emit()
            next_emit = time.perf_counter() + self.interval
            while not self.stop_event.is_set():
                try:
                    next_emit = self._iteration(next_emit)
                except TrainingStopped:  # stopping: a long epoch was abandoned
                    break
                except Exception as exc:  # a bug must not silently kill training
                    self._recover(exc)
        except TrainingStopped:  # stopped during the first frame
            pass
        self._apply_the_rest()

    def _apply_the_rest(self) -> None:
        """Commands sent before ``Stop`` but not yet applied (a session opened just before quitting) still
        count: apply them, so the final state is what the window last asked for. State requests wait for
        ``pending_requests``; training commands only change settings now, nothing trains."""
        self.live.trainer.should_stop = None
        while not self.commands.empty():
            cmd = self.commands.get_nowait()
            if isinstance(cmd, RequestState):
                self._pending.append(cmd)
            elif not isinstance(cmd, Stop):
                try:
                    self.live.handle(cmd)
                except Exception:  # the final state must still be taken: this command is lost, and said so
                    traceback.print_exc()

    def pending_requests(self) -> list[RequestState]:
        """Once the loop has stopped: the state requests it never answered (saves asked for just before
        quitting), for the caller to answer from the final state."""
        pending, self._pending = self._pending, []
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
                self.out("state", self.live.saved_state(cmd.purpose, cmd.path))
                continue
            dirty = True
            was_running = self.live.running
            self.live.handle(cmd)
            if self.live.running and not was_running:
                self.builder.restart_rate(self.live.trainer.epoch)

    def _emit(self) -> None:
        self.out("frame", self.builder.build(self.live))

    def _recover(self, exc: Exception) -> None:
        traceback.print_exc()
        self.errors += 1
        self.live.halt()
        self.out(
            "failed",
            f"Something went wrong inside the training process ({type(exc).__name__}: {exc}). Training paused; "
            "your data and settings are safe. Press Reset to start again.",
        )
        try:
            self._emit()
        except Exception:  # even the frame failed: the next command will try again
            traceback.print_exc()
