"""The handle on training: start it, send it commands, stop it, read its final state.

Training runs in a child process (``training.process.serve``) so that the window's Python (painting,
mouse, plots) never waits for the GIL behind an epoch; ``TrainingRelay`` turns the child's messages into
Qt signals. Everything that talks to training goes through this object (the window, the session
controller, the insight panels), so none of them needs the window, the pipe or the process.

Children are forked from a ``forkserver`` that has already imported NumPy and the engine (see
``training.launch``).
"""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from ..data import Dataset
from ..training import TrainConfig
from ..training.commands import (
    Apply,
    BranchFrom,
    DeleteRuns,
    JumpInLandscape,
    Load,
    NewRun,
    RequestState,
    Reset,
    SetBounds,
    SetData,
    SetSpeed,
    SetTrace,
    SetWeight,
    ShowLandscape,
    ShowMoment,
    Stop,
    TakeTraceStep,
    Views,
)
from ..training.launch import main_module_left_alone, process_context
from ..training.live import SavedState
from ..training.process import Drawn, serve
from .gui_gc import collect_on_gui_thread
from .worker import TrainingRelay

MAX_RESTARTS = 3  # restarts within RESTART_WINDOW_S before training is given up in this window
RESTART_WINDOW_S = 60.0
STOP_WAIT_MS = 10_000  # how long a stop waits for the child's final state before ending it by force


class _Child:
    """One training process, its pipe, and the relay thread that listens to it."""

    def __init__(self, dataset: Dataset, config: TrainConfig, bounds, state=None):
        ctx = process_context()
        self.conn, child_conn = ctx.Pipe()
        self.process = ctx.Process(
            target=serve, args=(child_conn, dataset, config, bounds, state), name="playground-training", daemon=True
        )
        self._child_conn = child_conn
        self.relay = TrainingRelay(self.conn)
        self.thread = QThread()
        self.thread.setObjectName("playground-training-relay")
        self.relay.moveToThread(self.thread)
        self.thread.started.connect(self.relay.run)
        self.relay.finished.connect(self.thread.quit)

    def start(self) -> None:
        with main_module_left_alone():
            self.process.start()
        self._child_conn.close()  # the child's end lives in the child now: its death closes the pipe
        self.thread.start()

    def send(self, message) -> None:
        try:
            self.conn.send(message)
        except OSError:  # the process is gone; the relay says so
            pass

    def stop(self) -> None:
        """Ask for the final state and wait for it (or end a child that does not answer)."""
        self.relay.stopping = True
        if self.process.pid is None:  # never started
            self._child_conn.close()
            self.conn.close()
            return
        self.send(Stop())
        self.thread.quit()  # its event loop ends once the relay has the final state (it cannot ask: we wait)
        if not self.thread.wait(STOP_WAIT_MS):  # the child does not answer: end it, which closes the pipe
            self.process.kill()
            self.thread.wait()
        self.process.join(STOP_WAIT_MS / 1000)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


# Commands whose latest one is the training process's standing state: a restarted process gets them again.
# The view's are always replayed (a saved state does not hold them); the data's and settings' only when sent
# after the saved state the new process starts from.
# ShowMoment counts as a view: the window's timeline numbers its requests, and a new process must know the last.
_VIEWS = (SetBounds, Views, SetSpeed, SetTrace, ShowLandscape, ShowMoment)
_STANDING = (SetData, Apply, NewRun, Load, *_VIEWS)
# Commands that change the run once (not a standing state): each one sent after the saved state is done again,
# in order with the rest.
_ONE_OFF = (Reset, DeleteRuns, BranchFrom, SetWeight, TakeTraceStep, JumpInLandscape)
MAX_ONE_OFF = 1000  # kept since the last state heard (a state normally comes every few seconds)


