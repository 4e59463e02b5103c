"""The Rewind panel: a timeline of the run. Dragging it shows the run as it was then (every panel draws those
weights); "Branch from here" starts a new run from them, the old one kept in Runs.

The training side keeps the weights (``training.checkpoints``: log-spaced epochs and the most recent ones)
and answers ``ShowMoment`` / ``BranchFrom``; this panel only sends them and follows the frames' status.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from ..training.frame import Status

HINT = "Drag to see the run as it was (early epochs and the last 64 are kept); Train goes on from now."


class RewindView(QWidget):
    momentRequested = Signal(object)  # an epoch, or None: back to now
    branchRequested = Signal(int)  # the epoch shown

    def sizeHint(self) -> QSize:  # noqa: N802 - docked panels stay narrow
        return QSize(360, 160)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("rewindView")
        self.run_id: int | None = None
        self.latest = 0  # the present's epoch
        self.showing: int | None = None  # the epoch asked for, while an earlier moment is shown
        layout = QVBoxLayout(self)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("rewindSlider")
        self.slider.setRange(0, 0)
        layout.addWidget(self.slider)
        self.label = QLabel(HINT)
        self.label.setObjectName("rewindLabel")
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        self.now_button = QPushButton("Back to now")
        self.now_button.setObjectName("rewindNowButton")
        self.branch_button = QPushButton("Branch from here")
        self.branch_button.setObjectName("branchButton")
        self.branch_button.setToolTip("Start a new run from the weights shown (the current run is kept in Runs)")
        for button in (self.now_button, self.branch_button):
            button.setEnabled(False)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.slider.valueChanged.connect(self._moved)
        self.now_button.clicked.connect(self.back_to_now)
        self.branch_button.clicked.connect(self._branch)

    def update_from(self, status: Status) -> None:
        """Follow the run: the timeline ends at the present; training (or a new run) leaves the past."""
        if status.run_id != self.run_id or status.running:
            self.run_id = status.run_id
            self._leave_past()
        if self.showing is None:
            self.latest = status.epoch
            self.slider.blockSignals(True)
            self.slider.setRange(0, max(self.latest, 0))
            self.slider.setValue(self.latest)
            self.slider.blockSignals(False)
        else:
            self.label.setText(f"Showing epoch {status.epoch:,} of {self.latest:,}.")

    def back_to_now(self) -> None:
        self._leave_past()
        self.momentRequested.emit(None)

    def _moved(self, epoch: int) -> None:
        if epoch >= self.latest:
            self.back_to_now()
            return
        self.showing = epoch
        self.now_button.setEnabled(True)
        self.branch_button.setEnabled(True)
        self.momentRequested.emit(epoch)

    def _branch(self) -> None:
        if self.showing is not None:
            epoch = self.showing
            self._leave_past()
            self.branchRequested.emit(epoch)

    def _leave_past(self) -> None:
        self.showing = None
        self.now_button.setEnabled(False)
        self.branch_button.setEnabled(False)
        self.label.setText(HINT)
