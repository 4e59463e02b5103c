"""The control column's panels: training buttons, progress with notices, and the data panel.

Each only shows state and emits requests; the window wires them to the state model and the controllers.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..data import MAX_CLASSES, Dataset
from ..data.presets import ALL_PRESETS
from ..training import LIMITS
from ..training.frame import Status
from ..training.palette import CLASS_COLORS, CLASS_NAMES
from ..training.state import ViewState
from ..training.trainer import MSE_PER_LOSS
from .value_control import ValueControl

TOOLTIP = Qt.ItemDataRole.ToolTipRole
NOTHING_TO_UNDO = "Nothing to undo yet: every edit (a click, a stroke, a preset, Clear) can be undone (Ctrl+Z)"
NOTHING_TO_REDO = "Nothing to redo: what you undo can be redone (Ctrl+Shift+Z)"
NOTICE_SECONDS = 8  # a one-off notice fades after this; a divergence explanation or a problem stays
NOTICE_STYLE = "QLabel { background: #fff4d6; border: 1px solid #e69f00; padding: 6px; }"
COLUMN_WIDTH = 380  # the control column's width: fixed, so changing text never moves it
PROBLEM_STYLE = "QFrame#problemBanner { background: #fde8e1; border: 1px solid #d55e00; }"


def _button(text: str, name: str, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    return b


SPEEDS = [  # (label, epochs per second; 0 for full speed)
    ("Full speed", 0.0),
    ("Slow motion: 2 epochs/s", 2.0),
    ("Slow: 10 epochs/s", 10.0),
    ("50 epochs/s", 50.0),
    ("300 epochs/s", 300.0),
]


class TrainingButtons(QWidget):
    """Train/Pause, Step, Reset, New seed; the speed; "Train N epochs"."""

    speedRequested = Signal(object)  # epochs per second, or None for full speed
    epochsRequested = Signal(int)  # train this many epochs, then stop

    def __init__(self, parent=None):
        super().__init__(parent)
        self.train = _button("Train", "trainButton", "Start or pause training (Space)")
        self.step = _button("Step", "stepButton", "Train one epoch (Ctrl+.)")
        self.reset = _button("Reset", "resetButton", "New weights from the same seed: a reset is reproducible (Ctrl+R)")
        self.new_seed = _button(
            "New seed",
            "newSeedButton",
            "Reset with the next seed: new weights and a new train/test split; asks first when the run has "
            "trained (Ctrl+Shift+R)",
        )
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, b in enumerate((self.train, self.step, self.reset, self.new_seed)):
            grid.addWidget(b, 0, i)
        self.speed = QComboBox()
        self.speed.setObjectName("speed")
        for label, value in SPEEDS:
            self.speed.addItem(label, value)
        self.speed.setToolTip(
            "How fast training runs. Slow motion trains a few epochs a second so you can watch the boundary "
            "bend; full speed trains as fast as the computer can."
        )
        self.speed.activated.connect(lambda i: self.speedRequested.emit(self.speed.itemData(i) or None))
        self.epochs = QSpinBox()
        self.epochs.setObjectName("trainEpochs")
        self.epochs.setRange(1, 1_000_000)
        self.epochs.setValue(100)
        self.epochs.setSuffix(" epochs")
        self.epochs.setToolTip("How many epochs 'Train N' trains before it stops by itself")
        self.train_n = _button("Train N", "trainNButton", "Train this many epochs, then stop (Ctrl+Shift+.)")
        self.train_n.clicked.connect(lambda: self.epochsRequested.emit(self.epochs.value()))
        grid.addWidget(self.speed, 1, 0, 1, 2)
        grid.addWidget(self.epochs, 1, 2)
        grid.addWidget(self.train_n, 1, 3)

    def show_running(self, running: bool) -> None:
        self.train.setText("Pause" if running else "Train")

    def change_speed(self, step: int) -> None:
        """One notch faster (+1) or slower (-1) than now."""
        order = sorted((v for _, v in SPEEDS), key=lambda v: v or math.inf)  # slowest first, full speed last
        now = order.index(self.speed.currentData())
        speed = order[max(0, min(len(order) - 1, now + step))]
        self.show_speed(speed)
        self.speedRequested.emit(speed or None)

    def show_speed(self, speed: float | None) -> None:
        index = self.speed.findData(float(speed or 0.0))
        if index >= 0:
            self.speed.setCurrentIndex(index)


class Notices(QWidget):
    """Two separate places: the run's notices (one-off ones fade, a divergence explanation stays until the
    next run) and problems (a file that could not be opened, a failed save), which stay until dismissed
    or replaced: the next frame can never hide a problem.

    They float over the top of the canvas (``attach_to``) instead of taking room in a layout, so a notice
    never moves a control under the cursor nor grows the window."""

    MARGIN = 8

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("notices")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # The problem and its × share one banner: the button sits inside it, at its top right.
        self.problem_banner = QFrame()
        self.problem_banner.setObjectName("problemBanner")
        self.problem_banner.setStyleSheet(PROBLEM_STYLE)
        self.problem = QLabel("")
        self.problem.setObjectName("problemLabel")
        self.problem.setWordWrap(True)
        self.dismiss = QToolButton()
        self.dismiss.setObjectName("dismissProblem")
        self.dismiss.setText("×")
        self.dismiss.setToolTip("Dismiss this message")
        self.dismiss.setAutoRaise(True)
        self.dismiss.clicked.connect(self.clear_problem)
        problem_row = QHBoxLayout(self.problem_banner)
        problem_row.setContentsMargins(6, 4, 4, 4)
        problem_row.addWidget(self.problem, 1)
        problem_row.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.problem_banner)
        self.run = QLabel("")
        self.run.setObjectName("noticeLabel")
        self.run.setWordWrap(True)
        self.run.setStyleSheet(NOTICE_STYLE)
        layout.addWidget(self.run)
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.setInterval(NOTICE_SECONDS * 1000)
        self._fade.timeout.connect(self._faded)
        self._alert = ""
        self.clear_problem()
        self.run.hide()

    def attach_to(self, host: QWidget) -> None:
        """Float over the top of ``host`` (the canvas), following its size."""
        self.setParent(host)
        host.installEventFilter(self)
        self._place()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        showing = self.problem_banner.isVisibleTo(self) or self.run.isVisibleTo(self)
        self.setVisible(showing)
        if not showing:
            return
        width = max(host.width() - 2 * self.MARGIN, 100)
        self.layout().activate()
        height = max(self.heightForWidth(width), self.minimumSizeHint().height())
        self.setGeometry(self.MARGIN, self.MARGIN, width, height)
        self.raise_()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem_banner.show()
        self._place()

    def clear_problem(self) -> None:
        self.problem.setText("")
        self.problem_banner.hide()
        self._place()

    @property
    def problem_text(self) -> str:
        return self.problem.text() if self.problem_banner.isVisibleTo(self) else ""

    @property
    def run_text(self) -> str:
        return self.run.text() if self.run.isVisibleTo(self) else ""

    def show_run_notice(self, text: str) -> None:
        """A one-off notice that fades (the window's own messages: "Suggested settings applied", ...)."""
        if self._alert:
            return  # a divergence explanation stays in place
        self.run.setText(text)
        self.run.show()
        self._fade.start()
        self._place()

    def show_status(self, status: Status) -> None:
        if status.alert:
            if status.alert == self._alert and self.run.isVisibleTo(self):
                return
            self._alert = status.alert
            self._fade.stop()
            self.run.setText(status.alert)
            self.run.show()
        elif status.notice:
            self._alert = ""
            self.run.setText(status.notice)
            self.run.show()
            self._fade.start()
        elif self._alert:  # the run that stopped has been continued or replaced
            self._alert = ""
            self.run.hide()
        else:
            return
        self._place()

    def _faded(self) -> None:
        if not self._alert:
            self.run.hide()
            self._place()


class ProgressPanel(QGroupBox):
    def __init__(self, parent=None):
        super().__init__("Progress", parent)
        grid = QGridLayout(self)
        self.epoch = QLabel("0")
        self.epoch.setObjectName("epochLabel")
        self.rate = QLabel("–")
        self.rate.setObjectName("rateLabel")
        self.loss = QLabel("–")
        self.loss.setObjectName("lossLabel")
        self.accuracy = QLabel("–")
        self.accuracy.setObjectName("accuracyLabel")
        self.figure_name = QLabel("Accuracy train / test")  # "RMSE train / test, R²" for a regression
        self.loss_name = QLabel("Loss train / test")  # "MSE train / test" for a regression
        rows = [
            ("Epoch", self.epoch),
            ("Epochs/s", self.rate),
            (self.loss_name, self.loss),
            (self.figure_name, self.accuracy),
        ]
        for i, (name, label) in enumerate(rows):
            grid.addWidget(name if isinstance(name, QLabel) else QLabel(name), i, 0)
            grid.addWidget(label, i, 1)

    def show_status(self, status: Status) -> None:
        self.epoch.setText(f"{status.epoch:,}")
        self.rate.setText(f"{status.epochs_per_second:,.0f}" if status.running else "–")
        # The problem type comes from the network's output (a diverged regression has NaN figures, still values).
        regression = status.regression
        self.loss_name.setText("MSE train / test" if regression else "Loss train / test")
        self.figure_name.setText("RMSE train / test, R²" if regression else "Accuracy train / test")
        m = status.metrics
        if m is None:
            self.loss.setText("–")
            self.accuracy.setText("–")
        elif regression:  # the engine's loss is half the mean squared error: show the MSE
            self.loss.setText(f"{fmt_loss(MSE_PER_LOSS * m.train_loss)} / {fmt_loss(MSE_PER_LOSS * m.test_loss)}")
            r2 = f"{m.test_r2:.3f}" if math.isfinite(m.test_r2) else "–"
            self.accuracy.setText(f"{fmt_loss(m.train_rmse)} / {fmt_loss(m.test_rmse)}, {r2}")
        else:
            self.loss.setText(f"{fmt_loss(m.train_loss)} / {fmt_loss(m.test_loss)}")
            self.accuracy.setText(f"{fmt_pct(m.train_accuracy)} / {fmt_pct(m.test_accuracy)}")


class StatusLine(QLabel):
    """The run's state in the status bar ("Training… epoch 1,200"), apart from the bar's passing messages,
    so a frame never overwrites a message the user has not read yet."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("statusLine")

    def showMessage(self, text: str) -> None:  # noqa: N802 - the status bar's name, which it stands in for
        if text != self.text():
            self.setText(text)

    def currentMessage(self) -> str:  # noqa: N802
        return self.text()


class DataPanel(QGroupBox):
    """Presets, the drawing class and eraser, undo/redo/clear, and the display choices."""

    presetRequested = Signal(str, int, float)  # name, points, noise
    viewRequested = Signal(object)  # a ViewState to apply

    def __init__(self, view: ViewState, parent=None):
        super().__init__("Data", parent)
        grid = QGridLayout(self)
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        self.preset.setPlaceholderText("custom")  # shown when the points are not a preset as generated
        self.preset.setToolTip(
            "Pick a dataset: it loads at once as a new run (the old run goes to Runs; Undo brings the old "
            "points back). Try circle first, then the spiral, which needs a deeper network."
        )
        for name, (_, description) in ALL_PRESETS.items():
            self.preset.addItem(name, name)
            self.preset.setItemData(self.preset.count() - 1, description, TOOLTIP)
        self.points = QSpinBox()
        self.points.setObjectName("presetPoints")
        self.points.setRange(int(LIMITS.preset_points.low), int(LIMITS.preset_points.high))
        self.points.setValue(500)
        self.points.setSuffix(" points")
        self.points.setToolTip("How many points a preset makes: more points, smoother but slower epochs")
        self.noise = QDoubleSpinBox()
        self.noise.setObjectName("presetNoise")
        self.noise.setRange(LIMITS.noise.low, LIMITS.noise.high)
        self.noise.setSingleStep(0.05)
        self.noise.setPrefix("noise ")
        self.noise.setToolTip(
            "How far points stray from their class's shape. Try 0.3 and watch the test loss rise above the "
            "train loss: the network starts to learn the noise (overfitting)."
        )
        self.load = _button("New sample", "loadPresetButton", "Load this preset again: a new sample of points")
        self.suggest = _button(
            "Suggest settings", "suggestButton", "Apply a network and learning rate that learn this data well"
        )
        grid.addWidget(self.preset, 0, 0)
        grid.addWidget(self.points, 0, 1)
        grid.addWidget(self.noise, 1, 0)
        grid.addWidget(self.load, 1, 1)

        self.current_class = QComboBox()
        self.current_class.setObjectName("currentClass")
        self.current_class.setToolTip("The class a left click adds (keys 1–9); a right click adds the other one")
        for k in range(MAX_CLASSES):
            self.current_class.addItem(f"{k + 1}: {CLASS_NAMES[k]}")
            self.current_class.setItemData(k, f"Class {k} (key {k + 1})", TOOLTIP)
        self.swatch = QLabel()
        self.swatch.setFixedSize(18, 18)
        self.eraser = QCheckBox("Eraser")
        self.eraser.setObjectName("eraser")
        self.eraser.setToolTip("Left click/drag removes points (Ctrl+click always does)")
        row = QHBoxLayout()
        row.addWidget(QLabel("Draw"))
        row.addWidget(self.swatch)
        row.addWidget(self.current_class, 1)
        self.value = ValueControl()  # instead of the class when the data are values (a regression)
        self.value.hide()
        row.addWidget(self.value, 1)
        row.addWidget(self.eraser)
        self.trace_tool = QCheckBox("Trace")
        self.trace_tool.setObjectName("traceTool")
        self.trace_tool.setToolTip(
            "Left click a point (or any spot) to trace one training step on it, number by number, in the Step "
            "through panel (Alt+click does it too)"
        )
        row.addWidget(self.trace_tool)
        grid.addLayout(row, 2, 0, 1, 2)

        self.undo = _button("Undo", "undoButton", NOTHING_TO_UNDO)
        self.redo = _button("Redo", "redoButton", NOTHING_TO_REDO)
        self.clear = _button("Clear", "clearButton", "Remove every point (undoable)")
        row = QHBoxLayout()
        for b in (self.undo, self.redo, self.clear):
            row.addWidget(b)
        grid.addLayout(row, 3, 0, 1, 2)

        self.show_test = QCheckBox("Show test points")
        self.show_test.setObjectName("showTest")
        self.show_test.setToolTip(
            "Test points (dark outline) are never trained on: they show how well the network generalises"
        )
        self.discretize = QCheckBox("Discretize")
        self.discretize.setObjectName("discretize")
        self.discretize.setToolTip("Show hard class regions instead of the network's shaded confidence")
        self.log_scale = QCheckBox("Log scale loss")
        self.log_scale.setObjectName("logScale")
        self.log_scale.setToolTip("A log loss axis shows the slow late progress a linear axis flattens")
        row = QHBoxLayout()
        for b in (self.show_test, self.discretize, self.log_scale):
            row.addWidget(b)
        grid.addLayout(row, 4, 0, 1, 2)
        self.counts = QLabel("")
        self.counts.setObjectName("countsLabel")
        grid.addWidget(self.counts, 5, 0, 1, 2)
        grid.addWidget(self.suggest, 6, 0, 1, 2)

        self._view = view
        self.show_view(view)
        self.load.clicked.connect(self._preset)
        self.preset.activated.connect(self._preset)  # picking a preset loads it: one step
        self.current_class.currentIndexChanged.connect(lambda k: self._request(current_class=k))
        self.value.valueRequested.connect(lambda v: self._request(current_value=v))
        # One tool at a time: the eraser and the trace tool switch each other off.
        self.eraser.toggled.connect(lambda on: self._request(eraser=on, **({"trace_tool": False} if on else {})))
        self.trace_tool.toggled.connect(lambda on: self._request(trace_tool=on, **({"eraser": False} if on else {})))
        self.show_test.toggled.connect(lambda on: self._request(show_test=on))
        self.discretize.toggled.connect(lambda on: self._request(discretize=on))
        self.log_scale.toggled.connect(lambda on: self._request(log_scale=on))

    def _request(self, **changes) -> None:
        self.viewRequested.emit(changes)

    def _preset(self, *_) -> None:
        if self.preset.currentIndex() >= 0:
            self.presetRequested.emit(self.preset.currentData(), self.points.value(), self.noise.value())

    def show_preset(self, name: str | None) -> None:
        """Name the loaded preset, or "custom" (``None``) after an edit, a CSV or a session."""
        self.preset.setCurrentIndex(self.preset.findData(name) if name else -1)

    def show_view(self, view: ViewState) -> None:
        """Show ``view`` without echoing it back as a request."""
        for widget, value in (
            (self.eraser, view.eraser),
            (self.trace_tool, view.trace_tool),
            (self.show_test, view.show_test),
            (self.discretize, view.discretize),
            (self.log_scale, view.log_scale),
        ):
            if widget.isChecked() != value:
                widget.blockSignals(True)
                widget.setChecked(value)
                widget.blockSignals(False)
        if self.current_class.currentIndex() != view.current_class:
            self.current_class.blockSignals(True)
            self.current_class.setCurrentIndex(view.current_class)
            self.current_class.blockSignals(False)
        r, g, b = CLASS_COLORS[view.current_class]
        self.swatch.setStyleSheet(f"background: rgb({r},{g},{b}); border: 1px solid #333;")
        self.value.show_value(view.current_value)

    def show_data(self, ds: Dataset, undo_label: str, redo_label: str) -> None:
        values = ds.is_regression
        for widget, shown in ((self.value, values), (self.current_class, not values), (self.swatch, not values)):
            widget.setVisible(shown)
        if values and len(ds):
            self.counts.setText(f"{len(ds)} points, values {ds.y.min():.3g} to {ds.y.max():.3g}")
        else:
            counts = ds.class_counts()
            self.counts.setText(
                f"{len(ds)} points: " + ", ".join(f"{c} {CLASS_NAMES[k]}" for k, c in enumerate(counts) if c)
                if len(ds)
                else "No points: click to add some, or load a preset."
            )
        self.undo.setEnabled(bool(undo_label))
        self.redo.setEnabled(bool(redo_label))
        self.undo.setToolTip(f"Undo {undo_label} (Ctrl+Z)" if undo_label else NOTHING_TO_UNDO)
        self.redo.setToolTip(f"Redo {redo_label} (Ctrl+Shift+Z)" if redo_label else NOTHING_TO_REDO)


def titled(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


def main_layout(column, canvas: QWidget, loss_plot: QWidget, timeline: QWidget) -> QWidget:
    """The control column on the left, in a scroll area of fixed width (it scrolls when the window is short,
    so no control is ever squeezed); the canvas over the loss plot (the run's timeline under it) on the
    right, split 3:1."""
    side = QWidget()
    side.setObjectName("controlColumn")
    layout = QVBoxLayout(side)
    for part in column:
        layout.addWidget(part)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setObjectName("controlScroll")
    scroll.setWidget(side)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it draws no focus; Tab to a control scrolls to it
    bar = scroll.verticalScrollBar().sizeHint().width()
    scroll.setFixedWidth(max(COLUMN_WIDTH, side.minimumSizeHint().width()) + bar)
    scroll.setMinimumHeight(120)
    canvas.setMinimumSize(320, 240)
    loss_plot.setMinimumHeight(110)
    right = QSplitter(Qt.Orientation.Vertical)
    right.setObjectName("plotSplitter")
    right.setChildrenCollapsible(False)
    right.addWidget(canvas)
    plots = QWidget()
    under = QVBoxLayout(plots)
    under.setContentsMargins(0, 0, 0, 0)
    under.addWidget(loss_plot, 1)
    under.addWidget(timeline)
    right.addWidget(plots)
    right.setStretchFactor(0, 3)
    right.setStretchFactor(1, 1)
    central = QWidget()
    row = QHBoxLayout(central)
    row.setContentsMargins(4, 4, 4, 4)
    row.addWidget(scroll)
    row.addWidget(right, 1)
    return central


def fmt_loss(v: float) -> str:
    return "–" if not math.isfinite(v) else f"{v:.4f}"


def fmt_pct(v: float) -> str:
    return "–" if not math.isfinite(v) else f"{100 * v:.1f} %"
