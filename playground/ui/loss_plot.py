"""The loss plot: train and test loss per epoch, linear or log scale, bounded history, hover readout."""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot

from ..training.history import LossHistory
from ..training.trainer import MSE_PER_LOSS


class PlainAxis(pg.AxisItem):
    """An axis with plain numbers ("0.69", not "690" under "loss (x0.001)"), and on a log scale readable
    ticks at every range: plain values within a decade, decades (thinned to fit) over many."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickValues(self, minVal, maxVal, size, stdTicks):
        lo, hi = max(min(minVal, maxVal), -300.0), min(max(minVal, maxVal), 300.0)
        span = hi - lo
        if not (math.isfinite(span) and span > 0):
            return []
        if span <= 1.2:  # within about a decade: plain, evenly spaced values
            a, b = 10.0**lo, 10.0**hi
            step = nice_step((b - a) / 4)
            values = np.arange(math.ceil(a / step) * step, b, step)
            values = values[values > 0]
            return [(None, np.log10(values).tolist())]
        every = max(1, math.ceil(span / max(size / 35.0, 1.0)))  # no more decade labels than fit
        major = [float(d) for d in range(math.ceil(lo), math.floor(hi) + 1) if d % every == 0]
        minor = []
        if span <= 3.5:
            minor = [d + math.log10(m) for d in range(math.floor(lo), math.ceil(hi)) for m in (2, 5)]
            minor = [v for v in minor if lo <= v <= hi]
        return [(float(every), major), (None, minor)]

    def logTickStrings(self, values, scale, spacing):
        return [f"{10.0**v:.3g}" for v in values]


class EpochAxis(PlainAxis):
    """Plain whole numbers: ticks only at integers (pyqtgraph ticks 0.2, 0.4, ... over a short range); on a
    log axis, whole epochs too: decades, 2 and 5 times them, and every whole epoch within about a decade."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's names
        if self.logMode:  # (pyqtgraph's own path would go through the linear ticks first)
            return self.logTickValues(minVal, maxVal, size, [])
        levels = [(spacing, values) for spacing, values in super().tickValues(minVal, maxVal, size) if spacing >= 1]
        if not levels:
            low, high = sorted((minVal, maxVal))
            levels = [(1.0, [float(v) for v in range(math.ceil(low), math.floor(high) + 1)])]
        return levels

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 - pyqtgraph's names
        lo, hi = max(min(minVal, maxVal), 0.0), min(max(minVal, maxVal), 300.0)  # from epoch 1
        span = hi - lo
        if not (math.isfinite(span) and span > 0):
            return []
        every = max(1, math.ceil(span / max(size / 35.0, 1.0)))  # no more decade labels than fit
        major = [float(d) for d in range(math.ceil(lo), math.floor(hi) + 1) if d % every == 0]
        steps = range(2, 10) if span <= 0.7 else (2, 5) if span <= 3.5 else ()
        minor = [d + math.log10(m) for d in range(math.floor(lo), math.ceil(hi)) for m in steps]
        return [(float(every), major), (None, [v for v in minor if lo <= v <= hi])]

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        return [f"{round(10.0**v)}" for v in values]


