"""Network and training controls: a view of the state's ``TrainConfig``. It keeps no copy: it shows the
config (``show_config``) and emits ``configRequested(TrainConfig)`` for valid changes only; bad layer text
marks the field with a message and leaves the current network alone. Ranges come from ``LIMITS``."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..nn import ACTIVATIONS, INITIALISERS, OPTIMIZERS
from ..training import LIMITS, TrainConfig, format_hidden_layers, parse_hidden_layers
from ..training.config import MAX_HIDDEN_LAYERS, MAX_NEURONS
from .state_model import StateModel

LR_LADDER = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
LAYERS_PER_ROW = 3
TIPS = {
    "hidden": f"Neurons per hidden layer, e.g. '8, 8': 0 to {MAX_HIDDEN_LAYERS} layers of 1 to {MAX_NEURONS}. "
    "No hidden layer draws only straight boundaries; try '8, 8' on the spiral.",
    "learning_rate": "How big a step each update takes. Too small and the loss falls slowly; too large and it "
    "bounces or diverges. Try 0.003, 0.03 and 1 on the same data and compare the loss curves.",
    "activation": "What each hidden neuron does to its sum. tanh and relu bend the boundary; linear cannot, "
    "however deep the network. Try linear on the circle, then tanh.",
    "optimizer": "How gradients become steps. SGD follows the gradient; momentum and Adam remember past steps "
    "and usually learn faster. Try SGD and Adam at the same learning rate.",
    "init": "How the first weights are drawn. Xavier and He scale them to the layer's width so signals "
    "neither fade nor blow up in deep networks; 'seed' is the original article's scheme. Try them at 6 layers.",
    "batch_size": "Points per weight update. Small batches update often but noisily; full batch is smooth "
    "and steady. Try 1, then full batch, and watch the loss curve wiggle.",
    "regularization": "Penalises big weights: L2 shrinks them all, L1 pushes some to exactly zero. Smoother "
    "boundaries that generalise better. Try L2 at 0.01 on noisy data and watch the test loss.",
    "test_ratio": "The share of points held out as test points. The network never trains on them, so their "
    "loss shows how well it generalises. Try 50 % on a small, noisy dataset.",
    "seed": "Fixes the random first weights and the train/test split: the same seed gives the same run. Try "
    "a few seeds to see how much luck matters.",
    "max_epochs": "Training pauses by itself at this epoch; 'no limit' trains until you pause.",
    "output": "The output layer follows the data: one sigmoid neuron for two classes, softmax for more.",
}
ERROR_STYLE = "QLineEdit { border: 2px solid #d55e00; background: #fff1ea; }"


class LogSpinBox(QDoubleSpinBox):
    """Steps along 1, 3, 10, 30, ... instead of adding a constant: learning rates live on a log scale."""

    def stepBy(self, steps: int) -> None:
        value = self.value()
        if steps > 0:
            bigger = [v for v in LR_LADDER if v > value * (1 + 1e-9)]
            idx = min(steps - 1, len(bigger) - 1)
            self.setValue(bigger[idx] if bigger else value)
        elif steps < 0:
            smaller = [v for v in LR_LADDER if v < value * (1 - 1e-9)]
            idx = max(len(smaller) + steps, 0)
            self.setValue(smaller[idx] if smaller else value)

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text, pos):
        from PySide6.QtGui import QValidator

        try:
            v = float(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        ok = self.minimum() <= v <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


class ControlsPanel(QWidget):
    configRequested = Signal(object)  # a valid TrainConfig the user asked for

    def __init__(self, state: StateModel, parent=None):
        super().__init__(parent)
        self._state = state
        config = state.config
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        outer.addLayout(form)

        self.hidden = QLineEdit(format_hidden_layers(config.hidden))
        self.hidden.setObjectName("hiddenLayers")
        self.hidden.setPlaceholderText("no hidden layer")
        self.hidden.setToolTip(TIPS["hidden"])
        self.hidden.editingFinished.connect(self._hidden_edited)
        self.hidden.textEdited.connect(self._hidden_typing)
        form.addRow("Hidden layers", self.hidden)
        self.hidden_error = QLabel("")
        self.hidden_error.setObjectName("hiddenLayersError")
        self.hidden_error.setStyleSheet("color: #b34700;")
        self.hidden_error.setWordWrap(True)
        self.hidden_error.hide()
        form.addRow("", self.hidden_error)

        # One −/+ stepper per layer, LAYERS_PER_ROW to a row, so ten layers of 256 still fit the column.
        self.layer_grid = QGridLayout()
        self.layer_grid.setContentsMargins(0, 0, 0, 0)
        self.layer_grid.setHorizontalSpacing(2)
        self.layer_box = QWidget()
        self.layer_box.setObjectName("layerSteppers")
        self.layer_box.setLayout(self.layer_grid)
        form.addRow("", self.layer_box)

        self.learning_rate = LogSpinBox()
        self.learning_rate.setObjectName("learningRate")
        self.learning_rate.setRange(LIMITS.learning_rate.low, LIMITS.learning_rate.high)
        self.learning_rate.setDecimals(6)
        self.learning_rate.setValue(config.learning_rate)
        self.learning_rate.setKeyboardTracking(False)
        self.learning_rate.setToolTip(TIPS["learning_rate"])
        form.addRow("Learning rate", self.learning_rate)

        self.activation = _combo("activation", list(ACTIVATIONS), config.activation)
        form.addRow("Activation", self.activation)
        self.activation.setToolTip(TIPS["activation"])
        self.optimizer = _combo("optimizer", list(OPTIMIZERS), config.optimizer)
        form.addRow("Optimizer", self.optimizer)
        self.optimizer.setToolTip(TIPS["optimizer"])
        self.init = _combo("init", list(INITIALISERS), config.init)
        form.addRow("Initialiser", self.init)
        self.init.setToolTip(TIPS["init"])

        self.batch = QSpinBox()
        self.batch.setObjectName("batchSize")
        self.batch.setRange(int(LIMITS.batch_size.low), int(LIMITS.batch_size.high))
        self.batch.setSpecialValueText("full batch")
        self.batch.setValue(config.batch_size)
        self.batch.setKeyboardTracking(False)
        self.batch.setToolTip(TIPS["batch_size"])
        form.addRow("Batch size", self.batch)

        self.regularization = _combo("regularization", ["none", "L1", "L2"], _reg_kind(config))
        self.reg_rate = LogSpinBox()
        self.reg_rate.setObjectName("regularizationRate")
        self.reg_rate.setRange(1e-5, LIMITS.regularization.high)
        self.reg_rate.setDecimals(6)
        self.reg_rate.setValue(max(config.l1, config.l2) or 0.001)
        self.reg_rate.setKeyboardTracking(False)
        self.regularization.setToolTip(TIPS["regularization"])
        self.reg_rate.setToolTip(TIPS["regularization"])
        self.reg_rate.setEnabled(config.l1 > 0 or config.l2 > 0)
        reg = QHBoxLayout()
        reg.addWidget(self.regularization)
        reg.addWidget(self.reg_rate)
        form.addRow("Regularisation", reg)

        self.test_ratio = QSpinBox()
        self.test_ratio.setObjectName("testRatio")
        self.test_ratio.setRange(round(100 * LIMITS.test_ratio.low), round(100 * LIMITS.test_ratio.high))
        self.test_ratio.setSuffix(" % test")
        self.test_ratio.setValue(round(config.test_ratio * 100))
        self.test_ratio.setKeyboardTracking(False)
        self.test_ratio.setToolTip(TIPS["test_ratio"])
        form.addRow("Split", self.test_ratio)

        self.seed = QSpinBox()
        self.seed.setObjectName("seed")
        self.seed.setRange(int(LIMITS.seed.low), int(LIMITS.seed.high))
        self.seed.setValue(config.seed)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip(TIPS["seed"])
        form.addRow("Seed", self.seed)

        self.max_epochs = QSpinBox()
        self.max_epochs.setObjectName("maxEpochs")
        self.max_epochs.setRange(int(LIMITS.max_epochs.low), int(LIMITS.max_epochs.high))
        self.max_epochs.setSpecialValueText("no limit")
        self.max_epochs.setValue(config.max_epochs)
        self.max_epochs.setKeyboardTracking(False)
        self.max_epochs.setToolTip(TIPS["max_epochs"])
        form.addRow("Epoch limit", self.max_epochs)

        self.output_label = QLabel("")
        self.output_label.setObjectName("outputLabel")
        self.output_label.setWordWrap(True)
        self.output_label.setToolTip(TIPS["output"])
        form.addRow("Output", self.output_label)

        for spin in (
            self.learning_rate,
            self.batch,
            self.reg_rate,
            self.test_ratio,
            self.seed,
            self.max_epochs,
        ):
            spin.valueChanged.connect(self._emit)
        for combo in (self.activation, self.optimizer, self.init, self.regularization):
            combo.currentIndexChanged.connect(self._emit)
        self._steppers: list[QToolButton] = []  # the layer steppers, in Tab order
        self._rebuild_layer_buttons()
        state.configChanged.connect(self.show_config)

    @property
    def config(self) -> TrainConfig:
        """The state's config (this panel keeps none of its own)."""
        return self._state.config

    def show_config(self, config: TrainConfig, _changed=None) -> None:
        """Show ``config`` without emitting a request."""
        widgets = [
            self.learning_rate,
            self.batch,
            self.test_ratio,
            self.seed,
            self.max_epochs,
            self.reg_rate,
            self.activation,
            self.optimizer,
            self.init,
            self.regularization,
        ]
        for w in widgets:
            w.blockSignals(True)
        self.hidden.setText(format_hidden_layers(config.hidden))
        self.learning_rate.setValue(config.learning_rate)
        self.batch.setValue(config.batch_size)
        self.test_ratio.setValue(round(config.test_ratio * 100))
        self.seed.setValue(config.seed)
        self.max_epochs.setValue(config.max_epochs)
        self.activation.setCurrentText(config.activation)
        self.optimizer.setCurrentText(config.optimizer)
        self.init.setCurrentText(config.init)
        self.regularization.setCurrentText(_reg_kind(config))
        if config.l1 or config.l2:
            self.reg_rate.setValue(max(config.l1, config.l2))
        for w in widgets:
            w.blockSignals(False)
        self.reg_rate.setEnabled(config.l1 > 0 or config.l2 > 0)
        self._mark_hidden("")
        self._rebuild_layer_buttons()

    def set_output_text(self, text: str) -> None:
        self.output_label.setText(text)

    # -- hidden layers -------------------------------------------------------------------------

    def _hidden_typing(self, text: str) -> None:
        try:
            parse_hidden_layers(text)
        except ValueError as exc:
            self._mark_hidden(str(exc))
        else:
            self._mark_hidden("")

    def _hidden_edited(self) -> None:
        try:
            hidden = parse_hidden_layers(self.hidden.text())
        except ValueError as exc:
            self._mark_hidden(
                f"{exc}. The network keeps its layers ({format_hidden_layers(self.config.hidden) or 'none'})."
            )
            return
        self._mark_hidden("")
        if hidden != self.config.hidden:
            self._set_hidden(hidden)

    def _mark_hidden(self, message: str) -> None:
        self.hidden.setStyleSheet(ERROR_STYLE if message else "")
        self.hidden.setToolTip(message or TIPS["hidden"])
        self.hidden_error.setText(message)
        self.hidden_error.setVisible(bool(message))

    @property
    def hidden_error_text(self) -> str:
        return self.hidden_error.text()

    def _set_hidden(self, hidden) -> None:
        self.configRequested.emit(self.config.with_changes(hidden=tuple(hidden)))

    def layer_buttons(self) -> list[QToolButton]:
        """The layer steppers in Tab order: − layer, + layer, then each layer's − and +."""
        return self._steppers

    def _rebuild_layer_buttons(self) -> None:
        grid = self.layer_grid
        focused = QApplication.focusWidget()
        was_focused = focused.objectName() if any(b is focused for b in self._steppers) else ""
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget()
            if widget is not None:
                # Off the screen now, not when deleteLater gets round to it: until then the old counts
                # were still drawn under the new ones.
                widget.setObjectName("")  # and no longer findable by name
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        hidden = list(self.config.hidden)
        remove = _tool("− layer", "Remove the last hidden layer", "removeLayer")
        remove.setEnabled(bool(hidden))
        remove.clicked.connect(self._remove_layer)
        add = _tool("+ layer", "Add a hidden layer (a copy of the last one)", "addLayer")
        add.setEnabled(len(hidden) < MAX_HIDDEN_LAYERS)
        add.clicked.connect(self._add_layer)
        grid.addWidget(remove, 0, 0, 1, 3)
        grid.addWidget(add, 0, 4, 1, 3)
        self._steppers = [remove, add]
        width = QLabel().fontMetrics().horizontalAdvance("256") + 8
        for i, size in enumerate(hidden):
            row, col = 1 + i // LAYERS_PER_ROW, 4 * (i % LAYERS_PER_ROW)
            minus = _tool("−", f"One neuron fewer in layer {i + 1}", f"layer{i}Minus")
            minus.setEnabled(size > 1)
            minus.clicked.connect(lambda _=False, i=i: self._resize(i, -1))
            plus = _tool("+", f"One neuron more in layer {i + 1}", f"layer{i}Plus")
            plus.setEnabled(size < MAX_NEURONS)
            plus.clicked.connect(lambda _=False, i=i: self._resize(i, +1))
            count = QLabel(str(size))
            count.setObjectName(f"layer{i}Size")
            count.setToolTip(f"Neurons in hidden layer {i + 1}")
            count.setAlignment(Qt.AlignmentFlag.AlignCenter)
            count.setMinimumWidth(width)  # never under its buttons, even at 256
            grid.addWidget(minus, row, col)
            grid.addWidget(count, row, col + 1)
            grid.addWidget(plus, row, col + 2)
            self._steppers += [minus, plus]
        grid.setColumnStretch(4 * LAYERS_PER_ROW, 1)
        for col in range(3, 4 * LAYERS_PER_ROW, 4):
            grid.setColumnMinimumWidth(col, 6)  # a gap between two layers' steppers
        # New widgets join the end of the window's Tab order: put them back between the layers' text and
        # the learning rate, and keep the keyboard's focus on the stepper it pressed (its old one is gone).
        chain = [self.hidden, *self._steppers, self.learning_rate]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        if was_focused:
            self._refocus(was_focused)

    def _refocus(self, name: str) -> None:
        """Focus the new stepper called ``name``, or its partner when it is disabled now (− at 1 neuron: +)."""
        partner = {"removeLayer": "addLayer", "addLayer": "removeLayer"}.get(name) or (
            name.replace("Minus", "Plus") if name.endswith("Minus") else name.replace("Plus", "Minus")
        )
        by_name = {b.objectName(): b for b in self._steppers}
        for candidate in (by_name.get(name), by_name.get(partner)):
            if candidate is not None and candidate.isEnabled():
                candidate.setFocus(Qt.FocusReason.TabFocusReason)
                return
        self.hidden.setFocus(Qt.FocusReason.TabFocusReason)

    def _remove_layer(self) -> None:
        if self.config.hidden:
            self._set_hidden(self.config.hidden[:-1])

    def _add_layer(self) -> None:
        hidden = self.config.hidden
        if len(hidden) < MAX_HIDDEN_LAYERS:
            self._set_hidden([*hidden, hidden[-1] if hidden else 4])

    def _resize(self, i: int, delta: int) -> None:
        hidden = list(self.config.hidden)
        if i >= len(hidden):
            return
        hidden[i] = min(MAX_NEURONS, max(1, hidden[i] + delta))
        self._set_hidden(hidden)

    # -- everything else -----------------------------------------------------------------------

    def _emit(self, *_) -> None:
        kind = self.regularization.currentText()
        rate = self.reg_rate.value()
        self.reg_rate.setEnabled(kind != "none")
        lr = self.learning_rate.value()
        if not math.isfinite(lr) or lr <= 0:
            return
        config = self.config.with_changes(
            learning_rate=lr,
            activation=self.activation.currentText(),
            optimizer=self.optimizer.currentText(),
            init=self.init.currentText(),
            batch_size=self.batch.value(),
            l1=rate if kind == "L1" else 0.0,
            l2=rate if kind == "L2" else 0.0,
            test_ratio=self.test_ratio.value() / 100.0,
            seed=self.seed.value(),
            max_epochs=self.max_epochs.value(),
        )
        if config != self.config:
            self.configRequested.emit(config)


def _combo(name: str, items: list, current: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItems(items)
    combo.setCurrentText(current)
    return combo


def _tool(text: str, tip: str, name: str) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    b.setObjectName(name)
    b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return b


def _reg_kind(config: TrainConfig) -> str:
    return "L1" if config.l1 else "L2" if config.l2 else "none"
