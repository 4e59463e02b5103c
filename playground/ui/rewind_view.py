"""The timeline under the loss plot: dragging it shows the run as it was then (the boundary, the network view
and every panel draw those weights, and the loss plot marks the epoch); "Branch from here" starts a new run
from them, the old one kept in Runs.

The training side keeps the weights (``training.checkpoints``: log-spaced epochs and the most recent ones)
and answers ``ShowMoment`` / ``BranchFrom``; this panel only sends them and follows the frames' status.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from ..training.frame import Status

HINT = "Drag the timeline to see the run as it was; Train goes on from now."
WIDEST_LABEL = "epoch 888,888 of 888,888"  # the label's room: the track never resizes with its text
STALE_FRAMES = 3  # frames of the running present that may still arrive after a moment was asked for


class EpochLabel(QLabel):
    """The "epoch X of Y" label. Empty (the present), it takes no room, so the track is as long as it can be;
    with a text, the room of ``WIDEST_LABEL`` whatever the digits, so the track keeps one size while an
    earlier moment is shown. It first appears when the handle is let go (``RewindView``), never under a drag.
    In a narrow window it gives up its room like the track (the window's minimum width stays)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        if not self.text():
            return QSize(0, super().sizeHint().height())
        return QSize(self.fontMetrics().horizontalAdvance(WIDEST_LABEL) + 4, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, super().minimumSizeHint().height())


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
        self.shown: int | None = None  # the epoch the frames show (the kept checkpoint's), while in the past
        self._stale = 0  # running frames still to ignore: sent before the training side took the request
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
        self._label_text = ""  # what the label shows once the handle is let go
        self.slider.sliderReleased.connect(lambda: self.label.setText(self._label_text if self.showing else ""))
        self.label = EpochLabel("")
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
        if status.run_id != self.run_id:
            self.run_id = status.run_id
            self._stale = 0
            self._leave_past()
        elif status.running and self.showing is not None:
            if self._stale > 0:  # the present's frame, sent before the earlier moment was asked for
                self._stale -= 1
                if status.epoch > self.latest:
                    self.latest = status.epoch
                    self.slider.blockSignals(True)
                    self.slider.setMaximum(self.latest)
                    self.slider.blockSignals(False)
                return
            self._leave_past()  # Train (or Step) goes on from the present
        if not status.running:
            self._stale = 0  # the training side has stopped: what comes now is what it shows
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
            self.shown = status.epoch
            self._label_text = f"epoch {status.epoch:,} of {self.latest:,}"
            if not self.slider.isSliderDown():  # under a drag, the label waits for the handle to be let go
                self.label.setText(self._label_text)
            self.markerChanged.emit(status.epoch)

    def back_to_now(self) -> None:
        self._leave_past()
        self.momentRequested.emit(None)

    def _moved(self, epoch: int) -> None:
        if epoch >= self.latest:
            self.back_to_now()
            return
        self.showing = epoch
        self._stale = STALE_FRAMES
        self.now_button.setEnabled(True)
        self.branch_button.setEnabled(True)
        self.momentRequested.emit(epoch)

    def _branch(self) -> None:
        if self.showing is not None:
            # The epoch shown (the kept checkpoint at or before the one dragged to), as the notice will say.
            epoch = self.shown if self.shown is not None else self.showing
            self._leave_past()
            self.branchRequested.emit(epoch)

    def _leave_past(self) -> None:
        self.showing = None
        self.shown = None
        self.now_button.setEnabled(False)
        self.branch_button.setEnabled(False)
        self._label_text = ""
        self.label.setText("")
        self.markerChanged.emit(None)
