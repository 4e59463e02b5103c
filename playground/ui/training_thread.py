"""The handle on the training thread: start it, send it commands, stop it, read its final state.

Everything that talks to the worker goes through this object (the window, the session controller, the
insight panels), so none of them needs the window or the worker itself.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread

from ..data import Dataset
from ..training import TrainConfig
from ..training.live import SavedState
from .gui_gc import collect_on_gui_thread
from .worker import TrainingWorker


class TrainingThread(QObject):
    def __init__(self, dataset: Dataset, config: TrainConfig, bounds, parent=None):
        super().__init__(parent)
        self.worker = TrainingWorker(dataset, config, bounds)
        self._thread: QThread | None = QThread()
        self._thread.setObjectName("playground-training")
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._thread.quit)
        # The worker's signals, for the window to connect to bound slots of GUI-thread objects.
        self.frame = self.worker.frame
        self.stateReady = self.worker.stateReady
        self.failed = self.worker.failed

    def start(self) -> None:
        assert self._thread is not None
        collect_on_gui_thread()  # never let Python's collector free Qt objects on the training thread
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread is not None

    def send(self, command) -> None:
        if self._thread is not None:
            self.worker.send(command)

    def acknowledge(self, seq: int) -> None:
        self.worker.acknowledge(seq)

    def stop(self) -> None:
        """Stop the worker and wait for its thread; safe to call twice."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self.worker.stop()
        thread.quit()
        thread.wait()

    def pending_requests(self) -> list:
        """Once stopped: the state requests (saves) the worker never answered."""
        assert self._thread is None, "stop() first"
        return self.worker.pending_requests()

    def final_state(self) -> SavedState:
        """The trainer's state once the thread has stopped (for the save on quit)."""
        assert self._thread is None, "stop() first: the trainer belongs to the running thread"
        return self.worker.live.saved_state("final")
