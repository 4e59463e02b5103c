"""The confusion panel, and the marks it puts on the canvas.

Two tables, train and test: rows the true class, columns the predicted one; each cell shows its count and
its share of the row, an extra column each class's recall and an extra row each class's precision. Clicking
a cell rings that cell's points on the canvas and dims the others (clicking it again, or anything else,
clears it). A check box floating on the canvas marks every misclassified point with a cross, with the panel
open or closed. All figures come from the frame's ``ConfusionFrame``; nothing here predicts anything.

For a regression the panel shows predicted against true values instead (``FitFrame``): train and test
points, the line where they would be equal, RMSE and R² for each split.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..training.confusion import accuracy, precision_recall, row_shares
from ..training.fit import FitFrame
from ..training.frame import ConfusionFrame
from ..training.palette import CLASS_COLORS, CLASS_NAMES

SPLITS = ("train", "test")
HINT = "Rows: true class; columns: predicted. Click a cell to ring its points on the canvas."


def _percent(x: float) -> str:
    return "–" if math.isnan(x) else f"{100 * x:.0f}%"


class ConfusionView(QWidget):
    """The two matrices. ``cellChosen(split, true, predicted)``; ``("", -1, -1)`` clears the choice."""

    cellChosen = Signal(str, int, int)

    def sizeHint(self) -> QSize:  # noqa: N802 - a docked panel asks for what a laptop can spare
        return QSize(360, 480)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("confusionView")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        matrices = QWidget()
        self.pages.addWidget(matrices)
        self.fit: FitPlot | None = None  # made with the first regression frame (most sessions never need it)
        layout = QVBoxLayout(matrices)
        self.tables: dict[str, QTableWidget] = {}
        self.titles: dict[str, QLabel] = {}
        self.chosen: tuple[str, int, int] | None = None
        self.frame: ConfusionFrame | None = None
        for split in SPLITS:
            title = QLabel(split.capitalize())
            table = QTableWidget(0, 0)
            table.setObjectName(f"{split}Confusion")
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.cellClicked.connect(lambda r, c, s=split: self.choose(s, r, c))
            layout.addWidget(title)
            layout.addWidget(table, 1)
            self.tables[split], self.titles[split] = table, title
        self.note = QLabel(HINT)
        self.note.setObjectName("confusionNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def choose(self, split: str, row: int, col: int) -> None:
        """A click on a cell: choose it (again: clear); a precision, recall or accuracy cell clears."""
        k = self.frame.n_classes if self.frame is not None else 0
        cell = (split, row, col)
        if row >= k or col >= k or cell == self.chosen:
            self.chosen = None
            for table in self.tables.values():
                table.clearSelection()
            self.cellChosen.emit("", -1, -1)
        else:
            self.chosen = cell
            other = self.tables["test" if split == "train" else "train"]
            other.clearSelection()
            self.cellChosen.emit(split, row, col)

    def clear_choice(self) -> None:
        if self.chosen is not None:
            self.choose(*self.chosen)

    def update_fit(self, frame: FitFrame) -> None:
        """A regression: predicted against true values instead of the matrices."""
        self.clear_choice()
        self.frame = None
        if self.fit is None:
            self.fit = FitPlot()
            self.pages.addWidget(self.fit)
        self.pages.setCurrentWidget(self.fit)
        self.fit.update_from(frame)

    def update_from(self, frame: ConfusionFrame) -> None:
        self.pages.setCurrentIndex(0)
        if self.frame is not None and self.frame.n_classes != frame.n_classes:
            self.clear_choice()
        self.frame = frame
        for split in SPLITS:
            counts = frame.train if split == "train" else frame.test
            self._fill(self.tables[split], counts)
            self.titles[split].setText(
                f"{split.capitalize()}: {int(counts.sum()):,} points, accuracy {_percent(accuracy(counts))}"
            )

    def _fill(self, table: QTableWidget, counts) -> None:
        k = counts.shape[0]
        if table.rowCount() != k + 1:
            table.setRowCount(k + 1)
            table.setColumnCount(k + 1)
            names = [CLASS_NAMES[i] if i < len(CLASS_NAMES) else str(i + 1) for i in range(k)]
            table.setVerticalHeaderLabels([f"true {n}" for n in names] + ["precision"])
            table.setHorizontalHeaderLabels([f"→ {n}" for n in names] + ["recall"])
            for i in range(k):
                color = QColor(*CLASS_COLORS[i % len(CLASS_COLORS)])
                for header in (table.verticalHeaderItem(i), table.horizontalHeaderItem(i)):
                    header.setForeground(QBrush(color.darker(130)))
        shares = row_shares(counts)
        precision, recall = precision_recall(counts)
        for i in range(k + 1):
            for j in range(k + 1):
                if i < k and j < k:
                    text = f"{int(counts[i, j]):,}\n{_percent(shares[i, j])}"
                elif i < k:
                    text = _percent(recall[i])
                elif j < k:
                    text = _percent(precision[j])
                else:
                    text = _percent(accuracy(counts))
                item = table.item(i, j)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    table.setItem(i, j, item)
                if item.text() != text:
                    item.setText(text)
                if i < k and j < k and i == j:
                    item.setBackground(QBrush(QColor(225, 240, 225)))
                elif i < k and j < k and counts[i, j]:
                    item.setBackground(QBrush(QColor(250, 225, 215)))
                else:
                    item.setBackground(QBrush())


class FitPlot(QWidget):
    """Predicted (up) against true value (across) for every point, train filled and test outlined, with the
    line where they are equal, and each split's RMSE and R² above."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("fitPlot")
        layout = QVBoxLayout(self)
        self.figures = QLabel("")
        self.figures.setObjectName("fitFigures")
        self.figures.setWordWrap(True)
        layout.addWidget(self.figures)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLabel("bottom", "true value")
        self.plot.setLabel("left", "predicted")
        self.plot.setAspectLocked(True)
        self.plot.addLegend(offset=(10, 10))
        self.ideal = self.plot.plot(pen=pg.mkPen((120, 120, 120), width=1, style=Qt.PenStyle.DashLine))
        self.train = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(0, 114, 178, 150), name="train")
        self.test = pg.ScatterPlotItem(size=6, pen=pg.mkPen(40, 40, 40), brush=pg.mkBrush(0, 0, 0, 0), name="test")
        self.plot.addItem(self.train)
        self.plot.addItem(self.test)
        note = QLabel("On the dashed line the network predicts each point's value exactly.")
        note.setWordWrap(True)
        layout.addWidget(self.plot, 1)
        layout.addWidget(note)
        self.frame: FitFrame | None = None

    def update_from(self, frame: FitFrame) -> None:
        self.frame = frame
        # A diverged network predicts NaN or huge values: the points that can be drawn are drawn, and the view
        # stays on the true values' range (a little more), so one wild prediction cannot flatten the plot.
        ok, test = np.isfinite(frame.predicted), frame.is_test
        for item, side in ((self.train, ~frame.is_test & ok), (self.test, frame.is_test & ok)):
            item.setData(frame.values[side], frame.predicted[side])
        if frame.values.size:
            lo, hi = float(frame.values.min()), float(frame.values.max())
            pad = 0.1 * (hi - lo or 1.0)
            self.ideal.setData([lo - pad, hi + pad], [lo - pad, hi + pad])
            self.plot.setRange(xRange=(lo - pad, hi + pad), yRange=(lo - pad, hi + pad), padding=0)
        self.figures.setText(
            f"Train: {int((~test).sum()):,} points, RMSE {_figure(frame.train_rmse)}, R² {_figure(frame.train_r2)}\n"
            f"Test: {int(test.sum()):,} points, RMSE {_figure(frame.test_rmse)}, R² {_figure(frame.test_r2)}"
        )


