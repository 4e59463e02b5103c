"""The main window: the composition root. It builds the parts and wires their signals, nothing else.

Settings live in ``StateModel``, points in ``DatasetModel``, training in a child process (``TrainingThread``);
``FramePresenter`` draws frames, ``DrawTool`` the mouse, ``FileActions``/``SessionController`` files."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow

from ..data import MAX_CLASSES, Dataset, make_preset
from ..files import Session
from ..training import TrainConfig, applied_text
from ..training.commands import Apply, NewRun, Pause, Play, Reset, SetBounds, SetData, SetSpeed, Step
from ..training.state import ViewState, sane_bounds
from . import window_setup as setup
from .canvas import Canvas
from .confirm import confirm
from .controls import ControlsPanel
from .data_model import DatasetModel
from .drawing import DrawTool
from .file_actions import FileActions, dropped_path
from .icon import app_icon
from .insight_panels import InsightPanels
from .loss_plot import LossPlot
from .menus import ShareActions, add_menus, window_menus
from .panels import DataPanel, Notices, ProgressPanel, StatusLine, TrainingButtons, main_layout, titled
from .presenter import FramePresenter
from .presets import PresetActions
from .rewind_view import RewindView
from .session_controller import SessionController
from .state_model import StateModel
from .training_thread import TrainingThread

DEFAULT_PRESET = "xor"
STATUS_MS = 8000  # how long a status-bar message stays


class MainWindow(QMainWindow):
    def __init__(self, dataset: Dataset | None = None, config: TrainConfig | None = None, home=None):
        super().__init__()
        self.setWindowTitle("Neural-network playground")
        self.setWindowIcon(app_icon())
        setup.fit_to_screen(self, self.screen().availableGeometry())
        self.setAcceptDrops(True)
        self.state = StateModel(config or TrainConfig(), ViewState())
        self.model = DatasetModel(dataset if dataset is not None else make_preset(DEFAULT_PRESET, 500, 0.0, seed=0))
        self.thread = TrainingThread(self.model.dataset, self.state.config, self.state.view.bounds, self)
        self._build()
        self.insight = InsightPanels(self, self.thread, self.state, self.notify, self.canvas, self.timeline)
        self.default_layout = self.saveState()  # what View → Reset layout goes back to
        self.sessions = SessionController(self.thread, self.model, self.state, lambda: self.is_training, home)
        self.files = FileActions(self, self.model, self.sessions, self.restore_session, self.notify, self.show_problem)
        self.draw = DrawTool(self.model, self.state, self, trace=self.insight.trace_point)
        self.presets = PresetActions(self.thread, self.model, self.state, self.notify, self)
        if dataset is None:
            self.presets.remember(DEFAULT_PRESET, self.model.dataset)
        parts = (self.canvas, self.loss_plot, self.progress, self.notices, self.buttons, self.controls, self.insight)
        self.presenter = FramePresenter(self.thread, self.state, *parts, self.status_line)
        self.share = ShareActions.for_window(self)  # Export → Python script, Copy / Paste settings
        self.actions = add_menus(self.menuBar(), window_menus(self))
        setup.keyboard_manners(self)  # Tab order, tables Tab leaves, a focus frame where none is drawn
        self._wire()
        setup.quiet_exit(self)  # a script that returns without closing the window exits quietly
        self.thread.start()
        self.insight.send_views()
        self._show_points()

    @property
    def dataset(self) -> Dataset:
        return self.model.dataset

    @property
    def config(self) -> TrainConfig:
        return self.state.config

    @property
    def epoch(self) -> int:
        return self.presenter.epoch

    @property
    def is_training(self) -> bool:
        return self.presenter.running

    def open_path(self, path) -> bool:
        return self.files.open_path(path)

    def save_session_to(self, path) -> None:
        self.files.save_session_to(path)

    def apply_config(self, config: TrainConfig) -> None:
        """Use these settings (the controls show them; the training thread applies them)."""
        self.state.set_config(config)

    def restore_session(self, session: Session) -> None:
        """Bring back a session exactly (data as one undoable step): training gets it all in one command first."""
        self.thread.send(session.as_load())
        self.model.replace(session.dataset, "open session")
        self.state.set_config(session.config)
        if session.view is not None:
            self.state.set_view(session.view)
            self.canvas.show_bounds(session.view.bounds)

    def new_session(self) -> None:
        """Start afresh: empty canvas and new weights (one undo brings the points back)."""
        self.thread.send(NewRun(Dataset(), self.state.config))
        self.model.replace(Dataset(), "new session")
        self.files.session_path = None
        self.notify("New session. Undo (Ctrl+Z) brings the previous points back.")

    def show_problem(self, message: str) -> None:
        """A problem the user must see (file errors, failed saves): it stays until dismissed; never modal."""
        self.notices.show_problem(message)
        self.statusBar().showMessage(message, 2 * STATUS_MS)

    def notify(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MS)

    def toggle_training(self) -> None:
        self.thread.send(Pause() if self.is_training else Play())

    def start_training(self) -> None:
        self.thread.send(Play())

    def pause_training(self) -> None:
        self.thread.send(Pause())

    def shutdown(self) -> None:
        """Stop the training thread and finish pending writes: safe to call twice."""
        was_running = self.thread.alive
        self.presenter.stop()
        self.thread.stop()
        if was_running:
            self.sessions.save_on_quit()  # answers pending saves, asks if the autosave fails
            self.sessions.remember_layout(self.saveState())
            self.sessions.remember_settings(self.saveGeometry())
        self.sessions.flush()

    def _build(self) -> None:
        self.canvas = Canvas()
        self.loss_plot = LossPlot()
        self.controls = ControlsPanel(self.state)
        self.buttons = TrainingButtons()
        self.progress = ProgressPanel()
        self.notices = Notices()
        self.notices.attach_to(self.canvas)  # floats over the canvas: a notice never moves a control
        self.data_panel = DataPanel(self.state.view)
        self.network_box = titled("Network", self.controls)
        column = (self.buttons, self.progress, self.data_panel, self.network_box)
        self.timeline = RewindView()  # under the loss plot: drag to see the run as it was
        self.timeline.markerChanged.connect(self.loss_plot.set_marker)
        self.setCentralWidget(main_layout(column, self.canvas, self.loss_plot, self.timeline))
        self.status_line = StatusLine()
        self.statusBar().addPermanentWidget(self.status_line)  # the run's state; messages show beside it
        setup.add_view_actions(self)  # log epoch axis, presenter mode

    def reset_layout(self) -> None:
        self.restoreState(self.default_layout)

    def restore_layout(self) -> None:
        """The docks as the user left them (the window's size is restored separately)."""
        self.restoreState(self.sessions.remembered_layout() or self.default_layout)

    def show_shortcuts(self) -> None:
        self.shortcuts = setup.ShortcutsDialog(self)
        self.shortcuts.show()

    keyPressEvent = setup.key_press  # Space trains or pauses, Enter presses the focused button
    focusNextPrevChild = setup.focus_next_shown  # Tab skips what cannot be seen (a panel behind a tab)

    def _wire(self) -> None:
        b, d, t = self.buttons, self.data_panel, self.thread
        b.train.clicked.connect(self.toggle_training)
        b.step.clicked.connect(lambda: t.send(Step()))
        b.epochsRequested.connect(lambda n: t.send(Step(n)))
        b.speedRequested.connect(lambda speed: t.send(SetSpeed(speed)))
        b.reset.clicked.connect(lambda: confirm(self, "reset", lambda: t.send(Reset())))
        b.new_seed.clicked.connect(lambda: confirm(self, "new_seed", lambda: self.apply_config(self.state.next_seed())))
        self.controls.configRequested.connect(self.apply_config)
        self.state.configChanged.connect(self._config_changed)
        self.state.viewChanged.connect(self._view_changed)
        self.model.changed.connect(self._data_changed)
        t.frame.connect(self.presenter.on_frame)
        t.failed.connect(self.show_problem)
        self.draw.attach(self.canvas.view_box)
        self.canvas.viewChanged.connect(self._canvas_moved)
        d.presetRequested.connect(self.presets.load)
        d.viewRequested.connect(lambda changes: self.state.update_view(**changes))
        d.suggest.clicked.connect(self.presets.suggest)
        d.undo.clicked.connect(self.model.undo)
        d.redo.clicked.connect(self.model.redo)
        d.clear.clicked.connect(self.model.clear)
        self.sessions.saved.connect(lambda path: self.notify(f"Saved {path}"))
        self.sessions.failed.connect(self.show_problem)
        keys = {str(k + 1): lambda k=k: self.state.update_view(current_class=k) for k in range(MAX_CLASSES)}
        for key, slot in [("Escape", lambda: self.insight.toggle_focus(-1, -1)), *keys.items()]:
            QShortcut(QKeySequence(key), self).activated.connect(slot)

    @Slot(object, object)
    def _config_changed(self, config: TrainConfig, changed: frozenset) -> None:
        self.thread.send(Apply(config))
        if text := applied_text(config, changed):  # a reset is told by the training process instead
            self.notify(text)
        if changed & {"seed", "test_ratio"}:
            self._show_points()  # the split follows the seed and the test ratio
        self.sessions.schedule_autosave()

    @Slot(object, object)
    def _view_changed(self, view: ViewState, changed: frozenset) -> None:
        self.data_panel.show_view(view)
        if "log_scale" in changed:
            self.loss_plot.set_log(view.log_scale)
        if "discretize" in changed:
            self.canvas.redraw_surface(view.discretize)
        if "bounds" in changed:
            self.thread.send(SetBounds(view.bounds))
        if "show_test" in changed:
            self._show_points()

    @Slot(object)
    def _data_changed(self, ds: Dataset) -> None:
        self.thread.send(SetData(ds))
        self._show_points()
        self.sessions.schedule_autosave()

    @Slot(tuple)
    def _canvas_moved(self, bounds: tuple) -> None:
        if sane_bounds(bounds):
            self.state.update_view(bounds=tuple(bounds))

    def _show_points(self, *_) -> None:
        ds, history = self.dataset, self.model.history
        self.data_panel.show_preset(self.presets.loaded_name(ds))
        self.canvas.set_points(ds.X, ds.y, self.state.test_mask(ds), self.state.view.show_test)
        self.data_panel.show_data(ds, history.undo_label(), history.redo_label())

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def dragEnterEvent(self, event) -> None:
        if dropped_path(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = dropped_path(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.files.open_path(path, ask=True)  # a session asks before it replaces a trained run
