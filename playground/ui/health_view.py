"""The "Gradients & health" panel: per-layer gradient norm, weight norm and update/weight ratio over time on
a log axis, unit saturation, and plain-language findings.

A log axis has no place for 0, and a gradient of exactly 0 is news (a dead layer, a network that cannot
learn), so a value of 0 is drawn on a dashed floor line a decade under the smallest value shown, marked
with a triangle, and the axis labels that line "0". Epochs are whole numbers: the epoch axis never ticks
between two, so one or two points get one or two labels, not 0, 0.2, 0.4, ...
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..training.insight import HealthHistory, findings
from .insight_views import LAYER_COLORS, PANEL_HINT
from .loss_plot import EpochAxis, PlainAxis

FLOOR_DECADES = 1.0  # the zero line sits this many decades under the smallest value shown
FLOOR_COLOR = (120, 120, 120)


class ZeroFloorAxis(PlainAxis):
    """The loss plot's log axis with a floor for zeros: the tick at ``floor`` (log10 units; None: no floor)
    reads "0", and no other tick crowds it from below the data."""

    floor: float | None = None

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph's names
        levels = super().tickValues(minVal, maxVal, size)
        if self.floor is None:
            return levels
        cut = self.floor + 0.5  # half a decade over the floor: nothing there but the jump to 0
        levels = [(spacing, [v for v in values if v >= cut]) for spacing, values in levels]
        if not levels:
            return [(1.0, [self.floor])]
        spacing, values = levels[0]
        return [(spacing, [self.floor, *values]), *levels[1:]]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        strings = super().tickStrings(values, scale, spacing)
        if self.floor is None:
            return strings
        return ["0" if abs(v - self.floor) < 1e-9 else s for v, s in zip(values, strings, strict=True)]


class HealthViewBox(pg.ViewBox):
    """Auto-range over the epochs drawn, never before epoch 0, and at least one epoch wide: pyqtgraph centres a
    single point in the width shown before (after a run of 10,000 epochs, a new run's epoch 0 in -5,000..5,000)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setLimits(xMin=0.0)

    def childrenBounds(self, frac=None, orthoRange=(None, None), items=None):  # noqa: N802, N803 - pyqtgraph's
        bounds = super().childrenBounds(frac=frac, orthoRange=orthoRange, items=items)
        x = bounds[0]
        if x is not None and math.isfinite(x[0]) and math.isfinite(x[1]):
            low = max(x[0], 0.0)
            bounds[0] = [low, max(x[1], low + 1.0)]
        return bounds


class HealthView(QWidget):
    """Per-layer gradient norm, weight norm and update/weight ratio over time (log scale), unit saturation,
    and plain-language findings."""

    STATS = {"Gradient norm": "grad_norm", "Weight norm": "weight_norm", "Update / weight": "update_ratio"}
    ZERO_MEANS = {"grad_norm": "no gradient", "weight_norm": "all weights 0", "update_ratio": "no update"}

    def sizeHint(self) -> QSize:  # noqa: N802 - pyqtgraph's plots ask for 600 px; a laptop has ~360 to spare
        return PANEL_HINT

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("healthView")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.stat = QComboBox()
        self.stat.setObjectName("healthStat")
        self.stat.addItems(list(self.STATS))
        row.addWidget(QLabel("Show"))
        row.addWidget(self.stat)
        row.addStretch(1)
        layout.addLayout(row)
        self.value_axis = ZeroFloorAxis("left")
        # No negative epochs: a new run's first point shows 0..1, not the old run's width around it.
        self.plot = pg.PlotWidget(
            viewBox=HealthViewBox(), axisItems={"bottom": EpochAxis("bottom"), "left": self.value_axis}
        )
        self.plot.setObjectName("healthPlot")
        self.plot.setBackground("w")
        self.plot.setLogMode(y=True)
        self.plot.setLabel("bottom", "epoch")
        self.plot.addLegend(offset=(-10, 10))
        # The floor where zeros are drawn: a dashed line, labelled (hidden while no value is 0).
        self.zero_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pg.mkPen(FLOOR_COLOR, width=1, style=Qt.PenStyle.DashLine),
            label="0",
            labelOpts={"position": 0.02, "anchors": [(0, 1), (0, 1)], "color": FLOOR_COLOR},
        )
        self.zero_line.setObjectName("healthZeroLine")
        self.plot.addItem(self.zero_line, ignoreBounds=True)
        self.zero_line.hide()
        layout.addWidget(self.plot, 1)
        self.units = QLabel("")
        self.units.setObjectName("unitHealth")
        self.units.setWordWrap(True)
        layout.addWidget(self.units)
        self.findings_label = QLabel("")
        self.findings_label.setObjectName("findings")
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.findings_label)
        self.history = HealthHistory()
        self.curves: list = []
        self.zero_marks: list = []  # per layer: triangles where the value is exactly 0
        self.current_findings = []
        self._run_id = None
        self.stat.currentIndexChanged.connect(self._redraw)

    def update_from(self, snap) -> None:
        """Draw a ``frame.HealthFrame``; findings are judged against the settings that run trains with."""
        if snap.run_id != self._run_id:
            self._run_id = snap.run_id
            self.history.clear()
            self.plot.enableAutoRange()  # a new run's ranges, not the last run's (or a zoom into it)
        config, loss = snap.config, snap.train_loss
        # Only epochs after the last one join the history: an earlier moment shown (Rewind) is drawn in the
        # units and findings below, but its statistics are not appended out of order to the curves.
        if not self.history.epochs or snap.epoch > self.history.epochs[-1]:
            self.history.add(snap.epoch, snap.layer_stats, loss)
        self._redraw()
        stats = snap.layer_stats
        parts = []
        for k, s in enumerate(stats[:-1], start=1):
            if not math.isnan(s.saturated):
                parts.append(f"layer {k}: {s.saturated:.0%} saturated")
            if not math.isnan(s.dead):
                parts.append(f"layer {k}: {s.dead:.0%} dead")
        self.units.setText("Units: " + ", ".join(parts) if parts else "")
        self.current_findings = findings(self.history, config, snap.activation)
        if self.current_findings:
            html = "".join(f"<p><b>{f.title}.</b> {f.evidence} <i>{f.advice}</i></p>" for f in self.current_findings)
        else:
            html = "<p>No problems seen: gradients flow through every layer.</p>"
        self.findings_label.setText(html)

    @property
    def zero_text(self) -> str:
        """What the floor line says ("0 (no gradient)"), or "" while no value shown is 0."""
        return self.zero_line.label.toPlainText() if self.zero_line.isVisible() else ""

    def _redraw(self, *_):
        attribute = self.STATS[self.stat.currentText()]
        series = self.history.series(attribute)
        epochs = np.array(self.history.epochs[-len(series) :]) if len(series) else np.zeros(0)
        n_layers = series.shape[1] if series.ndim == 2 else 0
        while len(self.curves) < n_layers:
            k = len(self.curves)
            color = LAYER_COLORS[k % len(LAYER_COLORS)]
            self.curves.append(self.plot.plot(pen=pg.mkPen(color, width=2), name=f"layer {k + 1}"))
            self.zero_marks.append(self.plot.plot(pen=None, symbol="t", symbolSize=9, symbolBrush=color))
        positive = series[np.isfinite(series) & (series > 0)]
        zeros = bool(np.any(series == 0))
        floor = (float(positive.min()) if positive.size else 1.0) * 10.0**-FLOOR_DECADES
        self.value_axis.floor = math.log10(floor) if zeros else None
        self.value_axis.picture = None  # pyqtgraph caches the drawn axis: redraw it with the floor
        self.value_axis.update()
        self.zero_line.setVisible(zeros)
        if zeros:
            self.zero_line.setPos(math.log10(floor))  # the view's coordinates are log10 on a log axis
            self.zero_line.label.setFormat(f"0 ({self.ZERO_MEANS[attribute]})")
        for k, (curve, marks) in enumerate(zip(self.curves, self.zero_marks, strict=True)):
            if k < n_layers:
                v = series[:, k]
                zero = v == 0
                ok = (np.isfinite(v) & (v > 0)) | zero
                # No line across the jump between 0 and a value: the floor is not on the axis's scale.
                kind = zero[ok]
                connect = np.append(kind[1:] == kind[:-1], False) if kind.size else np.zeros(0, dtype=bool)
                curve.setData(epochs[ok], np.where(zero, floor, v)[ok], connect=connect)
                curve.setSymbol("o" if ok.sum() == 1 else None)  # a line of one point draws nothing
                curve.setSymbolBrush(LAYER_COLORS[k % len(LAYER_COLORS)])
                marks.setData(epochs[zero], np.full(int(zero.sum()), floor))
            else:
                curve.setData([], [])
                marks.setData([], [])
