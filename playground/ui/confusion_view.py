"""The confusion panel, and the marks it puts on the canvas.

Two tables, train and test: rows the true class, columns the predicted one; each cell shows its count and
its share of the row, an extra column each class's recall and an extra row each class's precision. Clicking
a cell rings that cell's points on the canvas and dims the others (clicking it again, or anything else,
clears it). A check box floating on the canvas marks every misclassified point with a cross, with the panel
open or closed. All figures come from the frame's ``ConfusionFrame``; nothing here predicts anything.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..training.confusion import accuracy, precision_recall, row_shares
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
        layout = QVBoxLayout(self)
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

    def update_from(self, frame: ConfusionFrame) -> None:
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

    def redraw(self) -> None:
        frame, chosen = self.view.frame, self.view.chosen
        self.canvas.highlight(frame.cell_mask(*chosen) if frame is not None and chosen is not None else None)
        on = self.toggle.isChecked() and frame is not None
        self.canvas.mark(frame.misclassified() if on else None)

    def stop(self) -> None:
        """No confusion data comes any more (panel closed, toggle off): clear the canvas."""
        self.view.clear_choice()
        self.view.frame = None
        self.redraw()
