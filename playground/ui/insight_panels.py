"""The "look inside" panels as dock widgets, and what they ask of the training thread.

Each panel costs work only while it is visible: the panels tell the training thread which extras to compute
(``commands.Views``) whenever a panel is shown or hidden, or its choices change.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabBar, QTabWidget, QVBoxLayout, QWidget

from ..data.features import toggled
from ..training.commands import (
    BranchFrom,
    ComputeLandscape,
    DeleteRuns,
    JumpInLandscape,
    SetTrace,
    SetWeight,
    ShowLandscape,
    ShowMoment,
    Sweep,
    TakeTraceStep,
    Views,
)
from ..training.frame import Frame
from .confusion_view import ConfusionMarks, ConfusionView
from .health_view import HealthView
from .insight_views import HiddenSpaceView, RunsView
from .landscape_view import LandscapeView
from .network_view import NetworkView
from .state_model import StateModel
from .step_through import StepThroughView, class_name
from .training_thread import TrainingThread

READOUT_HINT = "Hover a neuron or a link to read it; click a neuron to map it on the canvas."


DOCK_WIDTH = 420  # the panels' side, at most, when the window is wide enough (a third of it otherwise)


class InsightPanels(QObject):
    def __init__(self, window: QMainWindow, thread: TrainingThread, state: StateModel, notify, canvas, timeline):
        """``notify(text)`` shows a short message; the canvas says what it shows (``set_caption``) and
        carries the confusion panel's marks; ``timeline`` (a ``RewindView`` under the loss plot) asks for
        earlier moments and branches."""
        super().__init__(window)
        self.thread = thread
        self.state = state
        self.notify = notify
        self.caption = canvas.set_caption
        self.network = NetworkView()
        self.hidden = HiddenSpaceView()
        self.health = HealthView()
        self.runs = RunsView()
        self.confusion = ConfusionView()
        self.marks = ConfusionMarks(self.confusion, canvas)
        self.step = StepThroughView()
        self.landscape = LandscapeView()
        self.rewind = timeline  # under the loss plot, not a dock: it moves the whole window
        self._landscape_open = False
        self.detached = False  # see detach
        self.focus: tuple | None = None
        self._pending: dict = {}  # panel -> sub-frame waiting to be drawn
        self.docks: dict[str, QDockWidget] = {}
        for n, (key, title, widget) in enumerate(
            (
                ("network", "Network", self.network),
                ("health", "Gradients & health", self.health),
                ("hidden", "Hidden space", self.hidden),
                ("runs", "Runs", self.runs),
                ("confusion", "Confusion", self.confusion),
                ("step", "Step through", self.step),
                ("landscape", "Loss landscape", self.landscape),
            ),
            start=1,
        ):
            dock = QDockWidget(title.replace("&", "&&"), window)  # a literal &, not a mnemonic
            dock.setObjectName(f"{key}Dock")
            dock.toggleViewAction().setText(title.replace("&", "&&"))  # a literal &, not a mnemonic
            dock.toggleViewAction().setShortcut(QKeySequence(f"Ctrl+{n}"))
            dock.setWidget(self._with_readout(widget) if key == "network" else widget)
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            # Shown from the View menu, a panel comes to the front of its tab group.
            dock.toggleViewAction().triggered.connect(lambda on, d=dock: d.raise_() if on else None)
            self.docks[key] = dock
        # All seven share the right side as tabs: each gets the full height, even on a laptop screen. The tabs
        # stand along the window's right edge, where all seven titles fit whole at 768 px (over the panels,
        # at 1366 px, they were cut to "N…", "Gradien…").
        window.setTabPosition(Qt.DockWidgetArea.RightDockWidgetArea, QTabWidget.TabPosition.East)
        for key in ("health", "hidden", "runs", "confusion", "step", "landscape"):
            window.tabifyDockWidget(self.docks["network"], self.docks[key])
        self.network.setMinimumWidth(260)
        for key in ("hidden", "runs", "health", "confusion", "step", "landscape"):
            self.docks[key].hide()
        self.docks["network"].raise_()
        for dock in self.docks.values():
            dock.visibilityChanged.connect(self.send_views)
            dock.visibilityChanged.connect(self.whole_titles)
            dock.visibilityChanged.connect(self._panel_shown)
        self.network.neuronClicked.connect(self.toggle_focus)
        self.network.weightEdited.connect(self.set_weight)
        self.network.featureToggled.connect(
            lambda f: state.set_config(state.config.with_changes(features=toggled(state.config.features, f)))
        )
        self.hidden.choiceChanged.connect(self.send_views)
        self.marks.wantedChanged.connect(self.send_views)
        self.step.takeStep.connect(self.take_trace_step)
        self.step.marksChanged.connect(self.mark_stage)  # the network view marks the stage shown
        self.docks["step"].visibilityChanged.connect(lambda shown: shown or self.network.set_marks(None))
        self.landscape.computeRequested.connect(self.compute_landscape)
        self.landscape.jumpRequested.connect(self.jump_in_landscape)
        self.rewind.momentRequested.connect(self.show_moment)
        self.rewind.branchRequested.connect(self.branch_from)
        self.runs.sweepRequested.connect(self._sweep)
        self.runs.deleteRequested.connect(lambda runs: self.thread.send(DeleteRuns(runs)))
        self.runs.applyRequested.connect(state.set_config)
        self.runs.sweep_button.clicked.connect(lambda: self.runs.request_sweep(self.state.config))

    def _with_readout(self, view) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view, 1)
        self.readout = QLabel(READOUT_HINT)
        self.readout.setObjectName("networkReadout")
        self.readout.setWordWrap(True)
        layout.addWidget(self.readout)
        view.readoutChanged.connect(self.readout.setText)
        return box

    @Slot()
    def whole_titles(self, *_) -> None:
        """Tabs never cut a panel's title short: where they do not all fit, the tab bar scrolls instead. (Qt
        makes a dock area's tab bar when panels join, so this runs whenever one is shown or hidden.)"""
        for bar in self.parent().findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not shiboken6.isValid(bar):  # the window being destroyed: its panels hide as they go
                continue
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)

    def toggle_actions(self) -> list:
        return [dock.toggleViewAction() for dock in self.docks.values()]

    def show_all(self) -> None:
        for dock in self.docks.values():
            dock.show()
        self.fit_width()
        self.send_views()

    def _panel_shown(self, visible: bool) -> None:
        """With a second panel open, the side takes the width every panel fits in, once (see ``fit_width``);
        the Network panel alone keeps its narrower side, and so the canvas its room."""
        if visible and sum(dock.toggleViewAction().isChecked() for dock in self.docks.values()) > 1:
            self.fit_width(only_if_narrow=True)

    def fit_width(self, only_if_narrow: bool = False) -> None:
        """Give the panels' side about a third of the window, and at least what the widest of ALL the panels
        needs (not only the open ones: else each panel opened later widens the side to its own minimum, and the
        canvas shrinks at every new tab), so the canvas keeps the rest. ``only_if_narrow``: only when the side
        is narrower than that (a panel was just shown), leaving a side the user widened alone."""
        window = self.parent()
        shown = [dock for dock in self.docks.values() if dock.isVisible() and not dock.isFloating()]
        if shown:
            need = max(dock.minimumSizeHint().width() for dock in self.docks.values())
            if only_if_narrow and shown[0].width() >= need:
                return
            width = max(need, min(DOCK_WIDTH, window.width() * 3 // 10))
            window.resizeDocks(shown[:1], [width], Qt.Orientation.Horizontal)

    def detach(self) -> None:
        """The window is going for good: no panel handler runs again (as the window is destroyed its panels
        hide, and their handlers would draw on items deleted before them)."""
        self.detached = True
        for dock in self.docks.values():
            dock.blockSignals(True)

    @Slot()
    def send_views(self, *_) -> None:
        if self.detached:
            return
        confusion_open = self.docks["confusion"].isVisible()
        views = Views(
            network=self.docks["network"].isVisible(),
            health=self.docks["health"].isVisible(),
            hidden=self.hidden.choice() if self.docks["hidden"].isVisible() else None,
            focus=self.focus,
            confusion=confusion_open or self.marks.wanted,
            trace=self.docks["step"].isVisible(),
        )
        if not views.confusion:
            self.marks.stop()
        elif not confusion_open:
            self.confusion.clear_choice()  # no rings the closed panel cannot explain
        self.thread.send(views)
        landscape_open = self.docks["landscape"].isVisible()
        if landscape_open != self._landscape_open:
            self._landscape_open = landscape_open
            self.thread.send(ShowLandscape(landscape_open))

    @Slot(int, int)
    def toggle_focus(self, layer: int, neuron: int) -> None:
        """Show a neuron's map on the canvas; the same neuron again (or Esc) goes back to the output."""
        target = (layer, neuron) if layer >= 1 else None
        self.focus = None if target == self.focus else target
        if self.focus is None:
            self.notify("The canvas shows the network's output.")
            self.caption("")
        else:
            self.notify(
                f"The canvas shows layer {layer}, neuron {neuron + 1}. Click it again or press Esc to see the output."
            )
            self.caption(f"Showing layer {layer}, neuron {neuron + 1}, not the output (Esc: back to the output)")
        self.send_views()

    @Slot(int, int, int, float)
    def set_weight(self, layer: int, row: int, col: int, value: float) -> None:
        self.thread.send(SetWeight(layer, row, col, value))
        self.notify(f"Weight set to {value:g}.")

    def trace_point(self, point: tuple[float, float], label: int | None) -> None:
        """Trace one step on this point (a data point's class, or None for a spot of the plane): Alt+click."""
        self.thread.send(SetTrace(point, label))
        dock, network = self.docks["step"], self.docks["network"]
        window = self.parent()
        # The network view marks each stage's neurons and links: show it beside the panel, not behind it.
        network.show()
        dock.show()
        if network in window.tabifiedDockWidgets(dock):  # below the tabs instead (a split joins the tabs)
            window.removeDockWidget(dock)
            window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock, Qt.Orientation.Vertical)
            dock.show()
            height = network.height() + dock.height()  # the formulas get the larger share
            window.resizeDocks([network, dock], [height * 2 // 5, height * 3 // 5], Qt.Orientation.Vertical)
        network.raise_()
        dock.raise_()
        self.fit_width()
        self.send_views()
        if label is None:
            where = "this spot (target: what the network predicts there)"
        elif isinstance(label, float):  # a regression: the point's value
            where = f"this point of value {label:+.3g}"
        else:
            where = f"this {class_name(label)} point"
        self.notify(f"Step through: tracing one training step on {where}.")

    @Slot(object)
    def mark_stage(self, marks) -> None:
        self.network.set_marks(marks if self.docks["step"].isVisible() else None)

    def take_trace_step(self) -> None:
        self.thread.send(TakeTraceStep())
        self.notify("Took the shown step on the traced point.")

    @Slot(str)
    def compute_landscape(self, method: str) -> None:
        self.thread.send(ComputeLandscape(method))
        self.notify("Computing the loss landscape around the current weights…")

    @Slot(int, float, float)
    def jump_in_landscape(self, uid: int, alpha: float, beta: float) -> None:
        self.thread.send(JumpInLandscape(uid, alpha, beta))

    @Slot(object, int)
    def show_moment(self, epoch, ask: int) -> None:
        self.thread.send(ShowMoment(epoch, ask))

    @Slot(int)
    def branch_from(self, epoch: int) -> None:
        self.thread.send(BranchFrom(epoch))
        self.notify(f"Branching: a new run from epoch {epoch:,} (the current run is kept in Runs).")

    def _sweep(self, runs, epochs) -> None:
        self.thread.send(Sweep(tuple(runs), epochs))
        self.notify(f"Sweeping {len(runs)} runs of {epochs} epochs…")

    def update_from(self, frame: Frame, redraw: bool = True) -> None:
        """Take the open panels' data from a frame (the training thread attaches it about eight times a
        second while training) and redraw one panel per frame, so no single frame pays for all of them."""
        self.hidden.set_layers(list(frame.status.layer_sizes))
        self.marks.set_regression(frame.status.regression)  # no "Mark misclassified" without classes
        if frame.runs is not None:
            self.runs.set_runs(frame.runs)
        if frame.confusion is not None:
            self.marks.update_from(frame.confusion)  # a few small tables and two overlays: drawn at once
        if frame.fit is not None:
            self.marks.update_fit(frame.fit)  # a regression: predicted against true values
        self.step.set_running(frame.status.running)
        self.rewind.update_from(frame.status)  # the timeline's end follows the run, open or not
        if frame.trace is not None:
            self.step.update_from(frame.trace)  # a little text: drawn at once
        if frame.landscape is not None and self.docks["landscape"].isVisible():
            self.landscape.update_from(frame.landscape)  # a 41 x 41 image and a path: drawn at once
        for key, sub in (("network", frame.network), ("health", frame.health), ("hidden", frame.hidden)):
            if sub is not None and self.docks[key].isVisible():
                self._pending[key] = sub
        if redraw:
            self.redraw_one()
        if not frame.status.running:  # paused or stepped: show everything now
            while self._pending:
                self.redraw_one()

    def redraw_one(self) -> None:
        if not self._pending:
            return
        key = next(iter(self._pending))
        sub = self._pending.pop(key)
        {"network": self.network, "health": self.health, "hidden": self.hidden}[key].update_from(sub)