def _figure(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{x:.4g}"


class ConfusionMarks(QObject):
    """Keeps the canvas's rings (the chosen cell) and crosses (the toggle) in step with the newest frame."""

    wantedChanged = Signal()  # whether frames must carry confusion data changed (the toggle)

    def __init__(self, view: ConfusionView, canvas):
        super().__init__(view)
        self.view = view
        self.canvas = canvas
        self.toggle = QCheckBox("Mark misclassified points", canvas)
        self.toggle.setObjectName("markMisclassified")
        self.toggle.setToolTip("Cross every point the network puts in the wrong class (train and test).")
        self.toggle.setStyleSheet("QCheckBox { background: rgba(255,255,255,200); padding: 2px; }")
        self.toggle.adjustSize()
        self.toggle.toggled.connect(self._toggled)
        canvas.installEventFilter(self)
        self._place()
        view.cellChosen.connect(lambda *_: self.redraw())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        """Top right, clear of the colour bar."""
        self.toggle.move(max(self.canvas.width() - self.toggle.width() - 90, 0), 8)

    def _toggled(self, on: bool) -> None:
        self.wantedChanged.emit()
        self.redraw()

    def update_from(self, frame: ConfusionFrame) -> None:
        self.view.update_from(frame)
        self.redraw()

    def set_regression(self, regression: bool) -> None:
        """A regression has no classes to get wrong: the toggle leaves the canvas (and keeps its tick for when
        the data have classes again)."""
        if regression != self.toggle.isHidden():
            self.toggle.setHidden(regression)
            self.wantedChanged.emit()
            self.redraw()

    @property
    def wanted(self) -> bool:
        """Whether the canvas wants confusion data for its crosses."""
        return self.toggle.isChecked() and not self.toggle.isHidden()

    def update_fit(self, frame: FitFrame) -> None:
        """A regression: no classes to get wrong, so no crosses (the toggle, hidden by ``set_regression``, waits
        for classes again; it stays enabled: disabled, it could not ask for the frames that enable it)."""
        self.view.update_fit(frame)
        self.redraw()

    def redraw(self) -> None:
        frame, chosen = self.view.frame, self.view.chosen
        self.canvas.highlight(frame.cell_mask(*chosen) if frame is not None and chosen is not None else None)
        on = self.wanted and frame is not None
        self.canvas.mark(frame.misclassified() if on else None)

    def stop(self) -> None:
        """No confusion data comes any more (panel closed, toggle off): clear the canvas."""
        self.view.clear_choice()
        self.view.frame = None
        self.redraw()
