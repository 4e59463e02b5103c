"""The canvas: points (one scatter item per class and side of the split), the decision surface behind
them and the 0.5 contour. Mouse: left click adds a point of the current class, right click one of the
other class, left drag paints, Ctrl+click (or the eraser) removes, Alt+click traces; middle drag pans,
the wheel zooms (while the left button paints, the wheel changes the value drawn instead).

For values (a regression) the points are coloured by value, binned into ``VALUE_BINS`` shades of the
diverging map (one scatter item per shade, as per class), and the colour bar spans the data's value scale
(``palette.value_scale``); the surface behind them is the predicted value on the same scale."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem, QLabel

from ..data import MAX_CLASSES
from ..training.palette import CLASS_COLORS, CLASS_NAMES, binary_lut, value_scale, value_shade
from ..training.state import DEFAULT_BOUNDS, MAX_CENTRE, MAX_SPAN, MIN_SPAN, sane_bounds

VIEW = (-6.0, 6.0)


MAX_DRAWN = 50_000  # markers drawn at most; bigger datasets are drawn as an even sample
VALUE_BINS = 15  # shades a value is drawn in (odd: value 0 has its own, white-ish, bin)


class DrawViewBox(pg.ViewBox):
    """A ViewBox whose left button draws instead of panning."""

    clicked = Signal(float, float, object, object)  # x, y, button, modifiers
    dragged = Signal(float, float, float, float, int, object)  # x0, y0, x1, y1, phase (0 start 1 move 2 end), button
    wheeledWhileDrawing = Signal(int)  # wheel steps (+1 per notch up) turned while the left button paints

    def __init__(self):
        super().__init__(enableMenu=False)
        self.setAspectLocked(True)
        # The view can never run away (zoomed out to 1e38, or into nothing): the same bounds the state keeps.
        self.setLimits(
            xMin=-MAX_CENTRE, xMax=MAX_CENTRE, yMin=-MAX_CENTRE, yMax=MAX_CENTRE,
            minXRange=MIN_SPAN, maxXRange=MAX_SPAN, minYRange=MIN_SPAN, maxYRange=MAX_SPAN,
        )  # fmt: skip

    def mouseClickEvent(self, ev):
        if ev.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            ev.accept()
            p = self.mapSceneToView(ev.scenePos())
            self.clicked.emit(p.x(), p.y(), ev.button(), ev.modifiers())
        else:
            super().mouseClickEvent(ev)

    def wheelEvent(self, ev, axis=None):
        if ev.buttons() & Qt.MouseButton.LeftButton:  # painting: the wheel sets the value drawn, no zoom
            ev.accept()
            steps = int(round(ev.delta() / 120)) or (1 if ev.delta() > 0 else -1)
            self.wheeledWhileDrawing.emit(steps)
            return
        super().wheelEvent(ev, axis)

    def mouseDragEvent(self, ev, axis=None):
        if ev.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            return super().mouseDragEvent(ev, axis)  # the middle button pans
        ev.accept()
        a = self.mapSceneToView(ev.lastScenePos())
        b = self.mapSceneToView(ev.scenePos())
        phase = 0 if ev.isStart() else 2 if ev.isFinish() else 1
        self.dragged.emit(a.x(), a.y(), b.x(), b.y(), phase, ev.button())


class InertScatter(pg.ScatterPlotItem):
    """Points that let clicks through: a click on a point adds or erases, like anywhere else.
    (pyqtgraph offers every item under the cursor the click, whatever its accepted buttons.)"""

    def mouseClickEvent(self, ev):
        ev.ignore()


class Canvas(pg.PlotWidget):
    viewChanged = Signal(tuple)  # (x_min, x_max, y_min, y_max) of the visible area

    def __init__(self, parent=None):
        self.view_box = DrawViewBox()
        super().__init__(parent, viewBox=self.view_box)
        self.setObjectName("canvas")
        self.setBackground("w")
        self.showGrid(x=False, y=False)
        self.setRange(xRange=VIEW, yRange=VIEW, padding=0)
        self._n_classes = 2

        self.surface = pg.ImageItem(axisOrder="row-major")
        self.surface.setZValue(-10)
        # The surface follows the view: counted for auto-range, the "A" button would zoom out forever.
        self.addItem(self.surface, ignoreBounds=True)
        self._lut = binary_lut()
        self.contour = pg.PlotCurveItem(pen=pg.mkPen((40, 40, 40), width=1.5), connect="pairs")
        self.contour.setZValue(-5)
        self.addItem(self.contour, ignoreBounds=True)
        self.train_items, self.test_items = [], []
        for color in CLASS_COLORS[:MAX_CLASSES]:
            brush = pg.mkBrush(*color)
            train = InertScatter(size=8, brush=brush, pen=pg.mkPen("w", width=1))
            test = InertScatter(size=8, brush=brush, pen=pg.mkPen((20, 20, 20), width=1.6))
            for item in (train, test):
                self.addItem(item)
                # Keep each item's rendering as a pixmap: the decision surface behind the points is
                # redrawn thirty times a second, and re-rendering 100,000 points each time would not be.
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.train_items.append(train)
            self.test_items.append(test)
        # Values: one item per shade and side, made the first time the data are values (a window of classes
        # never pays for them).
        self.value_train_items: list = []
        self.value_test_items: list = []
        self._marker_size = 8
        self.value_scale: float | None = None  # the colour scale's half-width while the data are values
        self._last_surface = None
        self._shown = None  # (X, y, test_mask, show_test) last drawn, for incremental updates
        self.view_box.sigRangeChanged.connect(self._range_changed)
        self.getPlotItem().autoBtn.clicked.disconnect()
        self.getPlotItem().autoBtn.clicked.connect(self.fit_data)  # "A" fits the points, once
        self._add_legend()
        self.colorbar = pg.ColorBarItem(
            values=(0, 1), colorMap=pg.ColorMap(np.linspace(0, 1, 256), self._lut), interactive=False, width=12
        )
        self.colorbar.axis.setLabel(f"P({CLASS_NAMES[1]})")
        self.getPlotItem().layout.addItem(self.colorbar, 2, 5)
        self.caption = QLabel("", self)
        self.caption.setObjectName("canvasCaption")
        self.caption.setStyleSheet(
            "QLabel { background: rgba(255,255,255,220); border: 1px solid #888; padding: 3px; }"
        )
        self.caption.hide()
        self.sample_note = QLabel("", self)
        self.sample_note.setObjectName("sampleNote")
        self.sample_note.setStyleSheet(self.caption.styleSheet())
        self.sample_note.move(48, 8)
        self.sample_note.hide()
        self.drawn_points = 0
        # Overlays over the points: rings round the highlighted ones (a confusion cell), crosses on marked ones.
        self.rings = InertScatter(size=15, brush=None, pen=pg.mkPen((20, 20, 20), width=2.2))
        self.crosses = InertScatter(size=9, symbol="x", brush=pg.mkBrush(200, 0, 0), pen=pg.mkPen(None))
        for z, item in enumerate((self.rings, self.crosses)):
            item.setZValue(5 + z)
            self.addItem(item, ignoreBounds=True)

    def _add_legend(self) -> None:
        """What the two marker styles mean."""
        self.legend = pg.LegendItem(offset=(-4, -4), labelTextColor=(30, 30, 30), brush=pg.mkBrush(255, 255, 255, 200))
        self.legend.setParentItem(self.getPlotItem().vb)
        grey = pg.mkBrush(150, 150, 150)
        for name, pen in (
            ("train", pg.mkPen("w", width=1)),
            ("test (never trained on)", pg.mkPen((20, 20, 20), width=1.6)),
        ):
            sample = pg.ScatterPlotItem(size=8, brush=grey, pen=pen)
            self.legend.addItem(sample, name)

    def set_caption(self, text: str) -> None:
        """A line over the canvas's bottom left saying what it shows, when that is not the output."""
        self.caption.setText(text)
        self.caption.adjustSize()
        self.caption.move(8, max(self.height() - self.caption.height() - 36, 0))
        self.caption.setVisible(bool(text))

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        caption = self.__dict__.get("caption")  # pyqtgraph resizes the view before __init__ is done
        if caption is not None and caption.isVisibleTo(self):
            self.set_caption(self.caption.text())

    def _make_value_items(self) -> None:
        """One item per shade and side, coloured at the bin's centre on the diverging map."""
        for b in range(VALUE_BINS):
            r, g, bl = (int(c) for c in self._lut[int(round((b + 0.5) / VALUE_BINS * 255))])
            edge = (int(r * 0.6), int(g * 0.6), int(bl * 0.6))  # a darker rim: pale values stay visible
            size = self._marker_size
            train = InertScatter(size=size, brush=pg.mkBrush(r, g, bl), pen=pg.mkPen(edge, width=1))
            test = InertScatter(size=size, brush=pg.mkBrush(r, g, bl), pen=pg.mkPen((20, 20, 20), width=1.6))
            for item in (train, test):
                self.addItem(item)
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.value_train_items.append(train)
            self.value_test_items.append(test)

    def set_marker_size(self, size: int) -> None:
        self._marker_size = size
        for item in (*self.train_items, *self.test_items, *self.value_train_items, *self.value_test_items):
            item.setSize(size)

    def reset_view(self) -> None:
        """Back to the default ±6 view."""
        self.show_bounds(DEFAULT_BOUNDS)

    def fit_data(self) -> None:
        """Fit the points (with a margin); with no points, the default view."""
        shown = self._shown
        X = shown[0] if shown is not None else np.zeros((0, 2))
        X = X[np.isfinite(X).all(axis=1)] if len(X) else X
        if len(X) == 0:
            self.reset_view()
            return
        lo, hi = X.min(axis=0), X.max(axis=0)
        centre, half = (lo + hi) / 2, max(float((hi - lo).max()) / 2 * 1.1, 0.5)
        bounds = (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
        self.show_bounds(bounds if sane_bounds(bounds) else DEFAULT_BOUNDS)

    def mouseDoubleClickEvent(self, ev):
        # Qt sends press, release, press, double-click, release for a quick pair of clicks. The second
        # press already makes a click of its own; passing the double-click on to the scene would let
        # an item grab the mouse and swallow it, losing every other point of a person clicking fast.
        ev.accept()

    def show_bounds(self, bounds) -> None:
        x0, x1, y0, y1 = bounds
        self.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def visible_bounds(self) -> tuple:
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        return (x0, x1, y0, y1)

    def _range_changed(self, *_):
        self.viewChanged.emit(self.visible_bounds())

    def set_points(self, X: np.ndarray, y: np.ndarray, test_mask: np.ndarray, show_test: bool = True) -> None:
        """Show the points (test points only with ``show_test``). When the new points are the old ones plus a
        few more (a click, a stroke), only the new ones are added to their items, so drawing stays instant
        on a 100,000-point dataset. Past ``MAX_DRAWN`` points an even sample is drawn (every k-th point, so
        it does not change while you add points) and the canvas says so: a million markers would take
        seconds to draw and show nothing more. Every point is still trained on."""
        shown = self._shown
        values = y.dtype.kind == "f"  # a regression: colour by value
        scale = value_scale(y) if values else None
        same_kind = shown is not None and (shown[1].dtype.kind == "f") == values and scale == self.value_scale
        if shown is not None and shown[3] == show_test and same_kind and _extends(shown, X, y, test_mask):
            start = shown[0].shape[0]
            self._add(X[start:], self._keys(y[start:]), test_mask[start:], show_test)
            self.drawn_points += X.shape[0] - start
        else:
            self._set_kind(scale)
            every = max(1, -(-X.shape[0] // MAX_DRAWN))  # 1 up to MAX_DRAWN points
            Xs, ks, ms = X[::every], self._keys(y[::every]), test_mask[::every]
            train_items, test_items = self._items()
            for k in range(len(train_items)):
                mine = ks == k
                train = mine & ~ms
                test = mine & ms
                train_items[k].setData(Xs[train, 0], Xs[train, 1])
                if show_test:
                    test_items[k].setData(Xs[test, 0], Xs[test, 1])
                else:
                    test_items[k].setData([], [])
            self.drawn_points = Xs.shape[0]
        self._shown = (X, y, test_mask, show_test)
        n = X.shape[0]
        self.sample_note.setText(
            f"Showing {self.drawn_points:,} of {n:,} points; all are trained on." if self.drawn_points < n else ""
        )
        self.sample_note.adjustSize()
        self.sample_note.setVisible(self.drawn_points < n)

    def _items(self) -> tuple[list, list]:
        """The (train, test) scatter items of the kind shown: per class, or per shade of value."""
        if self.value_scale is not None:
            return self.value_train_items, self.value_test_items
        return self.train_items, self.test_items

    def _keys(self, y: np.ndarray) -> np.ndarray:
        """Each point's item index: its class, or its value's shade."""
        if self.value_scale is None or y.dtype.kind != "f":
            return y
        return np.minimum((value_shade(y, self.value_scale) * VALUE_BINS).astype(np.int64), VALUE_BINS - 1)

    def _set_kind(self, scale: float | None) -> None:
        """Show classes (``scale`` None) or values on the scale +-``scale``: empty the other kind's items and
        label the colour bar (P(class 1), or the value) accordingly."""
        self.value_scale = scale
        if scale is not None and not self.value_train_items:
            self._make_value_items()
        classes, values = (self.train_items, self.test_items), (self.value_train_items, self.value_test_items)
        for items in classes if scale is not None else values:
            for item in items:
                item.setData([], [])
        if scale is None:
            self.colorbar.setLevels((0.0, 1.0))
            self.colorbar.axis.setLabel(f"P({CLASS_NAMES[1]})")
        else:
            self.colorbar.setLevels((-scale, scale))
            self.colorbar.axis.setLabel("value")

    def _add(self, X, keys, test_mask, show_test: bool) -> None:
        train_items, test_items = self._items()
        for k in np.unique(keys).tolist():
            mine = keys == k
            for items, side in ((train_items, mine & ~test_mask), (test_items, mine & test_mask)):
                if side.any() and (items is train_items or show_test):
                    items[k].addPoints(X[side, 0], X[side, 1])

    def set_surface(self, bounds, values=None, rgba=None, contour=None, discretize: bool = False) -> None:
        """Show a decision surface: ``values`` (0..1, one sigmoid unit or a neuron's map) through the diverging
        colour map, or ``rgba`` (k classes); ``discretize`` shows hard class regions instead of shading."""
        self._last_surface = (bounds, values, rgba, contour)
        x0, x1, y0, y1 = bounds
        if values is not None:
            values_shown = True
            image = (values >= 0.5).astype(np.float32) if discretize else values
            self.surface.setImage(image, levels=(0.0, 1.0), lut=self._lut, autoLevels=False)
            if contour is not None and len(contour):
                self.contour.setData(contour[:, 0], contour[:, 1], connect="pairs")
            else:
                self.contour.setData([], [])
        elif rgba is not None:
            if discretize:
                rgba = rgba.copy()
                rgba[..., :3] = _saturate(rgba[..., :3])
            self.surface.setImage(rgba, autoLevels=False, levels=None, lut=None)
            self.contour.setData([], [])
            values_shown = False
        else:
            return
        if values_shown != self.colorbar.isVisible():
            self.colorbar.setVisible(values_shown)  # the shading's scale: only for the two-class shading
        # The grid samples each cell at its centre (training.surface.grid), so the image covers exactly the
        # bounds: no overhang past the view that would make pyqtgraph repaint the axes every frame.
        self.surface.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))

    def highlight(self, mask: np.ndarray | None) -> None:
        """Ring the points where ``mask`` is True (a boolean array over the points last given to
        ``set_points``) and dim the others; None, or a mask of another length, shows every point as usual."""
        X = self._shown_points()
        on = mask is not None and np.shape(mask) == (X.shape[0],)
        _put(self.rings, X[mask] if on else None)
        for item in (*self.train_items, *self.test_items, *self.value_train_items, *self.value_test_items):
            item.setOpacity(0.25 if on else 1.0)

    def mark(self, mask: np.ndarray | None) -> None:
        """Cross the points where ``mask`` is True (the misclassified ones); None removes the crosses."""
        X = self._shown_points()
        _put(self.crosses, X[mask] if mask is not None and np.shape(mask) == (X.shape[0],) else None)

    def _shown_points(self) -> np.ndarray:
        return self._shown[0] if self._shown is not None else np.zeros((0, 2))

    def redraw_surface(self, discretize: bool) -> None:
        if self._last_surface is not None:
            self.set_surface(*self._last_surface, discretize=discretize)


def _put(item, points) -> None:
    """Show ``points`` (``(m, 2)``, or None for none) in an overlay item, an even sample past ``MAX_DRAWN``."""
    if points is None or not len(points):
        item.setData([], [])
        return
    points = points[:: max(1, -(-points.shape[0] // MAX_DRAWN))]
    item.setData(points[:, 0], points[:, 1])


def _extends(shown, X, y, test_mask) -> bool:
    """Are (X, y, test_mask) the shown arrays with rows appended?"""
    old_X, old_y, old_mask, _ = shown
    n = old_X.shape[0]
    if X.shape[0] <= n:
        return False
    return np.array_equal(X[:n], old_X) and np.array_equal(y[:n], old_y) and np.array_equal(test_mask[:n], old_mask)


def _saturate(rgb: np.ndarray) -> np.ndarray:
    """Push faded colours to full strength (the 'discretize' look for k classes)."""
    rgb = rgb.astype(np.float32)
    faded = 255 - rgb
    peak = faded.max(axis=-1, keepdims=True)
    scale = np.where(peak > 0, (255 * 0.75) / np.maximum(peak, 1), 0)
    return np.clip(255 - faded * scale, 0, 255).astype(np.uint8)
