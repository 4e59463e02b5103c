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


class CompactButton(QPushButton):
    """A push button as wide as its text, not the style's 80 px minimum."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.fontMetrics().horizontalAdvance(self.text()) + 24, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.sizeHint()


class RewindView(QWidget):
    momentRequested = Signal(object, int)  # an epoch (None: back to now), and the request's number (``ask``)
    branchRequested = Signal(int)  # the epoch shown
    markerChanged = Signal(object)  # the epoch the window shows now, or None at the present: the loss plot's marker

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("rewindView")
        self.run_id: int | None = None
        self.latest = 0  # the present's epoch
        self.showing: int | None = None  # the epoch asked for, while an earlier moment is shown
        self.shown: int | None = None  # the epoch the frames show (the kept checkpoint's), while in the past
        self._asked = 0  # requests sent (``ShowMoment.ask``); a frame echoes the last one handled
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
        # Short names: at 1366 px the row shares the loss plot's width, and the track needs it to be scrubbed.
        self.now_button = CompactButton("Now")
        self.now_button.setObjectName("rewindNowButton")
        self.now_button.setToolTip("Back to now: show the run as it is (Train goes on from there)")
        self.branch_button = CompactButton("Branch")
        self.branch_button.setObjectName("branchButton")
        self.branch_button.setToolTip(
            "Branch from here: a new run from the weights shown, with a fresh optimizer state (the current run is "
            "kept in Runs)"
        )
        for button in (self.now_button, self.branch_button):
            button.setEnabled(False)
            row.addWidget(button)
        self.slider.valueChanged.connect(self._moved)
        self.now_button.clicked.connect(self.back_to_now)
        self.branch_button.clicked.connect(self._branch)

    def update_from(self, status: Status) -> None:
        """Follow the run: the timeline ends at the present; the run coming back to now (Train, Step, an edit,
        a new run) leaves the past. A frame made before the training side handled the last request (the running
        present's, still on its way) says nothing about it."""
        present = status.present_epoch if status.present_epoch is not None else status.epoch
        if status.run_id != self.run_id:
            self.run_id = status.run_id
            self._leave_past()
        elif self.showing is not None and not status.showing_past and status.moment_asked >= self._asked:
            self._leave_past()
        self.latest = present
        self.slider.blockSignals(True)
        self.slider.setMaximum(max(present, 0))
        if self.showing is None:
            self.slider.setValue(present)
        self.slider.blockSignals(False)
        if self.showing is not None and status.showing_past:
            self.shown = status.epoch
            self._label_text = f"epoch {status.epoch:,} of {present:,}"
            if not self.slider.isSliderDown():  # under a drag, the label waits for the handle to be let go
                self.label.setText(self._label_text)
            self.markerChanged.emit(status.epoch)

    def back_to_now(self) -> None:
        self._leave_past()
        self._ask(None)

    def _ask(self, epoch: int | None) -> None:
        self._asked += 1
        self.momentRequested.emit(epoch, self._asked)

    def _moved(self, epoch: int) -> None:
        if epoch >= self.latest:
            self.back_to_now()
            return
        self.showing = epoch
        self.now_button.setEnabled(True)
        self.branch_button.setEnabled(True)
        self._ask(epoch)

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
