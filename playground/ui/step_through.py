"""The "Step through" panel: one SGD step of the live network on one point, stage by stage, in numbers.

The stages are forward layer 1 .. L, the loss, backward layer L .. 1 and the update; Previous / Next move
through them and the text shows that stage's formulas with the numbers substituted, while the network view
marks the stage's neurons and links, coloured by value (``stage_marks``). Every number comes from
the frame's ``TraceFrame`` (``nn.trace_step`` on the live network); nothing here computes a gradient. Layers
wider than ``FEW`` show the neurons with the largest values unless "Show all" is ticked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..data.features import feature_label
from ..training.frame import TraceFrame
from ..training.palette import CLASS_NAMES

FEW = 4  # neurons (and terms of a sum) shown before "Show all"
HINT = (
    "Tick Trace (beside Eraser) and click a point on the canvas, or any spot of the plane, to trace one training "
    "step on it (Alt+click does it too)."
)


def _n(v) -> str:
    return f"{float(v):.4g}"


def _p(v) -> str:
    """A number to multiply by: negatives in brackets."""
    return f"({_n(v)})" if float(v) < 0 else _n(v)


def _vec(v) -> str:
    return "[" + ", ".join(_n(x) for x in np.ravel(v)) + "]"


def stage_names(n_layers: int) -> list[str]:
    forward = [f"Forward, layer {i}" + (" (output)" if i == n_layers else "") for i in range(1, n_layers + 1)]
    backward = [f"Backward, layer {i}" + (" (output)" if i == n_layers else "") for i in range(n_layers, 0, -1)]
    return [*forward, "Loss", *backward, "Update"]


def _chosen(values, show_all: bool) -> tuple[list[int], str]:
    """The neurons to show: all, or the ``FEW`` with the largest ``|values|`` (in their order)."""
    n = len(values)
    if show_all or n <= FEW:
        return list(range(n)), ""
    top = sorted(np.argsort(-np.abs(np.asarray(values, dtype=np.float64)), kind="stable")[:FEW].tolist())
    return top, f'(the {FEW} of {n} neurons with the largest |value|; tick "Show all" for every one)'


def stage_text(t: TraceFrame, stage: int, show_all: bool = False) -> str:
    """The plain text of one stage (see ``stage_names``)."""
    s = t.trace
    L = len(s.preactivations)
    if stage < L:
        return _forward(t, stage + 1, show_all)
    if stage == L:
        return _loss(t)
    if stage < 2 * L + 1:
        return _backward(t, 2 * L + 1 - stage, show_all)
    return _update(t, show_all)


@dataclass(frozen=True)
class StageMarks:
    """What the network view marks for one stage: neurons ``(layer, index)`` (layer 1 = first hidden) and
    links ``(weight layer, i, j)`` (weight layer 0 = from the inputs), each with the value it is coloured by."""

    what: str  # the quantity, e.g. "a", "w·a", "δ", "∂L/∂w", "Δw"
    neurons: dict
    links: dict


def stage_marks(t: TraceFrame, stage: int) -> StageMarks:
    """The neurons and links the stage ``stage`` (see ``stage_names``) is about, with their values:
    forward layer l: each neuron's a and each incoming term w·a; loss: the output's error a − y;
    backward layer l: each neuron's δ and each incoming weight's ∂L/∂w; update: every weight's −η·∂L/∂w."""
    s = t.trace
    L = len(s.preactivations)

    def layer_links(layer: int, values: np.ndarray) -> dict:
        return {(layer - 1, i, j): float(values[i, j]) for i in range(values.shape[0]) for j in range(values.shape[1])}

    if stage < L:
        layer = stage + 1
        a_in, a = s.activations[layer - 1], s.activations[layer]
        terms = t.weights[layer - 1] * np.asarray(a_in)[:, None]
        return StageMarks("a", {(layer, j): float(v) for j, v in enumerate(a)}, layer_links(layer, terms))
    if stage == L:
        error = np.asarray(s.output) - np.asarray(s.target)
        return StageMarks("a − y", {(L, j): float(v) for j, v in enumerate(error)}, {})
    if stage < 2 * L + 1:
        layer = 2 * L + 1 - stage
        deltas = {(layer, j): float(v) for j, v in enumerate(s.deltas[layer - 1])}
        return StageMarks("δ", deltas, layer_links(layer, s.dweights[layer - 1]))
    links: dict = {}
    for layer, dW in enumerate(s.dweights, start=1):
        links |= layer_links(layer, -t.learning_rate * dW)
    return StageMarks("Δw", {}, links)


