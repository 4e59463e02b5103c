"""The timeline under the loss plot: dragging it shows the run as it was then (the boundary, the network view
and every panel draw those weights, and the loss plot marks the epoch); "Branch from here" starts a new run
from them, the old one kept in Runs.

The training side keeps the weights (``training.checkpoints``: log-spaced epochs and the most recent ones)
and answers ``ShowMoment`` / ``BranchFrom``; this panel only sends them and follows the frames' status.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from ..training.frame import Status

HINT = "Drag the timeline to see the run as it was; Train goes on from now."


class RewindView(QWidget):
    momentRequested = Signal(object)  # an epoch, or None: back to now
    branchRequested = Signal(int)  # the epoch shown
    markerChanged = Signal(object)  # the epoch the window shows now, or None at the present: the loss plot's marker

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("rewindView")
        self.run_id: int | None = None
        self.latest = 0  # the present's epoch
        self.showing: int | None = None  # the epoch asked for, while an earlier moment is shown
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Rewind")
        title.setToolTip(HINT)
        row.addWidget(title)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("rewindSlider")
        self.slider.setToolTip(
            "The run's timeline: drag to see the run as it was (the early epochs and a recent stretch are kept). "
            "Train goes on from now."
        )
        self.slider.setRange(0, 0)
        row.addWidget(self.slider, 1)
        self.label = QLabel("")
        self.label.setObjectName("rewindLabel")
        self.label.setToolTip(HINT)
        row.addWidget(self.label)
        self.now_button = QPushButton("Back to now")
        self.now_button.setObjectName("rewindNowButton")
        self.branch_button = QPushButton("Branch from here")
        self.branch_button.setObjectName("branchButton")
        self.branch_button.setToolTip("Start a new run from the weights shown (the current run is kept in Runs)")
        for button in (self.now_button, self.branch_button):
            button.setEnabled(False)
            row.addWidget(button)
        self.slider.valueChanged.connect(self._moved)
        self.now_button.clicked.connect(self.back_to_now)
        self.branch_button.clicked.connect(self._branch)

    def update_from(self, status: Status) -> None:
        """Follow the run: the timeline ends at the present; training (or a new run) leaves the past."""
        if status.run_id != self.run_id or (status.running and self.showing is not None):
            self.run_id = status.run_id
            self._leave_past()
        if self.showing is None:
            self.latest = status.epoch
            self.slider.blockSignals(True)
            self.slider.setRange(0, max(self.latest, 0))
            self.slider.setValue(self.latest)
            self.slider.blockSignals(False)
        else:
            if status.epoch > self.latest:  # the present's frame, sent before the earlier moment was asked for
                self.latest = status.epoch
                self.slider.blockSignals(True)
                self.slider.setMaximum(self.latest)
                self.slider.blockSignals(False)
            self.label.setText(f"epoch {status.epoch:,} of {self.latest:,}")
            self.markerChanged.emit(status.epoch)

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
        self.label.setText("")
        self.markerChanged.emit(None)
