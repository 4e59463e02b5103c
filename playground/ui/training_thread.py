"""The handle on training: start it, send it commands, stop it, read its final state.

Training runs in a child process (``training.process.serve``) so that the window's Python (painting,
mouse, plots) never waits for the GIL behind an epoch; ``TrainingRelay`` turns the child's messages into
Qt signals. Everything that talks to training goes through this object (the window, the session
controller, the insight panels), so none of them needs the window, the pipe or the process.

Children are forked from a ``forkserver`` that has already imported NumPy and the engine (a new run
starts in tens of milliseconds, and no child inherits Qt's threads); where there is none, ``spawn``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing
import os
import sys
import types
from dataclasses import replace

from PySide6.QtCore import QObject, QThread, Slot

from ..data import Dataset
from ..training import TrainConfig
from ..training.commands import Stop
from ..training.live import SavedState
from ..training.process import Drawn, serve
from .gui_gc import collect_on_gui_thread
from .worker import TrainingRelay

STOP_WAIT_MS = 10_000  # how long a stop waits for the child's final state before ending it by force

_context = None


def process_context():
    """The multiprocessing context training processes start from (created once)."""
    global _context
    if _context is None:
        methods = multiprocessing.get_all_start_methods()
        if "forkserver" in methods:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(["playground.training.process"])
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


# The BLAS library's threads: its default (one per core, spinning between calls) takes the core the window
# paints on, and at playground sizes buys nothing. The forkserver reads these when it imports NumPy.
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def blas_threads() -> int:
    """Threads for the training process's BLAS: all cores but two (the window's and training's own), >= 1."""
    return max(1, (os.cpu_count() or 1) - 2)


@contextlib.contextmanager
def _main_module_left_alone():
    """``multiprocessing`` runs the parent's main *script* again in every child (as ``__mp_main__``), so a
    script that opens the window without an ``if __name__ == "__main__"`` guard would open another one in
    the training process. The child needs nothing from it: while one starts, present an empty module of
    the engine's (``training.child_main``) as the main module, which the child imports instead."""
    main = sys.modules.get("__main__")
    saved_env = {name: os.environ.get(name) for name in BLAS_THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(BLAS_THREAD_VARIABLES, str(blas_threads())))
    stand_in = types.ModuleType("__main__")
    stand_in.__spec__ = importlib.util.find_spec("playground.training.child_main")
    sys.modules["__main__"] = stand_in
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class TrainingThread(QObject):
    def __init__(self, dataset: Dataset, config: TrainConfig, bounds, parent=None):
        super().__init__(parent)
        ctx = process_context()
        self._conn, self._child_conn = ctx.Pipe()
        self._process = ctx.Process(
            target=serve, args=(self._child_conn, dataset, config, bounds), name="playground-training", daemon=True
        )
        self.relay = TrainingRelay(self._conn)
        self._thread: QThread | None = QThread()
        self._thread.setObjectName("playground-training-relay")
        self.relay.moveToThread(self._thread)
        self._thread.started.connect(self.relay.run)
        self.relay.finished.connect(self._thread.quit)
        self._last_state: SavedState | None = None
        self.relay.stateReady.connect(self._keep_state)
        # The relay's signals, for the window to connect to bound slots of GUI-thread objects.
        self.frame = self.relay.frame
        self.stateReady = self.relay.stateReady
        self.failed = self.relay.failed

    def start(self) -> None:
        assert self._thread is not None
        collect_on_gui_thread()  # never let Python's collector free Qt objects on the relay thread
        with _main_module_left_alone():
            self._process.start()
        self._child_conn.close()  # the child's end lives in the child now: its death closes the pipe
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread is not None

    @property
    def errors(self) -> int:
        """Internal errors the training process reported (and survived), or its unexpected end."""
        return self.relay.errors

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def send(self, command) -> None:
        if self._thread is not None:
            self._send(command)

    def acknowledge(self, seq: int) -> None:
        if self._thread is not None:
            self._send(Drawn(seq))

    def _send(self, message) -> None:
        try:
            self._conn.send(message)
        except OSError:  # the process is gone; the relay has said so
            pass

    def stop(self) -> None:
        """Stop training and wait for the child's final state; safe to call twice."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self.relay.stopping = True
        if self._process.pid is None:  # never started
            self._child_conn.close()
            self._conn.close()
            return
        self._send(Stop())
        thread.quit()  # its event loop ends once the relay has the final state (the relay cannot ask: we wait)
        if not thread.wait(STOP_WAIT_MS):  # the child does not answer: end it, which closes the pipe
            self._process.kill()
            thread.wait()
        self._process.join(STOP_WAIT_MS / 1000)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()

    def pending_requests(self) -> list:
        """Once stopped: the state requests (saves) the training process never answered."""
        assert self._thread is None, "stop() first"
        final = self.relay.final
        return list(final.pending) if final is not None else []

    def final_state(self) -> SavedState | None:
        """The trainer's state once stopped (for the save on quit): the child's last word, or if it died
        without one, the last state it sent; None if there is none (the last autosave then stands)."""
        assert self._thread is None, "stop() first: the trainer belongs to the running process"
        if self.relay.final is not None:
            return self.relay.final.saved
        if self._last_state is not None:
            return replace(self._last_state, purpose="final", path="")
        return None

    @Slot(object)
    def _keep_state(self, saved: SavedState) -> None:
        self._last_state = saved
