"""The drawn dataset as a Qt model: a ``History`` of Dataset values with a ``changed`` signal."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..data import Dataset, History, edits, make_preset

BRUSH_RADIUS = 0.35
BRUSH_DENSITY = 5.0  # points per unit of stroke length
ERASER_RADIUS = 0.5


class DatasetModel(QObject):
    changed = Signal(object)  # the new Dataset

    def __init__(self, dataset: Dataset | None = None):
        super().__init__()
        self.history = History(dataset if dataset is not None else Dataset())
        self._stroke_label = ""
        self._stroke_seed = 0

    @property
    def dataset(self) -> Dataset:
        return self.history.current

    def _push(self, ds: Dataset, label: str) -> None:
        if self.history.push(ds, label):
            self.changed.emit(ds)

    # -- single edits --------------------------------------------------------------------------

    def add_point(self, x: float, y: float, label: int) -> None:
        self._push(edits.add_point(self.dataset, x, y, label), "add point")

    def erase_nearest(self, x: float, y: float, max_distance: float = ERASER_RADIUS) -> None:
        self._push(edits.erase_nearest(self.dataset, (x, y), max_distance), "erase point")

    def load_preset(self, name: str, n_points: int, noise: float, seed: int = 0) -> None:
        self._push(make_preset(name, n_points, noise, seed=seed), f"load {name}")

    def replace(self, ds: Dataset, label: str = "open file") -> None:
        self._push(ds, label)

    def clear(self) -> None:
        self._push(edits.clear(self.dataset), "clear")

    def undo(self) -> None:
        self.end_stroke()
        if self.history.undo():
            self.changed.emit(self.dataset)

    def redo(self) -> None:
        self.end_stroke()
        if self.history.redo():
            self.changed.emit(self.dataset)

    # -- strokes: many small changes shown live, one undo step -----------------------------------

    def begin_stroke(self, kind: str) -> None:
        self.end_stroke()
        self.history.begin()
        self._stroke_label = kind
        self._stroke_seed += 1

    def paint(self, a, b, label: int) -> None:
        """Spray points along the segment a -> b."""
        path = np.array([a, b], dtype=np.float64)
        self._stroke_seed += 1
        ds = edits.add_stroke(self.dataset, path, label, BRUSH_RADIUS, BRUSH_DENSITY, seed=self._stroke_seed)
        self._live(ds)

    def erase_at(self, x: float, y: float, radius: float = ERASER_RADIUS) -> None:
        self._live(edits.erase_radius(self.dataset, (x, y), radius))

    def _live(self, ds: Dataset) -> None:
        if self.history.preview(ds):
            self.changed.emit(ds)

    def end_stroke(self) -> None:
        """Close the stroke as one undo step, and say so (the undo button's label changes)."""
        if self.history.in_transaction:
            self.history.commit(self._stroke_label)
            self.changed.emit(self.dataset)