class TrainingThread(QObject):
    """Starts the training process and keeps it: if it dies (killed, out of memory, a crash in native code),
    a new one continues from the last state it sent (an autosave's, at most a few seconds old) with the
    window's current data, settings and views, and the window says so."""

    frame = Signal(object)  # training.frame.Frame
    stateReady = Signal(object)  # training.live.SavedState, answering RequestState
    failed = Signal(str)  # an internal error or a restart, explained for the user

    def __init__(self, dataset: Dataset, config: TrainConfig, bounds, parent=None):
        super().__init__(parent)
        self._start_args = (dataset, config, bounds)
        self._bounds = bounds
        self._standing: dict[type, tuple[int, object]] = {}  # kind -> (number sent, latest command), in order
        self._one_off: list[tuple[int, object]] = []  # (number sent, command) since the last state heard
        self._sent = 0  # commands sent so far
        self._asked: list[tuple[int, RequestState]] = []  # state requests still unanswered (number, request)
        self._restarted_at: list[float] = []  # when the recent restarts happened
        self._last_state: SavedState | None = None
        self._last_state_sent = 0  # what the last state reflects: every command numbered up to this
        self._errors = 0
        self.restarts = 0
        self._child: _Child | None = self._new_child(dataset, config, bounds)

    def _new_child(self, dataset, config, bounds, state=None) -> _Child:
        child = _Child(dataset, config, bounds, state)
        child.relay.frame.connect(self._frame)
        child.relay.stateReady.connect(self._state)
        child.relay.failed.connect(self._failed)
        child.relay.died.connect(self._died)
        return child

    def start(self) -> None:
        assert self._child is not None
        collect_on_gui_thread()  # never let Python's collector free Qt objects on the relay thread
        self._child.start()

    @property
    def alive(self) -> bool:
        """Not stopped yet (training may have been given up after repeated deaths: saves then use the last
        state the process sent)."""
        return not self._stopped

    @property
    def errors(self) -> int:
        """Internal errors the training process reported (and survived), and its unexpected ends."""
        return self._errors

    @property
    def pid(self) -> int | None:
        return self._child.process.pid if self._child is not None else None

    def send(self, command) -> None:
        if self._child is None and not self._stopped and isinstance(command, RequestState):
            # Training was given up after repeated deaths: a save still gets the last state there is.
            if self._last_state is not None:
                self.stateReady.emit(replace(self._last_state, purpose=command.purpose, path=command.path))
            else:
                self.failed.emit(f"Nothing was written to {command.path or 'the autosave'}: training had stopped.")
            return
        if self._child is not None:
            self._sent += 1
            if isinstance(command, _STANDING):
                self._standing.pop(type(command), None)
                self._standing[type(command)] = (self._sent, command)
            elif isinstance(command, _ONE_OFF):
                self._one_off.append((self._sent, command))
                del self._one_off[:-MAX_ONE_OFF]
            elif isinstance(command, RequestState):
                self._asked.append((self._sent, command))
            self._child.send(command)

    def acknowledge(self, seq: int) -> None:
        if self._child is not None:
            self._child.send(Drawn(seq))

    def stop(self) -> None:
        """Stop training and wait for the child's final state; safe to call twice."""
        self._stopped = True
        child, self._child = self._child, None
        if child is not None:
            child.stop()
            self._final = child.relay.final
            # What the process sent before it stopped is queued for this object: pass it on now (a save asked
            # for just before quitting is among it).
            QCoreApplication.sendPostedEvents(self)

    _final = None
    _stopped = False

    def pending_requests(self) -> list:
        """Once stopped: the state requests (saves) the training process never answered."""
        assert self._stopped, "stop() first"
        return list(self._final.pending) if self._final is not None else []

    def final_state(self) -> SavedState | None:
        """The trainer's state once stopped (for the save on quit): the child's last word, or if it died
        without one, the last state it sent; None if there is none (the last autosave then stands)."""
        assert self._stopped, "stop() first: the trainer belongs to the running process"
        if self._final is not None:
            return self._final.saved
        if self._last_state is not None:
            return replace(self._last_state, purpose="final", path="")
        return None

    # -- from the relay (queued onto the GUI thread) ------------------------------------------------

    @Slot(object)
    def _frame(self, frame) -> None:
        self.frame.emit(frame)

    @Slot(object)
    def _state(self, saved: SavedState) -> None:
        self._last_state = saved
        self._last_state_sent = self._asked.pop(0)[0] if self._asked else self._sent
        self._one_off = [(sent, command) for sent, command in self._one_off if sent > self._last_state_sent]
        self.stateReady.emit(saved)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._errors += 1
        self.failed.emit(message)

    @Slot()
    def _died(self) -> None:
        """The training process ended on its own: start another from the last state it sent."""
        old = self._child
        if old is None or self.sender() is not old.relay:
            return  # stopping, or an old child's late word
        old.thread.quit()  # the relay has returned; its event loop ends (we wait, so it cannot ask)
        old.thread.wait()
        old.process.join(1)
        if old.process.exitcode is None:  # closed its pipe but lingers: end it
            old.process.kill()
            old.process.join()
        old.conn.close()
        exitcode = old.process.exitcode
        how = f"exit code {exitcode}" if exitcode is not None and exitcode >= 0 else f"signal {-(exitcode or 0)}"
        unanswered = [request for _, request in self._asked]  # saves the dead process never answered
        self._asked.clear()
        self._errors += 1
        now = time.monotonic()
        self._restarted_at = [t for t in self._restarted_at if now - t < RESTART_WINDOW_S] + [now]
        if len(self._restarted_at) > MAX_RESTARTS:  # it dies again and again: stop trying, and say so
            self._child = None
            self.failed.emit(
                f"The training process stopped unexpectedly ({how}), {len(self._restarted_at)} times in a minute. "
                "Training is off in this window: save the session (File → Save) and restart the app."
            )
            return
        self.restarts += 1
        saved = self._last_state
        if saved is not None:  # the new process starts from the saved weights, then gets the rest of it
            start = (saved.dataset, saved.config, self._bounds, saved.state)
        else:
            start = (*self._start_args, None)
        try:
            self._child = self._new_child(*start)
            self._child.start()
        except Exception as exc:  # noqa: BLE001 - e.g. no memory to fork right after an out-of-memory kill
            self._child = None
            self.failed.emit(
                f"The training process stopped unexpectedly ({how}) and a new one could not start "
                f"({type(exc).__name__}: {exc}). Save the session (File → Save) and restart the app."
            )
            return
        if saved is not None:
            state = (saved.dataset, saved.config, saved.state, saved.history, tuple(saved.runs), saved.checkpoints)
            self._child.send(Load(*state))
        # Then the view, and what the window asked for since that state, in the order it was asked.
        replay = [
            (sent, command)
            for sent, command in self._standing.values()
            if isinstance(command, _VIEWS) or sent > self._last_state_sent or saved is None
        ]
        replay += [(sent, command) for sent, command in self._one_off if sent > self._last_state_sent or saved is None]
        for _, command in sorted(replay, key=lambda item: item[0]):
            self._child.send(command)
        for request in unanswered:  # asked of the old process: the new one answers
            self.send(request)
        since = f"from epoch {saved.state.epoch:,}, its last saved state" if saved is not None else "afresh"
        self.failed.emit(
            f"The training process stopped unexpectedly ({how}). A new one goes on {since}; your data and "
            "settings are as they were. Press Train to continue."
        )