def _input_note(t: TraceFrame) -> str:
    """What the network's input is: the point's x, y, or the features computed from them, named."""
    if tuple(t.features) == ("x1", "x2"):
        return "(the point's x, y)"
    x, y = t.point
    values = ", ".join(f"{feature_label(f)} = {_n(v)}" for f, v in zip(t.features, t.trace.activations[0]))
    return f"(the input features of the point ({_n(x)}, {_n(y)}): {values})"


def _forward(t: TraceFrame, layer: int, show_all: bool) -> str:
    s = t.trace
    L = len(s.preactivations)
    a_in, z, a = s.activations[layer - 1], s.preactivations[layer - 1], s.activations[layer]
    W, b = t.weights[layer - 1], t.biases[layer - 1]
    f = t.output if layer == L else t.activation
    lines = [
        f"Forward, layer {layer} of {L} ({'output' if layer == L else 'hidden'}, {f})",
        "",
        f"inputs a{layer - 1} = {_vec(a_in)}" + (f"  {_input_note(t)}" if layer == 1 else ""),
        f"z = Σ w·a + b,  a = {f}(z)",
        "",
    ]
    shown, note = _chosen(z, show_all)
    if note:
        lines += [note, ""]
    for j in shown:
        if W.shape[0] <= FEW:
            terms = " + ".join(f"({_n(W[i, j])})·({_n(a_in[i])})" for i in range(W.shape[0]))
            lines.append(f"neuron {j + 1}: z = {terms} + ({_n(b[j])}) = {_n(z[j])}")
        else:
            lines.append(f"neuron {j + 1}: z = Σ of {W.shape[0]} terms w·a + ({_n(b[j])}) = {_n(z[j])}")
        if f == "softmax":
            lines.append(f"          a = exp(z{j + 1}) / Σ exp(z) = {_n(a[j])}")
        else:
            lines.append(f"          a = {f}({_n(z[j])}) = {_n(a[j])}")
    return "\n".join(lines)


def _loss(t: TraceFrame) -> str:
    s = t.trace
    out, y = s.output, s.target
    why = "the network's own prediction (no label here)" if t.guessed else "the point's label"
    target = f"value {_n(t.label)}" if t.output == "linear" else class_name(int(t.label))
    lines = ["Loss", "", f"target: {target}, {why};  y = {_vec(y)}", f"output a = {_vec(out)}", ""]
    if t.output == "sigmoid":
        lines.append("L = −[y·ln(a) + (1−y)·ln(1−a)]")
        lines.append(f"  = −[{_n(y[0])}·ln({_n(out[0])}) + {_n(1 - y[0])}·ln({_n(1 - out[0])})]")
    elif t.output == "softmax":
        lines.append(f"L = −ln(a_target) = −ln({_n(out[int(t.label)])})")
    else:
        lines.append("L = ½ Σ (a − y)²")
    lines.append(f"loss = {s.loss:.6g}")
    return "\n".join(lines)


