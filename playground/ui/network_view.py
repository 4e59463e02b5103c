"""The network drawn as layers of neurons, TensorFlow-Playground style, and more.

Each neuron shows a thumbnail of its own output over the input plane (computed in the worker). Links are
drawn with width from the weight's magnitude and colour from its sign. Hovering a neuron or a link shows
its bias or weight and the current gradient; clicking a neuron shows its map large on the canvas; clicking
a link lets you type a new weight. Wide layers show their first neurons and a "+N more" marker, so a
64-neuron layer stays legible. The input column lists all seven input features (``data.features``), each
with its map over the view: the ones the network takes are linked to the first layer, the others faded; a
click asks to switch one on or off (``featureToggled``), as in TensorFlow Playground.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QInputDialog,
)

from ..data.features import FEATURE_NAMES, feature_description, feature_label
from ..training.insight import display_scale
from ..training.palette import CLASS_COLORS, binary_lut

MAX_SHOWN = 10  # neurons drawn per layer; the rest are summarised
NODE = 34  # pixels per neuron thumbnail
COLUMN = 110
ROW = 44
POSITIVE = QColor(*CLASS_COLORS[1])
NEGATIVE = QColor(*CLASS_COLORS[0])
HIGHLIGHT = QColor(20, 20, 20)
FADED = QColor(215, 215, 215)
READABLE = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations  # text keeps its size when fitted small
OFF_OPACITY = 0.3  # an input feature the network does not take


class _Node(QGraphicsPixmapItem):
    def __init__(self, view, layer: int, index: int):
        super().__init__()
        self.view, self.layer, self.index = view, layer, index
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)

    def mousePressEvent(self, event):
        self.view.neuronClicked.emit(self.layer, self.index)
        event.accept()

    def hoverEnterEvent(self, event):
        self.view.set_hovered(("neuron", self.layer, self.index))
        self.setToolTip(self.view.describe_neuron(self.layer, self.index))

    def hoverLeaveEvent(self, event):
        self.view.set_hovered(None)


class _Input(QGraphicsPixmapItem):
    """One input feature: its map, full when the network takes it, faded when not; a click toggles it."""

    def __init__(self, view, name: str):
        super().__init__()
        self.view, self.name = view, name
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        self.setPixmap(_blank())

    @property
    def on(self) -> bool:
        return self.name in self.view.features

    def mousePressEvent(self, event):
        self.view.toggle_feature(self.name)
        event.accept()

    def hoverEnterEvent(self, event):
        self.view.set_hovered(("input", self.name))
        self.setToolTip(self.view.describe_input(self.name))

    def hoverLeaveEvent(self, event):
        self.view.set_hovered(None)


class _Link(QGraphicsLineItem):
    def __init__(self, view, layer: int, i: int, j: int, a: QPointF, b: QPointF):
        super().__init__(a.x(), a.y(), b.x(), b.y())
        self.view, self.layer, self.i, self.j = view, layer, i, j
        self.setAcceptHoverEvents(True)
        self.setZValue(-1)

        path = QPainterPath(a)
        path.lineTo(b)
        stroker = QPainterPathStroker()
        stroker.setWidth(6)
        self._shape = stroker.createStroke(path)  # computed once: Qt asks for it on every repaint and hover
        self._style: tuple | None = None
        self.highlighted = False
        self.mark: tuple | None = None  # (value, width) while a Step-through stage marks this link

    def shape(self):  # a wider target than the hairline, so thin links can be hovered and clicked
        return self._shape

    def set_weight_style(self, positive: bool, width: float) -> None:
        style = (positive, round(width * 4) / 4)  # repaint only when the link visibly changes
        if style != self._style:
            self._style = style
            self._apply_pen()

    def set_highlighted(self, on: bool) -> None:
        """The hovered link is drawn dark and wide above the others, so it can be told apart in a dense net."""
        if on != self.highlighted:
            self.highlighted = on
            self.setZValue(1 if on else -1)
            self._apply_pen()

    def set_mark(self, mark: tuple | None) -> None:
        self.mark = mark

    def refresh_pen(self) -> None:
        self._apply_pen()

    def _apply_pen(self) -> None:
        positive, width = self._style or (True, 1.0)
        if self.highlighted:
            pen = QPen(HIGHLIGHT)
            pen.setWidthF(width + 2.5)
        elif self.view.marks is not None:  # a Step-through stage: its links by value, the rest faded
            if self.mark is None:
                pen = QPen(FADED)
                pen.setWidthF(0.5)
            else:
                value, mark_width = self.mark
                pen = QPen(POSITIVE if value >= 0 else NEGATIVE)
                pen.setWidthF(mark_width)
        else:
            pen = QPen(POSITIVE if positive else NEGATIVE)
            pen.setWidthF(width)
        self.setPen(pen)

    def hoverEnterEvent(self, event):
        self.view.set_hovered(("link", self.layer, self.i, self.j))
        self.setToolTip(self.view.describe_link(self.layer, self.i, self.j))

    def hoverLeaveEvent(self, event):
        self.view.set_hovered(None)

    def mousePressEvent(self, event):
        self.view.edit_link_dialog(self.layer, self.i, self.j)
        event.accept()


class NetworkView(QGraphicsView):
    neuronClicked = Signal(int, int)  # layer (1 = first hidden), neuron
    weightEdited = Signal(int, int, int, float)  # weight layer, row (fan_in = bias), column, value
    readoutChanged = Signal(str)  # what the hovered neuron or link holds now, refreshed as training runs
    featureToggled = Signal(str)  # an input feature clicked: switch it on or off (never the last one off)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("networkView")
        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # items never move: no index to keep
        self.setScene(scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        # The drawing is always fitted to the view, so scroll bars are never needed. With them, fitting can
        # oscillate (fit -> scroll bar appears -> viewport shrinks -> resize -> fit -> scroll bar goes ...)
        # and recurse until the stack overflows.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._lut = binary_lut()
        self._sizes: list[int] = []
        self.features: tuple[str, ...] = ("x1", "x2")  # the inputs the drawn network takes, in row order
        self._inputs: dict[str, _Input] = {}
        self._names: list[tuple] = []
        self._input_labels: list[QGraphicsSimpleTextItem] = []
        self._nodes: dict[tuple[int, int], _Node] = {}
        self._links: dict[tuple[int, int, int], _Link] = {}
        self._blocks = None
        self._grads = None
        self.activation = "tanh"
        self._hovered = None
        self.marks = None  # the Step-through stage shown (step_through.StageMarks), or None
        self._rings: dict[tuple[int, int], QGraphicsRectItem] = {}
        self._base_rect = QRectF()  # the drawing's extent, before room is made for the input names

    # -- structure -------------------------------------------------------------------------------

    def _shown(self, size: int) -> int:
        return min(size, MAX_SHOWN)

    def _rows(self, layer: int) -> int:
        """Rows drawn in a column: every input feature in the input column, up to MAX_SHOWN neurons elsewhere."""
        return len(FEATURE_NAMES) if layer == 0 else self._shown(self._sizes[layer])

    def _position(self, layer: int, index: int) -> QPointF:
        """Where row ``index`` of column ``layer`` sits; in the input column a row is a feature's slot."""
        top = -(self._rows(layer) - 1) * ROW / 2
        return QPointF(layer * COLUMN, top + index * ROW)

    def _source(self, layer: int, i: int) -> QPointF:
        """Where a link from unit ``i`` of layer ``layer`` starts: input ``i`` is the network's i-th feature."""
        return self._position(0, FEATURE_NAMES.index(self.features[i])) if layer == 0 else self._position(layer, i)

    def _rebuild(self, sizes: list[int], features: tuple[str, ...]) -> None:
        scene = self.scene()
        scene.clear()
        self._hovered = None
        self._nodes.clear()
        self._links.clear()
        self._rings.clear()
        self._inputs.clear()
        self._sizes = list(sizes)
        self.features = tuple(features)
        self._names = []  # (label, long text, short text): see _fit
        self._input_labels = []
        for layer in range(len(sizes) - 1):
            for i in range(sizes[0] if layer == 0 else self._shown(sizes[layer])):
                for j in range(self._shown(sizes[layer + 1])):
                    a, b = self._source(layer, i), self._position(layer + 1, j)
                    link = _Link(self, layer, i, j, a, b)
                    scene.addItem(link)
                    self._links[(layer, i, j)] = link
        for slot, name in enumerate(FEATURE_NAMES):
            p = self._position(0, slot)
            item = _Input(self, name)
            item.setOffset(p.x() - NODE / 2, p.y() - NODE / 2)
            item.setOpacity(1.0 if name in self.features else OFF_OPACITY)
            scene.addItem(item)
            self._inputs[name] = item
            text = _label(feature_label(name), QPointF(p.x() - NODE / 2, p.y()), vertical=0.5, horizontal=1.0)
            text.setOpacity(1.0 if name in self.features else 0.5)
            scene.addItem(text)
            self._input_labels.append(text)
        for layer, size in enumerate(sizes):
            if layer == 0:
                continue
            for i in range(self._shown(size)):
                p = self._position(layer, i)
                node = _Node(self, layer, i)
                node.setOffset(p.x() - NODE / 2, p.y() - NODE / 2)
                scene.addItem(node)
                self._nodes[(layer, i)] = node
                ring = QGraphicsRectItem(QRectF(p.x() - NODE / 2 - 3, p.y() - NODE / 2 - 3, NODE + 6, NODE + 6))
                ring.setBrush(QBrush(Qt.BrushStyle.NoBrush))
                ring.setVisible(False)
                ring.setZValue(2)
                scene.addItem(ring)
                self._rings[(layer, i)] = ring
            if size > MAX_SHOWN:
                more = _label(f"+{size - MAX_SHOWN} more", vertical=0.0)
                self._names.append((more, f"+{size - MAX_SHOWN} more", f"+{size - MAX_SHOWN}"))
                more.setToolTip(f"{size - MAX_SHOWN} more neurons in this layer are not drawn")
                bottom = self._position(layer, MAX_SHOWN - 1)
                more.setPos(bottom.x(), bottom.y() + NODE / 2 + 2)
                scene.addItem(more)
        for layer in range(len(sizes)):
            long, short = (
                ("input", "in")
                if layer == 0
                else ("output", "out")
                if layer == len(sizes) - 1
                else (f"layer {layer}", f"L{layer}")
            )
            text = _label(long, vertical=1.0)
            self._names.append((text, long, short))
            top = self._position(layer, 0)
            text.setPos(top.x(), top.y() - NODE / 2 - 4)
            scene.addItem(text)
        # The labels keep their pixel size, so the scene's own bounds do not know how far they reach: leave
        # room for half a label beside the outer columns and a line above and below.
        first, last = self._position(0, 0), self._position(len(sizes) - 1, 0)
        rows = max(self._rows(layer) for layer in range(len(sizes)))
        self._base_rect = QRectF(
            first.x() - 70, -(rows - 1) * ROW / 2 - 60, last.x() - first.x() + 140, (rows - 1) * ROW + 120
        )
        self.setSceneRect(self._base_rect)
        self._fit()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.scene().items():
            self._fit()

    def _fit(self) -> None:
        """Fit the drawing to the view; where columns end up too close for the labels' long names (they
        keep their pixel size), use the short ones ("L1", "+54"), so no two run into each other. The input
        features' names sit left of their maps at their pixel size: the drawing's left margin grows until
        they fit (a few refits: the margin and the scale depend on each other)."""
        rect = self._base_rect
        self.setSceneRect(rect)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self._input_labels:
            first_x = self._position(0, 0).x()
            widest = max(label.boundingRect().width() for label in self._input_labels) + 8
            for _ in range(4):
                scale = self.transform().m11()
                need = NODE / 2 + widest / max(scale, 1e-6)
                if first_x - rect.left() >= need - 0.5:
                    break
                rect = QRectF(first_x - need, rect.top(), rect.right() - (first_x - need), rect.height())
                self.setSceneRect(rect)
                self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        room = COLUMN * self.transform().m11() - 8
        fits = all(QFontMetrics(label.font()).horizontalAdvance(long) <= room for label, long, _ in self._names)
        for label, long, short in self._names:
            _set_text(label, long if fits else short)
        rows_apart = ROW * self.transform().m22()
        for label in self._input_labels:  # too close to tell apart: the boxes' tooltips name them instead
            label.setVisible(rows_apart >= label.boundingRect().height() + 2)

    # -- live data -------------------------------------------------------------------------------

    def update_from(self, snap) -> None:
        if snap.neuron_maps is None or snap.blocks is None:
            return
        features = tuple(getattr(snap, "features", ("x1", "x2")))
        if snap.layer_sizes != self._sizes or features != self.features:
            self._rebuild(snap.layer_sizes, features)
            self._show_marks()
        input_maps = getattr(snap, "input_maps", None)
        if input_maps is not None:
            for slot, name in enumerate(FEATURE_NAMES):
                self._inputs[name].setPixmap(self._thumbnail(input_maps[slot], "sigmoid"))
        self.activation = snap.activation
        self._blocks, self._grads = snap.blocks, snap.grads
        last = len(snap.layer_sizes) - 1
        for (layer, i), node in self._nodes.items():
            values = snap.neuron_maps[layer - 1][i]
            output = "linear" if getattr(snap, "output", "sigmoid") == "linear" else "sigmoid"
            activation = snap.activation if layer < last else output
            node.setPixmap(self._thumbnail(values, activation))
        weights = [b[:-1] for b in snap.blocks]
        biggest = max((float(np.max(np.abs(W))) for W in weights), default=1.0) or 1.0
        for (layer, i, j), link in self._links.items():
            w = float(weights[layer][i, j])
            link.set_weight_style(w > 0, 0.4 + 4.0 * min(1.0, abs(w) / biggest))
        if self._hovered is not None:
            self._refresh_readout()

    def _thumbnail(self, values: np.ndarray, activation: str) -> QPixmap:
        shown = np.clip(display_scale(values, activation), 0.0, 1.0)
        rgb = self._lut[(shown * 255).astype(np.uint8)]
        rgb = np.ascontiguousarray(rgb[::-1])  # row 0 is the lowest y: flip for an image
        h, w, _ = rgb.shape
        image = QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        return QPixmap.fromImage(image).scaled(NODE, NODE)

    # -- a Step-through stage ----------------------------------------------------------------------

    def set_marks(self, marks) -> None:
        """Mark one Step-through stage's neurons (a ring) and links, coloured by the sign of their value and
        sized by its magnitude; other links fade. None: back to the plain view."""
        self.marks = marks
        self._show_marks()
        if self._hovered is not None:
            self._refresh_readout()

    def marked_neurons(self) -> dict:
        """The neurons shown marked now: ``(layer, index) -> (value, ring width)``."""
        return {key: ring.data(0) for key, ring in self._rings.items() if ring.isVisible()}

    def _show_marks(self) -> None:
        marks = self.marks
        neurons = marks.neurons if marks is not None else {}
        links = marks.links if marks is not None else {}
        biggest = max((abs(v) for v in (*neurons.values(), *links.values())), default=0.0) or 1.0
        for key, ring in self._rings.items():
            value = neurons.get(key)
            ring.setVisible(value is not None)
            if value is not None:
                width = 1.5 + 3.5 * min(1.0, abs(value) / biggest)
                pen = QPen(POSITIVE if value >= 0 else NEGATIVE)
                pen.setWidthF(width)
                ring.setPen(pen)
                ring.setData(0, (value, width))
                ring.setToolTip(f"{marks.what} = {value:.4g}")
        for key, link in self._links.items():
            value = links.get(key)
            link.set_mark(None if value is None else (value, 0.8 + 4.2 * min(1.0, abs(value) / biggest)))
            link.refresh_pen()

    # -- reading and editing ---------------------------------------------------------------------

    def set_hovered(self, target) -> None:
        previous, self._hovered = self._hovered, target
        for key in (previous, target):
            if key is not None and key[0] == "link" and key[1:] in self._links:
                self._links[key[1:]].set_highlighted(key is target)
        self._refresh_readout()

    def hovered_link(self):
        """The (layer, i, j) of the highlighted link, or None."""
        return next((key for key, link in self._links.items() if link.highlighted), None)

    def _refresh_readout(self) -> None:
        target = self._hovered
        if target is None:
            text = "Hover a neuron or a link to read it; click a neuron to map it on the canvas."
        elif target[0] == "input":
            text = self.describe_input(target[1])
        elif target[0] == "neuron":
            text = self.describe_neuron(*target[1:])
        else:
            text = self.describe_link(*target[1:])
        self.readoutChanged.emit(text.replace("\n", " · "))

    def describe_input(self, name: str) -> str:
        if name in self.features:
            row = self.features.index(name)
            text = f"input {feature_label(name)}: {feature_description(name)}\nthe network's input {row + 1}"
            if len(self.features) == 1:
                return text + "\nthe only input: switch another on before this one off"
            return text + "\nclick: stop feeding it to the network (resets the weights)"
        text = f"input {feature_label(name)}: {feature_description(name)}\nnot used"
        return text + "\nclick: feed it to the network (resets the weights)"

    def toggle_feature(self, name: str) -> None:
        """A click on an input: ask to switch it on or off. The last input on stays on, and says so."""
        if self.features == (name,):
            self.readoutChanged.emit(f"{feature_label(name)} is the only input: switch another on before this one off.")
            return
        self.featureToggled.emit(name)

    def input_items(self) -> dict:
        """Feature name -> its item in the input column (``opacity() < 1``: the network does not take it)."""
        return self._inputs

    def describe_neuron(self, layer: int, index: int) -> str:
        if self._blocks is None or layer - 1 >= len(self._blocks):
            return ""
        bias = float(self._blocks[layer - 1][-1, index])
        text = f"layer {layer}, neuron {index + 1}\nbias {bias:.4g}"
        if self.marks is not None and (layer, index) in self.marks.neurons:
            text += f"\ntraced {self.marks.what} = {self.marks.neurons[(layer, index)]:.4g}"
        if self._grads is not None:
            text += f"\ngradient {float(self._grads[layer - 1][-1, index]):.3g}"
        return text + "\nclick: show its map on the canvas"

    def describe_link(self, layer: int, i: int, j: int) -> str:
        if self._blocks is None or layer >= len(self._blocks):
            return ""
        w = float(self._blocks[layer][i, j])
        src = f"input {feature_label(self.features[i])}" if layer == 0 else f"layer {layer} neuron {i + 1}"
        dst = "output" if layer == len(self._blocks) - 1 else f"layer {layer + 1} neuron {j + 1}"
        text = f"weight {src} → {dst}: {w:.4g}"
        if self._grads is not None:
            text += f"\ngradient {float(self._grads[layer][i, j]):.3g}"
        return text + "\nclick to type a new value"

    def edit_link_dialog(self, layer: int, i: int, j: int) -> None:
        if self._blocks is None:
            return
        current = float(self._blocks[layer][i, j])
        value, ok = QInputDialog.getDouble(
            self, "Edit weight", self.describe_link(layer, i, j).split("\n")[0], current, -1e6, 1e6, 6
        )
        if ok:
            self.weightEdited.emit(layer, i, j, value)

    def link_items(self):
        return self._links

    def node_items(self):
        return self._nodes


