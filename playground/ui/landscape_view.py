"""The Loss landscape panel: the training loss on a plane through the weights, the optimizer's path on it.

The training thread computes everything (``training.landscape``; the frame's ``landscape`` part); this panel
draws the shaded map with its contours, the path and the current point, and turns a click on the map into a
request to move the weights there (``JumpInLandscape``, sent by ``insight_panels``).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..training.frame import LandscapeFrame
from .insight_views import PANEL_HINT

METHODS = (
    ("random", "Random directions (filter-normalised)"),
    ("pca", "Principal directions of the path"),
)
HINT = "Click the map to move the weights there and train from that spot."


class _ClickViewBox(pg.ViewBox):
    """A view box that reports left clicks in view coordinates (dragging still pans, the wheel zooms)."""

    clicked = Signal(float, float)

    def mouseClickEvent(self, ev):
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.clicked.emit(p.x(), p.y())
        else:
            super().mouseClickEvent(ev)


class LandscapeView(QWidget):
    computeRequested = Signal(str)  # a method: "random" or "pca"
    jumpRequested = Signal(int, float, float)  # landscape uid, alpha, beta

    def sizeHint(self) -> QSize:  # noqa: N802 - a plot asks for 600 px; a laptop has ~360 to spare
        return PANEL_HINT

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("landscapeView")
        self.uid = 0  # the landscape shown (0: none yet)
        self.bounds: tuple[float, float, float, float] | None = None  # the map's extent in (alpha, beta)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.method = QComboBox()
        self.method.setObjectName("landscapeMethod")
        for key, text in METHODS:
            self.method.addItem(text, key)
        self.method.setToolTip(
            "Random: two random directions, each neuron's weights scaled to its own size (Li et al. 2018).\n"
            "Principal: the plane in which the weights have moved most so far."
        )
        self.compute_button = QPushButton("Compute here")
        self.compute_button.setObjectName("landscapeCompute")
        self.compute_button.setToolTip("Compute the landscape around the current weights")
        row.addWidget(self.method, 1)
        row.addWidget(self.compute_button)
        layout.addLayout(row)
        self.view_box = _ClickViewBox(enableMenu=False)
        self.plot = pg.PlotWidget(viewBox=self.view_box)
        self.plot.setObjectName("landscapePlot")
        self.plot.setBackground("w")
        self.plot.setLabel("bottom", "α (direction 1)")
        self.plot.setLabel("left", "β (direction 2)")
        for axis in ("bottom", "left"):
            self.plot.getAxis(axis).enableAutoSIPrefix(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self.plot.addItem(self.image)
        self.contour_item = pg.PlotCurveItem(pen=pg.mkPen((255, 255, 255, 150), width=1), connect="pairs")
        self.plot.addItem(self.contour_item)
        self.path_item = pg.PlotCurveItem(pen=pg.mkPen((240, 240, 240), width=2))
        self.plot.addItem(self.path_item)
        self.current_item = pg.ScatterPlotItem(size=11, brush=pg.mkBrush(213, 94, 0), pen=pg.mkPen("w", width=1.5))
        self.plot.addItem(self.current_item)
        self.colormap = pg.colormap.get("viridis")
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=self.colormap, interactive=False, width=12)
        self.colorbar.axis.setLabel("log10 loss")
        self.colorbar.axis.enableAutoSIPrefix(False)  # it read "-160" for -0.16 under "log10 (loss (x0.001))"
        self.plot.getPlotItem().layout.addItem(self.colorbar, 2, 5)
        layout.addWidget(self.plot, 1)
        self.info = QLabel("Open this panel to compute the landscape around the current weights.")
        self.info.setObjectName("landscapeInfo")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.compute_button.clicked.connect(lambda: self.computeRequested.emit(self.method.currentData()))
        self.view_box.clicked.connect(self._clicked)

    def update_from(self, frame: LandscapeFrame) -> None:
        if frame.uid == 0:
            self.uid, self.bounds = 0, None
            self.image.clear()
            self.contour_item.setData([], [])
            self.path_item.setData([], [])
            self.current_item.setData([], [])
            self.info.setText("No landscape yet: it needs training points.")
            return
        if frame.uid != self.uid:
            self._set_map(frame)
        path = frame.path
        ok = np.all(np.isfinite(path), axis=1) if path.size else np.zeros(0, bool)
        self.path_item.setData(path[ok, 0], path[ok, 1])
        if path.size and ok[-1]:
            a, b = path[-1]
            self.current_item.setData([a], [b])
            where = f"the weights are at ({a:.3g}, {b:.3g})"
        else:
            self.current_item.setData([], [])
            where = "the weights are off the map"
        name = dict(METHODS).get(frame.method, frame.method)
        note = f" {frame.note}" if frame.note else ""
        self.info.setText(
            f"{name}. Centre: loss {frame.centre_loss:.4g} when computed; epoch {frame.epoch:,}: {where}.{note}\n{HINT}"
        )

    def _set_map(self, frame: LandscapeFrame) -> None:
        self.uid = frame.uid
        a, b = frame.alphas, frame.betas
        ha, hb = (a[1] - a[0]) / 2, (b[1] - b[0]) / 2
        x0, x1, y0, y1 = float(a[0] - ha), float(a[-1] + ha), float(b[0] - hb), float(b[-1] + hb)
        self.bounds = (x0, x1, y0, y1)
        losses = frame.losses
        finite = np.isfinite(losses) & (losses > 0)
        if finite.any():
            logs = np.log10(np.where(finite, losses, np.nan)).astype(np.float32)
            low, high = float(np.nanmin(logs)), float(np.nanmax(logs))
            high = high if high > low else low + 1.0
            logs = np.where(np.isfinite(logs), logs, high).astype(np.float32)  # not finite: as the worst
        else:
            logs, low, high = np.zeros(losses.shape, np.float32), 0.0, 1.0
        self.image.setImage(logs, autoLevels=False, levels=(low, high), lut=self.colormap.getLookupTable(nPts=256))
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))  # cells centred on the grid points
        self.colorbar.setLevels((low, high))
        segments = [s for _, s in frame.contours if len(s)]
        if segments:
            points = np.vstack(segments)
            self.contour_item.setData(points[:, 0], points[:, 1])
        else:
            self.contour_item.setData([], [])
        self.view_box.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def _clicked(self, x: float, y: float) -> None:
        if self.uid and self.bounds is not None and math.isfinite(x) and math.isfinite(y):
            x0, x1, y0, y1 = self.bounds
            if x0 <= x <= x1 and y0 <= y <= y1:
                self.jumpRequested.emit(self.uid, x, y)
