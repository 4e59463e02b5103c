"""Draws the frames the training thread sends: the labels, the notices, the boundary, the loss curve, the
open insight panels and the status bar. The newest frame is drawn by a ~60 Hz timer; a frame that arrives
before its predecessor was drawn draws that one first, so every frame's losses and notices are shown."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot

from ..training.frame import Frame

FRAME_MS = 15  # the redraw timer looks for a new frame at ~60 Hz; frames come at most 30 times a second
LOSS_REDRAW = 0.1  # seconds between loss-curve redraws while training (its axes are costly to repaint)


class FramePresenter(QObject):
    def __init__(self, thread, state, canvas, loss_plot, progress, notices, buttons, controls, insight, status_bar):
        super().__init__(canvas)
        self.thread = thread
        self.state = state
        self.canvas = canvas
        self.loss_plot = loss_plot
        self.progress = progress
        self.notices = notices
        self.buttons = buttons
        self.controls = controls
        self.insight = insight
        self.status_bar = status_bar
        self.latest: Frame | None = None
        self.drawn: Frame | None = None
        self.frames_drawn = 0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.draw_latest)
        self.timer.start()

    @property
    def epoch(self) -> int:
        return self.latest.status.epoch if self.latest is not None else 0

    @property
    def present_epoch(self) -> int:
        """The run's latest epoch, also while an earlier moment is shown (Rewind)."""
        if self.latest is None:
            return 0
        status = self.latest.status
        return status.present_epoch if status.present_epoch is not None else status.epoch

    @property
    def running(self) -> bool:
        return self.latest is not None and self.latest.status.running

    def stop(self) -> None:
        self.timer.stop()

    @Slot(object)
    def on_frame(self, frame: Frame) -> None:
        if self.latest is not None and self.latest is not self.drawn:
            self.draw_latest()
        self.latest = frame

    @Slot()
    def draw_latest(self) -> None:
        frame = self.latest
        if frame is None or frame is self.drawn:
            # Between frames, one costly redraw per tick: Qt paints everything that changed in one go, so
            # the boundary, the loss curve and a panel redrawn together would make one long stall.
            if not self.loss_plot.redraw_if_stale(LOSS_REDRAW):
                self.insight.redraw_one()  # a panel waiting for its turn
            return
        self.drawn = frame
        self.frames_drawn += 1
        self.thread.acknowledge(frame.seq)  # lets the worker send the next one
        status = frame.status
        self.loss_plot.set_quantity(status.regression)  # before the losses come in
        self._add_losses(frame)
        # Training: this tick draws the boundary and the labels; the loss curve and the panels follow in the
        # next ticks. Paused: everything now.
        self.insight.update_from(frame, redraw=not status.running)
        if status.running:
            self.loss_plot.mark_stale()
        else:
            self.loss_plot.redraw()
        s = frame.surface
        if s is not None:
            self.canvas.set_surface(s.bounds, s.values, s.rgba, s.contour, self.state.view.discretize)
        self.progress.show_status(status)
        self.notices.show_status(status)
        self.buttons.show_running(status.running)
        self.controls.set_output_text(status.output_text)
        if status.diverged:
            self.status_bar.showMessage("Paused: the run diverged. Lower the learning rate and press Train.")
        elif status.sweeping:
            self.status_bar.showMessage(status.notice or "Sweeping…")
        elif status.running:
            self.status_bar.showMessage(f"Training… epoch {status.epoch:,}")
        elif status.showing_past:
            self.status_bar.showMessage(f"Showing epoch {status.epoch:,} (the run is at {status.present_epoch:,})")
        elif status.epoch:
            self.status_bar.showMessage(f"Paused at epoch {status.epoch:,}")
        else:
            self.status_bar.showMessage("Ready: press Train")

    def _add_losses(self, frame: Frame) -> None:
        """The plot mirrors the run's curves, which the training thread owns: a new run or an opened session
        sends the whole curve (this frame's losses included), other frames what was trained since."""
        losses = frame.losses
        if losses.history is not None:
            self.loss_plot.set_history(losses.history)
        else:
            self.loss_plot.add(losses.epochs, losses.train, losses.test_epoch, losses.test_loss)