def _backward(t: TraceFrame, layer: int, show_all: bool) -> str:
    s = t.trace
    L = len(s.preactivations)
    delta, a_in = s.deltas[layer - 1], s.activations[layer - 1]
    lines = [f"Backward, layer {layer} of {L}", ""]
    if layer == L:
        lines += ["δ = ∂L/∂z = a − y  (for this output and its loss)", ""]
    else:
        lines += [f"δ = (W{layer + 1} δ{layer + 1}) ⊙ f'(z),  f = {t.activation}", ""]
    shown, note = _chosen(delta, show_all)
    if note:
        lines += [note, ""]
    for j in shown:
        if layer == L:
            lines.append(f"neuron {j + 1}: δ = {_n(s.output[j])} − {_n(s.target[j])} = {_n(delta[j])}")
        else:
            W_next, d_next = t.weights[layer], s.deltas[layer]
            back = float(W_next[j] @ d_next)
            if W_next.shape[1] <= FEW:
                terms = " + ".join(f"({_n(W_next[j, k])})·({_n(d_next[k])})" for k in range(W_next.shape[1]))
            else:
                terms = f"Σ of {W_next.shape[1]} terms w·δ"
            lines.append(f"neuron {j + 1}: W δ = {terms} = {_n(back)}")
            slope = s.slopes[layer - 1][j]
            lines.append(f"          δ = {_n(back)} × f'(z) = {_n(back)} × {_p(slope)} = {_n(delta[j])}")
        grads = ", ".join(f"{_p(a_in[i])}·δ = {_n(s.dweights[layer - 1][i, j])}" for i in _chosen(a_in, show_all)[0])
        lines.append(f"          ∂L/∂w (a{layer - 1}·δ): {grads};  ∂L/∂b = {_n(s.dbiases[layer - 1][j])}")
    return "\n".join(lines)


def _update(t: TraceFrame, show_all: bool) -> str:
    s, lr = t.trace, t.learning_rate
    lines = [
        "Update: one SGD step on this point alone, beside training's next step",
        "",
        f"this point: w ← w − η·∂L/∂w,  b ← b − η·∂L/∂b,  η = {_n(lr)} (the learning rate)",
    ]
    batch = t.batch_step
    points = f"{t.batch_rows:,} point{'s' if t.batch_rows != 1 else ''}"
    if batch is not None and t.batch_fresh:
        lines.append(
            f"next batch: the first step of a branch from this epoch: {t.optimizer} on its first batch of "
            f"{points} (mean gradient, fresh optimizer state: the kept state is the present's)"
        )
    elif batch is not None:
        lines.append(
            f"next batch: what training's next step changes: {t.optimizer} on its next batch of "
            f"{points} (mean gradient, with its state)"
        )
    else:
        lines.append("next batch: shown when paused (too many points to preview while training)")
    lines.append("")
    for layer, (W, b, dW, db) in enumerate(zip(t.weights, t.biases, s.dweights, s.dbiases), start=1):
        lines.append(f"layer {layer}:")
        step = batch[layer - 1] if batch is not None else None
        flat = np.abs(dW).ravel()
        order = range(flat.size) if show_all or flat.size <= FEW else np.argsort(-flat, kind="stable")[:FEW]
        for k in order:
            i, j = divmod(int(k), dW.shape[1])
            new = W[i, j] - lr * dW[i, j]
            line = f"  w[{i + 1}→{j + 1}] = {_n(W[i, j])} − {_n(lr)}×{_p(dW[i, j])} = {_n(new)}"
            if step is not None:
                line += f";  next batch: {_n(W[i, j])} + {_p(step[i, j])} = {_n(W[i, j] + step[i, j])}"
            lines.append(line)
        for j in range(b.size) if show_all or b.size <= FEW else np.argsort(-np.abs(db), kind="stable")[:FEW]:
            line = f"  b[{int(j) + 1}] = {_n(b[j])} − {_n(lr)}×{_p(db[j])} = {_n(b[j] - lr * db[j])}"
            if step is not None:
                line += f";  next batch: {_n(b[j])} + {_p(step[-1, j])} = {_n(b[j] + step[-1, j])}"
            lines.append(line)
        if not show_all and flat.size > FEW:
            lines.append(f"  (the {FEW} largest of {flat.size} weight changes for this point)")
    lines += ["", 'Paused, "Take this step" applies exactly this point\'s step and the boundary moves.']
    return "\n".join(lines)


