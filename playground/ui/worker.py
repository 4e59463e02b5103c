"""The window's end of the training process's pipe: a thread that turns its messages into Qt signals.

Training runs in a process of its own (``training.process``), so it never holds the window's GIL. This
relay blocks on the pipe in a ``QThread`` (blocking releases the GIL) and emits what arrives; the window
connects the signals to bound slots of GUI-thread objects, so they are delivered on the GUI thread.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, Signal, Slot

from ..training.process import Final


class TrainingRelay(QObject):
    frame = Signal(object)  # training.frame.Frame
    stateReady = Signal(object)  # training.live.SavedState, answering RequestState
    failed = Signal(str)  # an internal error, explained for the user
    died = Signal()  # the process ended without being asked to (its pipe closed)
    finished = Signal()

    def __init__(self, conn):
        super().__init__()
        self.conn = conn
        self.final: Final | None = None
        self.stopping = False  # set before Stop is sent: the pipe closing is then expected

    @Slot()
    def run(self) -> None:
        try:
            while self.final is None:
                try:
                    kind, payload = self.conn.recv()
                except (EOFError, OSError):  # the process is gone
                    if not self.stopping:
                        self.died.emit()
                    return
                except Exception:  # a message that would not unpickle: a bug, reported, never the end
                    traceback.print_exc()
                    continue
                if kind == "frame":
                    self.frame.emit(payload)
                elif kind == "state":
                    self.stateReady.emit(payload)
                elif kind == "failed":
                    self.failed.emit(payload)
                elif kind == "final":
                    self.final = payload
        finally:
            self.finished.emit()
