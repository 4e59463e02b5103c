"""The drawing tools: canvas clicks and drags become edits of the dataset model.

Which class is drawn and whether the eraser is on belong to the view state; this only reads them.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt, Slot

from ..data import MAX_CLASSES
from ..training.state import VALUE_RANGE
from .data_model import ERASER_RADIUS, DatasetModel
from .state_model import StateModel

PRESS, MOVE, RELEASE = 0, 1, 2  # the phases of a drag, as the canvas reports them
VALUE_STEP = 0.1  # a wheel notch while painting values


class DrawTool(QObject):
    def __init__(self, model: DatasetModel, state: StateModel, parent=None, trace=None):
        """``trace(point, label)``: what an Alt+click does (trace one step on a point; see ``pick``)."""
        super().__init__(parent)
        self.model = model
        self.state = state
        self.trace = trace
        self._stroke_right = False  # a right-drag stroke paints the other class (or the opposite value)
        self._stroke_class: int | None = None  # the class a right-drag stroke paints
        self._stroke_open = False

    def attach(self, view_box) -> None:
        """Take the canvas's mouse input: clicks, drags, and the wheel turned while painting."""
        view_box.clicked.connect(self.clicked)
        view_box.dragged.connect(self.dragged)
        view_box.wheeledWhileDrawing.connect(self.wheeled)

    def other_class(self) -> int:
        """The class a right click adds: the other of two, or the next one (up to one new class)."""
        current = self.state.view.current_class
        n = max(self.model.dataset.n_classes, 2)
        if n == 2:
            return 1 - current if current < 2 else 0
        return (current + 1) % min(n + 1, MAX_CLASSES)

    def new_label(self, right: bool) -> float:
        """What a new point takes: the current class (right button: the other one), or for values the
        current value (right button: its opposite)."""
        if self.model.dataset.is_regression:
            value = self.state.view.current_value
            return -value if right else value
        return self.other_class() if right else self.state.view.current_class

    @Slot(int)
    def wheeled(self, steps: int) -> None:
        """The wheel turned while painting values: the value drawn moves by ``VALUE_STEP`` a notch."""
        if self.model.dataset.is_regression:
            lo, hi = VALUE_RANGE
            value = round(min(max(self.state.view.current_value + VALUE_STEP * steps, lo), hi), 6)
            self.state.update_view(current_value=value)

    def pick(self, x: float, y: float) -> tuple[tuple[float, float], float | None]:
        """The data point nearest ``(x, y)`` within the eraser's radius, with its class (or value); else the
        spot itself."""
        ds = self.model.dataset
        if len(ds.y):
            d = np.hypot(ds.X[:, 0] - x, ds.X[:, 1] - y)
            i = int(np.argmin(d))
            if d[i] <= ERASER_RADIUS:
                return (float(ds.X[i, 0]), float(ds.X[i, 1])), (float(ds.y[i]) if ds.is_regression else int(ds.y[i]))
        return (float(x), float(y)), None

    @Slot(float, float, object, object)
    def clicked(self, x: float, y: float, button, modifiers) -> None:
        tracing = self.state.view.trace_tool or bool(modifiers & Qt.KeyboardModifier.AltModifier)
        if self.trace is not None and tracing:
            self.trace(*self.pick(x, y))
            return
        erase = self.state.view.eraser or bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if erase:
            self.model.erase_nearest(x, y)
        else:
            self.model.add_point(x, y, self.new_label(button == Qt.MouseButton.RightButton))

    @Slot(float, float, float, float, int, object)
    def dragged(self, x0: float, y0: float, x1: float, y1: float, phase: int, button=None) -> None:
        """Left drag paints the current class, right drag the other one (as a right click adds it)."""
        eraser = self.state.view.eraser
        if phase == PRESS:
            if self.state.view.trace_tool:
                return  # the trace tool draws nothing: a drag is a click that moved, and traces nothing
            self._stroke_right = button == Qt.MouseButton.RightButton
            # A right-drag's class is fixed at the press (painting a new class must not shift "the other").
            regression = self.model.dataset.is_regression
            self._stroke_class = self.other_class() if self._stroke_right and not regression else None
            self.model.begin_stroke("erase" if eraser else "paint")
            self._stroke_open = True
        if not self._stroke_open:
            return
        if eraser:
            self.model.erase_at(x1, y1)
        else:
            # The value is read at every step: the wheel may change it in the middle of a stroke.
            k = self._stroke_class if self._stroke_class is not None else self.new_label(self._stroke_right)
            self.model.paint((x0, y0), (x1, y1), k)
        if phase == RELEASE:
            self.model.end_stroke()
            self._stroke_open = False