class StepThroughView(QWidget):
    """The panel. ``takeStep`` asks for the shown step to be applied; ``trace`` is the frame shown."""

    takeStep = Signal()
    marksChanged = Signal(object)  # StageMarks of the stage shown, or None: for the network view

    def sizeHint(self) -> QSize:  # noqa: N802 - a docked panel asks for what a laptop can spare
        return QSize(380, 480)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("stepThroughView")
        self.trace: TraceFrame | None = None
        self.running = False
        layout = QVBoxLayout(self)
        self.title = QLabel(HINT)
        self.title.setWordWrap(True)
        self.stages = QListWidget()
        self.stages.setObjectName("traceStages")
        # About four rows (it scrolls): on a laptop the formulas below need the height more.
        rows = self.stages.fontMetrics().lineSpacing() + 2
        self.stages.setMaximumHeight(4 * rows + 8)
        self.stages.currentRowChanged.connect(lambda _: self._show())
        self.text = QTextBrowser()
        self.text.setObjectName("traceText")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.previous = QPushButton("Previous")
        self.next = QPushButton("Next")
        self.show_all = QCheckBox("Show all")
        self.show_all.setToolTip(f"Show every neuron of wide layers, not only the {FEW} with the largest values")
        self.take = QPushButton("Take this step")
        self.take.setToolTip("Apply exactly the update shown (paused only): the boundary moves")
        self.previous.clicked.connect(lambda: self.move(-1))
        self.next.clicked.connect(lambda: self.move(1))
        self.show_all.toggled.connect(lambda _: self._show())
        self.take.clicked.connect(self.takeStep)
        row = QHBoxLayout()
        for w in (self.previous, self.next, self.show_all):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.take)
        layout.addWidget(self.title)
        layout.addWidget(self.stages)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        self._enable()

    def move(self, by: int) -> None:
        n = self.stages.count()
        if n:
            self.stages.setCurrentRow(min(max(self.stages.currentRow() + by, 0), n - 1))

    def set_running(self, running: bool) -> None:
        self.running = running
        self._enable()

    def clear(self) -> None:
        self.trace = None
        self.stages.clear()
        self.title.setText(HINT)
        self.text.clear()
        self._enable()
        self.marksChanged.emit(None)

    def update_from(self, frame: TraceFrame) -> None:
        self.trace = frame
        names = stage_names(len(frame.trace.preactivations))
        if [self.stages.item(i).text() for i in range(self.stages.count())] != names:
            row = self.stages.currentRow()
            self.stages.blockSignals(True)
            self.stages.clear()
            self.stages.addItems(names)
            self.stages.setCurrentRow(min(max(row, 0), len(names) - 1))
            self.stages.blockSignals(False)
        x, y = frame.point
        name = f"value {frame.label:.3g}" if frame.output == "linear" else class_name(int(frame.label))
        label = f"no label: target = predicted {name}" if frame.guessed else name
        self.title.setText(f"Point ({x:.3g}, {y:.3g}), {label}; epoch {frame.epoch:,}")
        self._show()

    def current_text(self) -> str:
        return self.text.toPlainText()

    def _show(self) -> None:
        if self.trace is not None and self.stages.currentRow() >= 0:
            text = stage_text(self.trace, self.stages.currentRow(), self.show_all.isChecked())
            bar = self.text.verticalScrollBar().value()
            self.text.setPlainText(text)
            self.text.verticalScrollBar().setValue(bar)
            self.marksChanged.emit(stage_marks(self.trace, self.stages.currentRow()))
        self._enable()

    def _enable(self) -> None:
        row, n = self.stages.currentRow(), self.stages.count()
        self.previous.setEnabled(n > 0 and row > 0)
        self.next.setEnabled(n > 0 and row < n - 1)
        self.take.setEnabled(self.trace is not None and not self.running)


def class_name(k: int) -> str:
    """As the rest of the window names classes: by colour, with the index the data uses."""
    return f"{CLASS_NAMES[k]} (class {k})" if 0 <= k < len(CLASS_NAMES) else f"class {k}"