def _blank() -> QPixmap:
    pixmap = QPixmap(NODE, NODE)
    pixmap.fill(QColor(245, 245, 245))
    return pixmap


def _layer_names(layer: int, n_layers: int) -> tuple[str, str]:
    """A column's long and short name."""
    if layer == 0:
        return "input", "in"
    if layer == n_layers - 1:
        return "output", "out"
    return f"layer {layer}", f"L{layer}"


def _set_text(item: QGraphicsSimpleTextItem, text: str) -> None:
    """Change a label's text, keeping it anchored as ``_label`` placed it."""
    if item.text() == text:
        return
    old = item.boundingRect()
    anchor = item.transform()
    fraction_x = -anchor.dx() / old.width() if old.width() else 0.5
    fraction_y = -anchor.dy() / old.height() if old.height() else 1.0
    item.setText(text)
    new = item.boundingRect()
    item.setTransform(QTransform.fromTranslate(-new.width() * fraction_x, -new.height() * fraction_y))


def _label(
    text: str, at: QPointF | None = None, vertical: float = 1.0, horizontal: float = 0.5
) -> QGraphicsSimpleTextItem:
    """A label of fixed pixel size at ``at``: ``vertical`` 1 puts it above the position, 0.5 centres it, 0
    puts it below; ``horizontal`` 0.5 centres it, 1 ends it a few pixels left of the position."""
    item = QGraphicsSimpleTextItem(text)
    item.setFlag(READABLE)
    box = item.boundingRect()
    dx = -box.width() / 2 if horizontal == 0.5 else -box.width() - 3
    item.setTransform(QTransform.fromTranslate(dx, -box.height() * vertical))
    if at is not None:
        item.setPos(at)
    return item
