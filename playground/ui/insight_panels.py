"""The "look inside" panels as dock widgets, and what they ask of the worker.

Each panel costs work only while it is visible: the window tells the worker which extras to compute
(``worker.Views``) whenever a panel is shown or hidden, or its choices change.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from .insight_views import HealthView, HiddenSpaceView, RunsView
from .network_view import NetworkView
from .worker import Command, Views


class InsightPanels(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.network = NetworkView()
        self.hidden = HiddenSpaceView()
        self.health = HealthView()
        self.runs = RunsView()
        self.focus: tuple | None = None
        self._pending: dict = {}  # panel -> (snapshot, config) waiting to be drawn
        self.docks = {}
        for key, title, widget in (
            ("network", "Network", self.network),
            ("health", "Gradients && health", self.health),
            ("hidden", "Hidden space", self.hidden),
            ("runs", "Runs", self.runs),
        ):
            dock = QDockWidget(title.replace("&&", "&"), window)
            dock.setObjectName(f"{key}Dock")
            if key == "network":
                widget = self._with_readout(widget)
            dock.setWidget(widget)
            # The network sits beside the canvas; the others below, side by side, so all can be open at once.
            area = Qt.DockWidgetArea.RightDockWidgetArea if key == "network" else Qt.DockWidgetArea.BottomDockWidgetArea
            window.addDockWidget(area, dock)
            self.docks[key] = dock
        window.splitDockWidget(self.docks["health"], self.docks["hidden"], Qt.Orientation.Horizontal)
        window.splitDockWidget(self.docks["hidden"], self.docks["runs"], Qt.Orientation.Horizontal)
        self.network.setMinimumWidth(300)
        view_menu = window.menuBar().addMenu("&View")
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
            dock.visibilityChanged.connect(self.send_views)
        for key in ("hidden", "runs", "health"):
            self.docks[key].hide()
        self.network.neuronClicked.connect(self.toggle_focus)
        self.network.weightEdited.connect(self.set_weight)
        self.hidden.choiceChanged.connect(self.send_views)
        self.runs.sweepRequested.connect(self._sweep)
        self.runs.sweep_button.clicked.connect(lambda: self.runs.request_sweep(self.window.config))
        escape = QShortcut(QKeySequence("Escape"), window)
        escape.activated.connect(lambda: self.toggle_focus(-1, -1))

    def _with_readout(self, view) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view, 1)
        self.readout = QLabel("Hover a neuron or a link to read it; click a neuron to map it on the canvas.")
        self.readout.setObjectName("networkReadout")
        self.readout.setWordWrap(True)
        layout.addWidget(self.readout)
        view.readoutChanged.connect(self.readout.setText)
        return box

    def show_all(self) -> None:
        for dock in self.docks.values():
            dock.show()
        self.send_views()

    @Slot()
    def send_views(self, *_) -> None:
        window = self.window
        if window.worker is None:
            return
        views = Views(
            network=self.docks["network"].isVisible(),
            health=self.docks["health"].isVisible(),
            hidden=self.hidden.choice() if self.docks["hidden"].isVisible() else None,
            focus=self.focus,
        )
        window.worker.send(Command.VIEWS, views)

    @Slot(int, int)
    def toggle_focus(self, layer: int, neuron: int) -> None:
        """Show a neuron's map on the canvas; the same neuron again (or Esc) goes back to the output."""
        target = (layer, neuron) if layer >= 1 else None
        self.focus = None if target == self.focus else target
        bar = self.window.statusBar()
        if self.focus is None:
            bar.showMessage("The canvas shows the network's output.", 4000)
        else:
            bar.showMessage(
                f"The canvas shows layer {layer}, neuron {neuron + 1}. Click it again or press Esc to see the output."
            )
        self.send_views()

    @Slot(int, int, int, float)
    def set_weight(self, layer: int, row: int, col: int, value: float) -> None:
        self.window.worker.send(Command.SET_PARAM, (layer, row, col, value))
        self.window.statusBar().showMessage(f"Weight set to {value:g}.", 4000)

    def _sweep(self, runs, epochs) -> None:
        self.window.worker.send(Command.SWEEP, (runs, epochs))
        self.window.statusBar().showMessage(f"Sweeping {len(runs)} runs of {epochs} epochs…")

    def update_from(self, snap, config) -> None:
        """Take the open panels' data from a snapshot (the worker attaches it about eight times a second
        while training) and redraw one panel per frame, so no single frame pays for all of them."""
        if snap.layer_sizes:
            self.hidden.set_layers(snap.layer_sizes)
        if snap.neuron_maps is not None and self.docks["network"].isVisible():
            self._pending["network"] = (snap, config)
        if snap.layer_stats is not None and self.docks["health"].isVisible():
            self._pending["health"] = (snap, config)
        if snap.hidden_mesh is not None and self.docks["hidden"].isVisible():
            self._pending["hidden"] = (snap, config)
        self.redraw_one()
        if not snap.running:  # paused or stepped: show everything now
            while self._pending:
                self.redraw_one()

    def redraw_one(self) -> None:
        if not self._pending:
            return
        key = next(iter(self._pending))
        snap, config = self._pending.pop(key)
        if key == "network":
            self.network.update_from(snap)
        elif key == "health":
            m = snap.metrics
            self.health.update_from(snap, config, m.train_loss if m else float("nan"))
        else:
            self.hidden.update_from(snap)
