"""The hidden-space and runs panels (the health panel: ``health_view``). Each draws what the worker computed;
none trains anything."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..data import MAX_CLASSES
from ..training.palette import CLASS_COLORS
from ..training.runs import SWEEP_EXAMPLES, SWEEPABLE, RunRecord, parse_sweep_values, sweep_config
from .loss_plot import EpochAxis, PlainAxis

DIVERGED_COLOR = (213, 94, 0)
LINE_STYLES = [Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine]
LAYER_COLORS = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (230, 159, 0),
    (90, 90, 90),
    (240, 228, 66),
    (0, 0, 0),
    (150, 60, 200),
]


PANEL_HINT = QSize(360, 480)  # what a docked panel asks for


class HiddenSpaceView(QWidget):
    """ConvNetJS's view: the input grid warped into two hidden neurons' activation space."""

    choiceChanged = Signal(object)  # (layer, i, j) or None

    def sizeHint(self) -> QSize:  # noqa: N802 - pyqtgraph's plots ask for 600 px; a laptop has ~360 to spare
        return PANEL_HINT

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("hiddenSpaceView")
        layout = QVBoxLayout(self)
        row = QGridLayout()  # two short rows: the dock stays narrow enough for a laptop
        self.layer = QComboBox()
        self.layer.setObjectName("hiddenLayer")
        self.i = QSpinBox()
        self.i.setObjectName("hiddenNeuronI")
        self.j = QSpinBox()
        self.j.setObjectName("hiddenNeuronJ")
        # The layer's name ("1 (4 neurons)") is wider than a neuron's number: its box spans the row.
        self.layer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        row.addWidget(QLabel("Layer"), 0, 0)
        row.addWidget(self.layer, 0, 1, 1, 3)
        for k, (label, w) in enumerate((("x: neuron", self.i), ("y: neuron", self.j))):
            row.addWidget(QLabel(label), 1, 2 * k)
            row.addWidget(w, 1, 2 * k + 1)
        row.setColumnStretch(4, 1)
        layout.addLayout(row)
        self.plot = pg.PlotWidget()
        self.plot.setBackground("w")
        self.plot.setLabel("bottom", "neuron i")
        self.plot.setLabel("left", "neuron j")
        self.mesh = self.plot.plot(pen=pg.mkPen((150, 150, 150), width=1), connect="finite")
        self.points = [
            pg.ScatterPlotItem(size=6, brush=pg.mkBrush(*c), pen=pg.mkPen("w", width=0.5))
            for c in CLASS_COLORS[:MAX_CLASSES]
        ]
        for item in self.points:
            self.plot.addItem(item)
        layout.addWidget(self.plot)
        self._sizes: list[int] = []
        self.message = QLabel("")
        layout.addWidget(self.message)
        for w in (self.layer, self.i, self.j):
            (w.currentIndexChanged if isinstance(w, QComboBox) else w.valueChanged).connect(self._changed)

    def set_layers(self, sizes: list[int]) -> None:
        if sizes == self._sizes:
            return
        self._sizes = list(sizes)
        hidden = sizes[1:-1]
        for w in (self.layer, self.i, self.j):
            w.blockSignals(True)
        self.layer.clear()
        for k, width in enumerate(hidden, start=1):
            self.layer.addItem(f"{k} ({width} neurons)", k)
        self._limit()
        for w in (self.layer, self.i, self.j):
            w.blockSignals(False)
        self.message.setText("" if hidden else "This network has no hidden layer to look into.")
        self._changed()

    def _limit(self) -> None:
        layer = self.layer.currentData()
        width = self._sizes[layer] if layer else 1
        self.i.setRange(1, max(width, 1))
        self.j.setRange(1, max(width, 1))
        if width > 1 and self.j.value() == self.i.value():
            self.j.setValue(2 if self.i.value() == 1 else 1)

    def choice(self):
        layer = self.layer.currentData()
        if not layer:
            return None
        return (layer, self.i.value() - 1, self.j.value() - 1)

    def _changed(self, *_):
        self._limit()
        self.choiceChanged.emit(self.choice())

    def update_from(self, frame) -> None:
        """Draw a ``frame.HiddenFrame``."""
        self.set_layers(frame.layer_sizes)
        self.mesh.setData(frame.mesh[:, 0], frame.mesh[:, 1], connect="finite")
        P, y = frame.points, frame.labels
        for k, item in enumerate(self.points):
            mine = y == k
            item.setData(P[mine, 0], P[mine, 1])


class RunsView(QWidget):
    """Finished runs with their settings and results; checked runs' loss curves overlaid; sweeps."""

    sweepRequested = Signal(object, int)  # [(label, config), ...], epochs
    deleteRequested = Signal(object)  # a tuple of RunRecords to forget
    applyRequested = Signal(object)  # a TrainConfig to use

    COLUMNS = ["", "Run", "Settings", "Train loss", "Test loss", "Train acc", "Test acc", "Epochs", "Time"]
    LOSS_TIP = (
        "The loss; for a regression run, the mean squared error (MSE), as Progress and the loss plot show it "
        "(the network minimises half of it)"
    )
    MSE_TIP = "Mean squared error (MSE): twice the ½·MSE the network minimises, as Progress shows it"
    MAX_OVERLAY = 8  # curves overlaid at once: new runs start unticked beyond this, so drawing stays cheap

    def sizeHint(self) -> QSize:  # noqa: N802 - pyqtgraph's plots ask for 600 px; a laptop has ~360 to spare
        return PANEL_HINT

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("runsView")
        self.runs: list[RunRecord] = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("runsTable")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        for column in (3, 4):
            self.table.horizontalHeaderItem(column).setToolTip(self.LOSS_TIP)
        for column in (5, 6):
            self.table.horizontalHeaderItem(column).setToolTip("Accuracy; for a regression run, its RMSE")
        self.table.itemChanged.connect(self._redraw)
        layout.addWidget(self.table, 1)
        self.plot = pg.PlotWidget(axisItems={"bottom": EpochAxis("bottom"), "left": PlainAxis("left")})
        self.plot.setObjectName("runsPlot")
        self.plot.setBackground("w")
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "train loss")
        self.plot.setLogMode(y=True)
        layout.addWidget(self.plot, 1)  # no legend inside the plot: the table's rows show each curve's pen
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteRunsButton")
        self.delete_button.setToolTip("Forget the selected runs (Delete)")
        self.apply_button = QPushButton("Apply these settings")
        self.apply_button.setObjectName("applyRunSettingsButton")
        self.apply_button.setToolTip("Use the selected run's settings for the network (resets it if the shape differs)")
        for b in (self.delete_button, self.apply_button):
            b.setEnabled(False)
        actions = QHBoxLayout()
        actions.addWidget(self.delete_button)
        actions.addWidget(self.apply_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.delete_button.clicked.connect(self._delete)
        self.apply_button.clicked.connect(self._apply)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self._delete)
        self.parameter = QComboBox()
        self.parameter.setObjectName("sweepParameter")
        for key, (label, _) in SWEEPABLE.items():
            self.parameter.addItem(label, key)
        self.values = QLineEdit("0.001, 0.01, 0.1, 1")
        self.values.setObjectName("sweepValues")
        self.values.setMinimumWidth(120)
        self.epochs = QSpinBox()
        self.epochs.setObjectName("sweepEpochs")
        self.epochs.setRange(1, 100_000)
        self.epochs.setValue(500)
        self.epochs.setSuffix(" epochs")
        self.sweep_button = QPushButton("Sweep")
        self.sweep_button.setObjectName("sweepButton")
        self.sweep_message = QLabel("")
        self.sweep_message.setObjectName("sweepMessage")
        self.sweep_message.setStyleSheet("color: #b34700;")
        grid = QGridLayout()  # two rows: the dock stays narrow enough for a laptop
        grid.addWidget(QLabel("Sweep"), 0, 0)
        grid.addWidget(self.parameter, 0, 1)
        grid.addWidget(self.values, 0, 2, 1, 2)
        grid.addWidget(self.epochs, 1, 1)
        grid.addWidget(self.sweep_button, 1, 2)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        layout.addWidget(self.sweep_message)
        self.parameter.currentIndexChanged.connect(self._example)
        self.base_config = None

    def _example(self, *_):
        self.values.setText(SWEEP_EXAMPLES[self.parameter.currentData()])

    def request_sweep(self, base_config) -> bool:
        parameter = self.parameter.currentData()
        try:
            values = parse_sweep_values(parameter, self.values.text())
            runs = [
                (f"{self.parameter.currentText().lower()} {v}", sweep_config(base_config, parameter, v)) for v in values
            ]
        except ValueError as exc:
            self.sweep_message.setText(str(exc))
            return False
        self.sweep_message.setText("")
        self.sweepRequested.emit(runs, self.epochs.value())
        return True

    def set_runs(self, runs) -> None:
        """Show these runs; the training thread keeps them (it appends, drops the oldest, deletes on request,
        or replaces the list when a session is opened). Runs already shown keep their ticks. New runs are
        ticked (the oldest ticked curve makes room past ``MAX_OVERLAY``); a replaced list starts unticked."""
        runs = list(runs)  # a run is known by its uid: a sweep's live record and its final one share it
        ticked = {self.runs[r].uid for r in self.checked()}
        shown = {r.uid for r in self.runs}
        replaced = bool(self.runs) and not any(r.uid in shown for r in runs)
        self.runs = []
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for run in runs:
            new = run.uid not in shown
            self._append(run, checked=(run.uid in ticked) or (new and not replaced))
        order = [r for r in self.checked() if self.runs[r].uid in ticked] + [
            r for r in self.checked() if self.runs[r].uid not in ticked
        ]
        for row in order[: max(0, len(order) - self.MAX_OVERLAY)]:  # the oldest ticked make room
            self.set_checked(row, False)
        self.table.blockSignals(False)
        mse = bool(runs) and all(r.regression for r in runs)  # else "loss", its cells saying where it is an MSE
        for column, name in ((3, "Train"), (4, "Test")):
            self.table.horizontalHeaderItem(column).setText(f"{name} MSE" if mse else f"{name} loss")
        if len(runs) <= 20:  # later rows rarely change the column widths; measuring all rows costs O(n)
            self.table.resizeColumnsToContents()
        self._redraw()

    def _append(self, run: RunRecord, checked: bool) -> None:
        row = self.table.rowCount()
        self.runs.append(run)
        self.table.insertRow(row)
        box = QTableWidgetItem()
        box.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        box.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        box.setIcon(_pen_icon(self.pen(row)))  # the table is the legend: each row shows its curve's pen
        self.table.setItem(row, 0, box)
        diverged = "diverged" in run.label
        mse = "MSE " if run.regression else ""  # the loss as Progress shows it: a regression's MSE, named
        cells = [
            ("⚠ " if diverged else "") + (run.label or f"run {row + 1}"),
            run.summary(),
            mse + fmt_number(run.loss_scale * run.train_loss),
            mse + fmt_number(run.loss_scale * run.test_loss),
            *(  # a regression has no accuracy: its RMSE, named, in the same columns
                (f"RMSE {fmt_number(run.train_rmse)}", f"RMSE {fmt_number(run.test_rmse)}")
                if run.regression
                else (fmt_number(run.train_accuracy, True), fmt_number(run.test_accuracy, True))
            ),
            f"{run.epochs:,}",
            f"{run.seconds:.1f} s",
        ]
        for col, text in enumerate(cells, start=1):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if diverged:
                item.setForeground(QColor(*DIVERGED_COLOR))
                item.setToolTip("This run diverged: its loss became infinite or shot up and stayed there.")
            elif mse and col in (3, 4):
                item.setToolTip(self.MSE_TIP)
            self.table.setItem(row, col, item)

    def pen(self, row: int) -> QPen:
        """Row ``row``'s curve: eight colours, then the same colours dashed, dotted, ... (stable per run)."""
        color = LAYER_COLORS[row % 8]
        style = LINE_STYLES[(row // 8) % len(LINE_STYLES)]
        return pg.mkPen(color, width=2, style=style)

    def checked(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if self.table.item(r, 0).checkState() == Qt.CheckState.Checked]

    def set_checked(self, row: int, on: bool) -> None:
        self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def selected(self) -> list[RunRecord]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.runs[r] for r in rows if r < len(self.runs)]

    def _delete(self) -> None:
        chosen = self.selected()
        if chosen:
            self.deleteRequested.emit(tuple(chosen))

    def _apply(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.applyRequested.emit(chosen[0].config)

    def _selection_changed(self) -> None:
        n = len(self.selected())
        self.delete_button.setEnabled(n > 0)
        self.apply_button.setEnabled(n == 1)

    def _redraw(self, *_):
        self.plot.clear()
        kinds = {self.runs[row].regression for row in self.checked()}
        label = {frozenset({True}): "train MSE", frozenset({True, False}): "train loss (MSE for values)"}
        self.plot.setLabel("left", label.get(frozenset(kinds), "train loss"))
        for row in self.checked():
            run = self.runs[row]
            ok = np.isfinite(run.curve_losses) & (run.curve_losses > 0)
            one = ok.sum() == 1  # a line of one point draws nothing: a dot instead
            pen = self.pen(row)
            self.plot.plot(
                run.curve_epochs[ok],
                run.loss_scale * run.curve_losses[ok],
                pen=pen,
                symbol="o" if one else None,
                symbolBrush=pen.color(),
            )

    def overlaid(self) -> int:
        return len([i for i in self.plot.listDataItems()])


def _pen_icon(pen: QPen) -> QIcon:
    picture = QPixmap(28, 12)
    picture.fill(QColor(0, 0, 0, 0))
    painter = QPainter(picture)
    painter.setPen(pen)
    painter.drawLine(2, 6, 26, 6)
    painter.end()
    return QIcon(picture)


def fmt_number(v: float, pct: bool = False) -> str:
    return "–" if not math.isfinite(v) else (f"{100 * v:.1f} %" if pct else f"{v:.4f}")