class EpochViewBox(pg.ViewBox):
    """A view whose auto-range shows epochs from 0 (epoch 1 on a log axis, ``log_x``) to at least
    ``MIN_EPOCHS``, and which cannot be panned below that start: one Step shows 0..10, not -40..40."""

    MIN_EPOCHS = 10
    X_ROOM = 0.03  # room after the last epoch, a share of the range

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.log_x = False
        self.setLimits(xMin=0.0)  # epoch 0, or on a log axis log10(1)

    def childrenBounds(self, frac=None, orthoRange=(None, None), items=None):  # noqa: N802, N803 - pyqtgraph's
        bounds = super().childrenBounds(frac=frac, orthoRange=orthoRange, items=items)
        least = math.log10(self.MIN_EPOCHS) if self.log_x else float(self.MIN_EPOCHS)
        x = bounds[0]
        last = least if x is None or not math.isfinite(x[1]) else max(least, x[1] * (1 + self.X_ROOM))
        bounds[0] = [0.0, last]
        return bounds

    def suggestPadding(self, axis):  # noqa: N802 - pyqtgraph's name
        # The epoch axis pads only on the right (X_ROOM above): padding on both sides, then shifted right by
        # the limit at 0, would leave twice the room after the last epoch.
        return 0.0 if axis == 0 else super().suggestPadding(axis)


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at least ``raw``."""
    if not (math.isfinite(raw) and raw > 0):
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))


class LossPlot(pg.PlotWidget):
    """Shows the run's loss curves. The curves belong to the training thread's live run (saved from
    there); ``train`` and ``test`` here are the display's bounded copies, fed by the frames."""

    def __init__(self, parent=None):
        self.epoch_view = EpochViewBox()
        super().__init__(
            parent, viewBox=self.epoch_view, axisItems={"left": PlainAxis("left"), "bottom": EpochAxis("bottom")}
        )
        self.setObjectName("lossPlot")
        self.log_epochs = False
        self.setBackground("w")
        self.setLabel("bottom", "epoch")
        self.setLabel("left", "loss")
        self.addLegend(offset=(-10, 10))
        # No grid: pyqtgraph draws grid lines with the axes, so a grid makes every curve update repaint
        # both axes and their text, which costs more than the rest of the window's drawing together.
        self._last_redraw = 0.0
        self._stale = False
        self.scale = 1.0  # from the engine's loss to what the curves show (see set_quantity)
        self.log_loss = False
        self.train = LossHistory()
        self.test = LossHistory()
        self.train_curve = self.plot(pen=pg.mkPen((0, 114, 178), width=2), name="train")
        self.test_curve = self.plot(pen=pg.mkPen((213, 94, 0), width=2), name="test")
        # The epoch the window shows while the run is rewound (the timeline under the plot); hidden at the present.
        self.marker = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen((40, 40, 40), width=1, style=Qt.PenStyle.DashLine)
        )
        self.marker.setZValue(5)
        self.marker.hide()
        self.addItem(self.marker, ignoreBounds=True)
        self.readout = pg.TextItem(color=(30, 30, 30), anchor=(1, 0))
        self.readout.setZValue(10)
        self.addItem(self.readout, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._hover)

    def set_quantity(self, regression: bool) -> None:
        """What the curves show: the loss, or for a regression the mean squared error. The engine's loss for
        a linear output is half of it (½·mean (a − y)², as TensorFlow Playground's, so that dL/dz = a − y):
        its values are doubled on the way in. Call before the frame's losses are added."""
        self.scale = MSE_PER_LOSS if regression else 1.0
        label = "MSE" if regression else "loss"  # (a longer name is cut off on a laptop's short plot)
        if self.getAxis("left").labelText != label:
            self.setLabel("left", label)

    @Slot(object)
    def set_marker(self, epoch) -> None:
        """Mark ``epoch`` (the moment the window shows), or hide the marker (None: the present)."""
        if epoch is None:
            self.marker.hide()
            return
        self.marker.setValue(np.log10(max(epoch, 1)) if self.log_epochs else epoch)
        self.marker.show()

    def marked_epoch(self):
        """The marked epoch, or None."""
        if not self.marker.isVisible():
            return None
        value = self.marker.value()
        return round(10**value) if self.log_epochs else round(value)

    def set_log(self, on: bool) -> None:
        self.log_loss = on
        self.setLogMode(y=on)
        self.redraw()

    def set_log_epochs(self, on: bool) -> None:
        """A log epoch axis, for long runs whose early epochs are squashed against the loss axis."""
        self.log_epochs = on
        self.epoch_view.log_x = on
        self.setLogMode(x=on)
        self.redraw()

    def axis_labels(self, axis: str = "left") -> list[str]:
        """The tick labels the axis draws now (for tests and the curious)."""
        item = self.getAxis(axis)
        lo, hi = item.range
        length = item.height() if axis == "left" else item.width()
        levels = item.tickValues(lo, hi, length)
        return [t for spacing, values in levels for t in item.tickStrings(values, 1.0, spacing or 1.0)]

    def set_history(self, history: dict) -> None:
        """Show these curves instead of the current ones (name -> (epochs, values))."""
        for name, hist in (("train", self.train), ("test", self.test)):
            hist.clear()
            if name in history:
                epochs, values = history[name]
                hist.extend(epochs, np.asarray(values, dtype=np.float64) * self.scale)
        self._stale = True
        self.readout.setText("")  # about the curves that were
        if not len(self.train.data()[0]):  # a new run: the axes start again, not at the old run's ranges
            item = self.getPlotItem()
            if not len(self.test.data()[0]):  # nothing to range over: auto-range would keep the old loss range
                item.setYRange(-1.0 if self.log_loss else 0.0, 0.0 if self.log_loss else 1.0, padding=0)
            item.enableAutoRange()

    def redraw_if_stale(self, min_interval: float) -> bool:
        """Redraw if curves came in since the last redraw and ``min_interval`` has passed; True if it did."""
        if self._stale:
            return self.redraw(min_interval)
        return False

    def mark_stale(self) -> None:
        """New curve data to show at the next ``redraw_if_stale``."""
        self._stale = True

    def add(self, epochs, train_losses, test_epoch=None, test_loss=None) -> None:
        """Append what was trained since the last frame. Epochs at or before the curve's end are not
        appended: a frame of an earlier moment (Rewind) measures the test loss there, which the curve has."""
        epochs = np.asarray(epochs, dtype=np.int64)
        losses = np.asarray(train_losses, dtype=np.float64)
        last = self.train.data()[0]
        if last.size and epochs.size:
            later = epochs > last[-1]
            epochs, losses = epochs[later], losses[later]
        self.train.extend(epochs, losses * self.scale)
        if test_epoch is not None and test_loss is not None and np.isfinite(test_loss):
            shown = self.test.data()[0]
            if not shown.size or test_epoch > shown[-1]:
                self.test.extend([test_epoch], [test_loss * self.scale])

    def redraw(self, min_interval: float = 0.0) -> bool:
        """Show the history; with ``min_interval`` (seconds), skip if the last redraw was more recent.
        A curve changing ten times a second looks continuous, and the plot's axes are costly to repaint."""
        now = time.perf_counter()
        if now - self._last_redraw < min_interval:
            self._stale = True
            return False
        self._last_redraw = now
        self._stale = False
        for curve, hist in ((self.train_curve, self.train), (self.test_curve, self.test)):
            e, v = hist.data()
            ok = np.isfinite(v)
            if self.log_loss:  # a loss of exactly 0 (a perfect fit in float32) has no place on a log axis
                ok &= v > 0
            if self.log_epochs:
                ok &= e > 0
            curve.setData(e[ok], v[ok])
        return True

    def leaveEvent(self, event):  # noqa: N802 - Qt's name
        self.readout.setText("")  # the readout follows the mouse: gone with it
        super().leaveEvent(event)

    def _hover(self, pos) -> None:
        vb = self.getPlotItem().vb
        if not self.sceneBoundingRect().contains(pos):
            return
        epochs, values = self.train.data()
        if epochs.size == 0:
            self.readout.setText("")
            return
        x = vb.mapSceneToView(pos).x()
        i = int(np.clip(np.searchsorted(epochs, x), 0, epochs.size - 1))
        text = f"epoch {epochs[i]}\ntrain {values[i]:.4g}"
        te, tv = self.test.data()
        if te.size:
            j = int(np.clip(np.searchsorted(te, x), 0, te.size - 1))
            text += f"\ntest {tv[j]:.4g} (epoch {te[j]})"
        self.readout.setText(text)
        (x0, x1), (y0, y1) = vb.viewRange()
        self.readout.setPos(x1, y1)

    def hover_text(self) -> str:
        return self.readout.toPlainText()
