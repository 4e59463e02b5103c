"""The main window: the composition root. It builds the widgets and wires signals; the dataset lives in
``DatasetModel``, training in ``TrainingWorker`` (its own thread), the maths in ``playground.nn``."""

from __future__ import annotations

import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, QThread, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..data import MAX_CLASSES, Dataset, DatasetError, make_preset, read_csv, save_csv
from ..data.csvfile import atomic_write
from ..data.presets import PRESETS
from ..training import TrainConfig
from ..training.runs import RunRecord, thin_curve
from ..training.session import SessionError
from .canvas import Canvas
from .controls import ControlsPanel
from .data_model import DatasetModel
from .icon import app_icon
from .insight_panels import InsightPanels
from .loss_plot import LossPlot
from .palette import CLASS_COLORS, CLASS_NAMES
from .pictures import plot_png
from .session_controller import SessionController
from .suggest import suggested_config
from .worker import Command, Snapshot, TrainingWorker

FRAME_MS = 15  # the redraw timer looks for a new snapshot at ~60 Hz; snapshots come at most 30 times a second
DEFAULT_PRESET = "xor"


class MainWindow(QMainWindow):
    def __init__(self, dataset: Dataset | None = None, config: TrainConfig | None = None, home=None):
        super().__init__()
        self.setWindowTitle("Neural-network playground")
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self.setAcceptDrops(True)
        if dataset is None:
            dataset = make_preset(DEFAULT_PRESET, 500, 0.0, seed=0)
        self.model = DatasetModel(dataset)
        self._config = config or TrainConfig()
        self.current_class = 0
        self.eraser = False
        self._epoch = 0
        self._running = False
        self._latest: Snapshot | None = None
        self._drawn: Snapshot | None = None
        self._run_id = None
        self._run_config = self._config
        self._run_seconds = 0.0
        self._last_draw_time = 0.0
        self._frames = 0
        self._run_result = None  # (epoch, metrics) of the run being shown, for the Runs panel
        self._pending_history = None  # a restored session's loss curve, shown with its first snapshot
        self._notice_sticky = False  # a divergence/problem notice stays until the next run
        self._preset_origin: str | None = None  # the preset the data came from, for suggested settings
        self._session_path: str | None = None  # where Save writes without asking
        self.thread: QThread | None = None
        self.worker: TrainingWorker | None = None
        self._build()
        self.insight = InsightPanels(self)
        self.sessions = SessionController(self, home)
        self._wire()
        self._start_worker()
        self._points_changed(self.model.dataset)
        self._rebuild_recent_menu()

    # -- public contract -----------------------------------------------------------------------

    @property
    def dataset(self) -> Dataset:
        return self.model.dataset

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def is_training(self) -> bool:
        return self._running

    @property
    def config(self) -> TrainConfig:
        return self.controls.config

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.canvas = Canvas()
        self.loss_plot = LossPlot()
        self.controls = ControlsPanel(self._config)

        self.train_button = QPushButton("Train")
        self.train_button.setObjectName("trainButton")
        self.train_button.setToolTip("Start or pause training (Space)")
        self.step_button = QPushButton("Step")
        self.step_button.setObjectName("stepButton")
        self.step_button.setToolTip("Train one epoch")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("resetButton")
        self.reset_button.setToolTip("New weights from the same seed: a reset is reproducible")
        self.new_seed_button = QPushButton("New seed")
        self.new_seed_button.setObjectName("newSeedButton")
        self.new_seed_button.setToolTip("Reset with the next seed")
        buttons = QHBoxLayout()
        for b in (self.train_button, self.step_button, self.reset_button, self.new_seed_button):
            buttons.addWidget(b)

        stats = QGroupBox("Progress")
        grid = QGridLayout(stats)
        self.epoch_label = QLabel("0")
        self.epoch_label.setObjectName("epochLabel")
        self.rate_label = QLabel("–")
        self.rate_label.setObjectName("rateLabel")
        self.loss_label = QLabel("–")
        self.loss_label.setObjectName("lossLabel")
        self.accuracy_label = QLabel("–")
        self.accuracy_label.setObjectName("accuracyLabel")
        for row, (name, label) in enumerate(
            [
                ("Epoch", self.epoch_label),
                ("Epochs/s", self.rate_label),
                ("Loss train / test", self.loss_label),
                ("Accuracy train / test", self.accuracy_label),
            ]
        ):
            grid.addWidget(QLabel(name), row, 0)
            grid.addWidget(label, row, 1)
        self.notice = QLabel("")
        self.notice.setObjectName("noticeLabel")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("QLabel { background: #fff4d6; border: 1px solid #e69f00; padding: 6px; }")
        self.notice.hide()

        network = QGroupBox("Network")
        QVBoxLayout(network).addWidget(self.controls)

        data_box = QGroupBox("Data")
        data = QGridLayout(data_box)
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        for name, (_, description) in PRESETS.items():
            self.preset.addItem(name, name)
            self.preset.setItemData(self.preset.count() - 1, description, 3)  # tooltip role
        self.preset.setCurrentText(DEFAULT_PRESET)
        self.n_points = QSpinBox()
        self.n_points.setObjectName("presetPoints")
        self.n_points.setRange(10, 5000)
        self.n_points.setValue(500)
        self.n_points.setSuffix(" points")
        self.noise = QDoubleSpinBox()
        self.noise.setObjectName("presetNoise")
        self.noise.setRange(0.0, 0.5)
        self.noise.setSingleStep(0.05)
        self.noise.setPrefix("noise ")
        self.load_preset_button = QPushButton("Load preset")
        self.load_preset_button.setObjectName("loadPresetButton")
        self.suggest_button = QPushButton("Suggest settings")
        self.suggest_button.setObjectName("suggestButton")
        self.suggest_button.setToolTip("Apply a network and learning rate that learn this data well")
        data.addWidget(self.preset, 0, 0)
        data.addWidget(self.n_points, 0, 1)
        data.addWidget(self.noise, 1, 0)
        data.addWidget(self.load_preset_button, 1, 1)
        data.addWidget(self.suggest_button, 6, 0, 1, 2)
        self.class_combo = QComboBox()
        self.class_combo.setObjectName("currentClass")
        for k in range(MAX_CLASSES):
            self.class_combo.addItem(f"{k + 1}: {CLASS_NAMES[k]}")
            self.class_combo.setItemData(k, f"Class {k} (key {k + 1})", 3)
        self.class_swatch = QLabel()
        self.class_swatch.setFixedSize(18, 18)
        self.eraser_box = QCheckBox("Eraser")
        self.eraser_box.setObjectName("eraser")
        self.eraser_box.setToolTip("Left click/drag removes points (Ctrl+click always does)")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("undoButton")
        self.redo_button = QPushButton("Redo")
        self.redo_button.setObjectName("redoButton")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearButton")
        row = QHBoxLayout()
        row.addWidget(QLabel("Draw"))
        row.addWidget(self.class_swatch)
        row.addWidget(self.class_combo, 1)
        row.addWidget(self.eraser_box)
        data.addLayout(row, 2, 0, 1, 2)
        row2 = QHBoxLayout()
        for b in (self.undo_button, self.redo_button, self.clear_button):
            row2.addWidget(b)
        data.addLayout(row2, 3, 0, 1, 2)
        self.show_test_box = QCheckBox("Show test points")
        self.show_test_box.setObjectName("showTest")
        self.show_test_box.setChecked(True)
        self.discretize_box = QCheckBox("Discretize")
        self.discretize_box.setObjectName("discretize")
        self.log_box = QCheckBox("Log scale loss")
        self.log_box.setObjectName("logScale")
        row3 = QHBoxLayout()
        for b in (self.show_test_box, self.discretize_box, self.log_box):
            row3.addWidget(b)
        data.addLayout(row3, 4, 0, 1, 2)
        self.counts_label = QLabel("")
        self.counts_label.setObjectName("countsLabel")
        data.addWidget(self.counts_label, 5, 0, 1, 2)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addLayout(buttons)
        side_layout.addWidget(stats)
        side_layout.addWidget(self.notice)
        side_layout.addWidget(data_box)
        side_layout.addWidget(network)
        side_layout.addStretch(1)
        side.setMinimumWidth(360)
        side.setMaximumWidth(440)

        self.canvas.setMinimumSize(380, 320)
        self.loss_plot.setMinimumHeight(120)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.canvas)
        right.addWidget(self.loss_plot)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(side)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self._update_class_swatch()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")

        def action(text, slot, shortcut=None, name=None):
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(shortcut)
            if name:
                a.setObjectName(name)
            a.triggered.connect(slot)
            file_menu.addAction(a)
            return a

        action("New session", self.new_session, QKeySequence.StandardKey.New, "newAction")
        action("Open…", self._open_dialog, QKeySequence.StandardKey.Open, "openAction")
        self.recent_menu = file_menu.addMenu("Open recent")
        file_menu.addSeparator()
        action("Save session", self.save_session, QKeySequence.StandardKey.Save, "saveAction")
        action("Save session as…", self.save_session_as, QKeySequence.StandardKey.SaveAs, "saveAsAction")
        action("Save dataset as CSV…", self._save_dataset, None, "saveDatasetAction")
        file_menu.addSeparator()
        action("Export model (.npz)…", self._export_model_dialog, None, "exportModelAction")
        action("Export picture (PNG)…", self._export_picture_dialog, None, "exportPictureAction")
        file_menu.addSeparator()
        action("Quit", self.close, QKeySequence.StandardKey.Quit, "quitAction")
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = QAction("Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.model.undo)
        self.redo_action = QAction("Redo", self)
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
        self.redo_action.triggered.connect(self.model.redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

    def _wire(self) -> None:
        self.train_button.clicked.connect(self.toggle_training)
        self.step_button.clicked.connect(self.step)
        self.reset_button.clicked.connect(self.reset)
        self.new_seed_button.clicked.connect(self.new_seed)
        self.controls.configChanged.connect(self._config_changed)
        self.model.changed.connect(self._points_changed)
        self.canvas.view_box.clicked.connect(self._canvas_clicked)
        self.canvas.view_box.dragged.connect(self._canvas_dragged)
        self.canvas.viewChanged.connect(self._view_changed)
        self.load_preset_button.clicked.connect(self._load_preset)
        self.suggest_button.clicked.connect(self.apply_suggested_settings)
        self.undo_button.clicked.connect(self.model.undo)
        self.redo_button.clicked.connect(self.model.redo)
        self.clear_button.clicked.connect(self.model.clear)
        self.class_combo.currentIndexChanged.connect(self.set_current_class)
        self.eraser_box.toggled.connect(self._set_eraser)
        self.show_test_box.toggled.connect(self._set_show_test)
        self.discretize_box.toggled.connect(self._set_discretize)
        self.log_box.toggled.connect(self.loss_plot.set_log)
        space = QShortcut(QKeySequence("Space"), self)
        space.activated.connect(self.toggle_training)
        for k in range(MAX_CLASSES):
            sc = QShortcut(QKeySequence(str(k + 1)), self)
            sc.activated.connect(lambda k=k: self.set_current_class(k))
        self.model.changed.connect(self.sessions.schedule_autosave)
        self.controls.configChanged.connect(self.sessions.schedule_autosave)
        self.sessions.saved.connect(lambda path: self.statusBar().showMessage(f"Saved {path}", 5000))
        self.sessions.failed.connect(self.show_problem)
        self.sessions.recentChanged.connect(self._rebuild_recent_menu)
        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self._draw_latest)
        self.frame_timer.start()

    # -- the worker ----------------------------------------------------------------------------

    def _start_worker(self) -> None:
        self.thread = QThread(self)
        self.worker = TrainingWorker(self.dataset, self._config, self.canvas.visible_bounds())
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.snapshot.connect(self._on_snapshot)
        self.worker.stateReady.connect(self.sessions.on_state)
        self.worker.runFinished.connect(self.insight.runs.add_run)
        self.insight.send_views()
        self.worker.finished.connect(self.thread.quit)
        self.thread.start()

    def shutdown(self) -> None:
        """Stop the worker and wait for its thread: safe to call twice."""
        if self.thread is None:
            return
        self.frame_timer.stop()
        self.worker.stop()
        self.thread.quit()
        self.thread.wait()
        self.thread = None
        self.sessions.flush()

    def closeEvent(self, event) -> None:
        was_running = self.thread is not None
        self.shutdown()
        if was_running:
            self.sessions.save_on_quit()
        super().closeEvent(event)

    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        """Keep the newest snapshot for the redraw timer. If the previous one has not been drawn yet
        (the window was busy), draw it now: every snapshot's loss points, notice and picture are shown,
        and snapshots arrive at most 30 times a second, so this never piles up."""
        if self._latest is not None and self._latest is not self._drawn:
            self._draw_latest()
        self._latest = snap
        self._running = snap.running
        self._epoch = snap.epoch

    def _add_losses(self, snap: Snapshot) -> None:
        if snap.run_id != self._run_id:
            self._finish_run()
            self._run_id = snap.run_id
            self._run_config = self.config
            self._run_seconds = 0.0
            self.loss_plot.clear_history()
        history = self._pending_history
        if history and snap.restored:  # a restored session: its curve continues where it stopped
            self.loss_plot.set_history(history)
            self._pending_history = None
        m = snap.metrics
        self.loss_plot.add(
            snap.epochs,
            snap.train_losses,
            snap.epoch if snap.epochs.size else None,
            m.test_loss if m else None,
        )

    @Slot()
    def _draw_latest(self) -> None:
        snap = self._latest
        if snap is None or snap is self._drawn:
            if self.loss_plot._stale:
                self.loss_plot.redraw(min_interval=0.1)
            self.insight.redraw_one()  # a panel still waiting for its turn
            return
        previous = self._drawn
        self._drawn = snap
        self._frames += 1
        self.worker.drawn = snap.seq  # lets the worker send the next one
        if previous is not None and previous.running and previous.run_id == snap.run_id:
            self._run_seconds += time.perf_counter() - self._last_draw_time
        self._last_draw_time = time.perf_counter()
        self._add_losses(snap)
        if snap.metrics is not None and snap.epoch > 0:
            self._run_result = (snap.epoch, snap.metrics)
        self.insight.update_from(snap, self.config)
        self.loss_plot.redraw(min_interval=0.1 if snap.running else 0.0)
        if snap.surface_bounds is not None:
            self.canvas.set_surface(snap.surface_bounds, snap.surface_values, snap.surface_rgba, snap.contour)
        self.epoch_label.setText(f"{snap.epoch:,}")
        self.rate_label.setText(f"{snap.epochs_per_second:,.0f}" if snap.running else "–")
        m = snap.metrics
        if m is not None:
            self.loss_label.setText(f"{_fmt(m.train_loss)} / {_fmt(m.test_loss)}")
            self.accuracy_label.setText(f"{_pct(m.train_accuracy)} / {_pct(m.test_accuracy)}")
        self.train_button.setText("Pause" if snap.running else "Train")
        self._show_notice(snap.notice, snap.diverged)
        output = (
            "sigmoid unit, binary cross-entropy"
            if snap.output == "sigmoid"
            else (f"softmax over {snap.layer_sizes[-1]} classes, cross-entropy")
        )
        self.controls.set_output_text(output)
        if snap.diverged:
            self.statusBar().showMessage("Paused: the run diverged. Lower the learning rate and press Reset.")
        elif snap.running:
            self.statusBar().showMessage(f"Training… epoch {snap.epoch:,}")
        else:
            self.statusBar().showMessage(f"Paused at epoch {snap.epoch:,}" if snap.epoch else "Ready: press Train")

    def _finish_run(self) -> None:
        """Keep the run that just ended (reset, new shape, opened session) in the Runs panel."""
        result, self._run_result = self._run_result, None
        if result is None or self._run_id is None:
            return
        epochs, m = result
        curve_epochs, curve_losses = thin_curve(*self.loss_plot.train.data())
        run = RunRecord(
            self._run_config,
            epochs,
            self._run_seconds,
            m.train_loss,
            m.test_loss,
            m.train_accuracy,
            m.test_accuracy,
            curve_epochs,
            curve_losses,
        )
        self.insight.runs.add_run(run)

    def _show_notice(self, text: str, sticky: bool) -> None:
        """Show a notice; a divergence explanation stays until the next run, others fade after 8 s."""
        if text:
            self.notice.setText(text)
            self.notice.show()
            self._notice_sticky = sticky
            if not sticky:
                QTimer.singleShot(8000, self._expire_notice)
        elif self._notice_sticky:
            self.notice.hide()
            self._notice_sticky = False

    def _expire_notice(self) -> None:
        if not self._notice_sticky:
            self.notice.hide()

    # -- actions -------------------------------------------------------------------------------

    @Slot()
    def toggle_training(self) -> None:
        self._running = not self._running
        self.worker.send(Command.PLAY if self._running else Command.PAUSE)
        self.train_button.setText("Pause" if self._running else "Train")

    def start_training(self) -> None:
        if not self._running:
            self.toggle_training()

    def pause_training(self) -> None:
        if self._running:
            self.toggle_training()

    @Slot()
    def step(self) -> None:
        self._running = False
        self.worker.send(Command.STEP)

    @Slot()
    def reset(self) -> None:
        self.worker.send(Command.RESET, None)

    @Slot()
    def new_seed(self) -> None:
        config = self.controls.config.with_changes(seed=self.controls.config.seed + 1)
        self.controls.set_config(config)
        self.worker.send(Command.CONFIG, config)

    @Slot(object)
    def _config_changed(self, config: TrainConfig) -> None:
        if config.test_ratio != self._config.test_ratio or config.seed != self._config.seed:
            self._config = config
            self._points_changed(self.dataset, send=False)
        self._config = config
        self.worker.send(Command.CONFIG, config)

    @Slot(object)
    def _points_changed(self, ds: Dataset, send: bool = True) -> None:
        cfg = self.controls.config
        self.canvas.set_points(ds.X, ds.y, ds.test_mask(cfg.test_ratio, cfg.seed))
        counts = ds.class_counts()
        self.counts_label.setText(
            f"{len(ds)} points: " + ", ".join(f"{c} {CLASS_NAMES[k]}" for k, c in enumerate(counts) if c)
            if len(ds)
            else "No points: click to add some, or load a preset."
        )
        history = self.model.history
        self.undo_button.setEnabled(history.can_undo)
        self.redo_button.setEnabled(history.can_redo)
        self.undo_button.setToolTip(f"Undo {history.undo_label()} (Ctrl+Z)" if history.can_undo else "Nothing to undo")
        self.redo_button.setToolTip(
            f"Redo {history.redo_label()} (Ctrl+Shift+Z)" if history.can_redo else "Nothing to redo"
        )
        if send and self.worker is not None:
            self.worker.send(Command.DATA, ds)

    @Slot(tuple)
    def _view_changed(self, bounds: tuple) -> None:
        self.worker.send(Command.VIEW, bounds)

    def set_current_class(self, k: int) -> None:
        if not 0 <= k < MAX_CLASSES:
            return
        self.current_class = k
        if self.class_combo.currentIndex() != k:
            self.class_combo.setCurrentIndex(k)
        self._update_class_swatch()
        self.statusBar().showMessage(f"Drawing class {k} ({CLASS_NAMES[k]})", 2000)

    def _update_class_swatch(self) -> None:
        r, g, b = CLASS_COLORS[self.current_class]
        self.class_swatch.setStyleSheet(f"background: rgb({r},{g},{b}); border: 1px solid #333;")

    def _set_eraser(self, on: bool) -> None:
        self.eraser = on

    def _set_show_test(self, on: bool) -> None:
        self.canvas.show_test = on
        self._points_changed(self.dataset, send=False)

    def _set_discretize(self, on: bool) -> None:
        self.canvas.discretize = on
        self.canvas.redraw_surface()

    def _other_class(self) -> int:
        n = max(self.dataset.n_classes, 2)
        if n == 2:
            return 1 - self.current_class if self.current_class < 2 else 0
        return (self.current_class + 1) % min(n + 1, MAX_CLASSES)

    @Slot(float, float, object, object)
    def _canvas_clicked(self, x, y, button, modifiers) -> None:
        erase = self.eraser or bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if erase:
            self.model.erase_nearest(x, y)
        elif button == Qt.MouseButton.RightButton:
            self.model.add_point(x, y, self._other_class())
        else:
            self.model.add_point(x, y, self.current_class)

    @Slot(float, float, float, float, int)
    def _canvas_dragged(self, x0, y0, x1, y1, phase) -> None:
        if phase == 0:
            self.model.begin_stroke("erase" if self.eraser else "paint")
        if self.eraser:
            self.model.erase_at(x1, y1)
        else:
            self.model.paint((x0, y0), (x1, y1), self.current_class)
        if phase == 2:
            self.model.end_stroke()
            self._points_changed(self.dataset, send=False)

    def apply_suggested_settings(self) -> None:
        origin = self._preset_origin
        config = suggested_config(origin, self.controls.config)
        self.controls.set_config(config)
        self._config_changed(config)
        what = f"the {origin} preset" if origin else "your data"
        self.statusBar().showMessage(f"Suggested settings for {what} applied.", 6000)

    def _load_preset(self) -> None:
        self._preset_origin = self.preset.currentData()
        self.model.load_preset(
            self.preset.currentData(),
            self.n_points.value(),
            self.noise.value(),
            seed=self.controls.config.seed,
        )

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open",
            "",
            "Sessions and datasets (*.json *.csv);;Sessions (*.json);;CSV files (*.csv);;All files (*)",
        )
        if path:
            self.open_path(path)

    def open_path(self, path) -> bool:
        """Open a session (.json) or a dataset (.csv). On any problem, say so and keep everything."""
        path = str(path)
        if path.lower().endswith(".csv"):
            return self.open_csv(path)
        try:
            session = self.sessions.open(path)
        except SessionError as exc:
            self.show_problem(f"Could not open the session: {exc}. Nothing was changed.")
            return False
        self.restore_session(session)
        self._session_path = path
        self.statusBar().showMessage(f"Opened session {path} (epoch {self.epoch:,})", 8000)
        return True

    def open_csv(self, path) -> bool:
        try:
            loaded = read_csv(path)
        except DatasetError as exc:
            self.show_problem(f"Could not open the dataset: {exc}. Nothing was changed.")
            return False
        self.sessions.add_recent(path)
        self.model.replace(loaded.dataset, "open dataset")
        note = f"Opened {loaded.rows} points from {path}."
        if loaded.label_mapping:
            pairs = ", ".join(f"{k} → class {v}" for k, v in loaded.label_mapping.items())
            note += f" Labels were mapped: {pairs}."
        self.statusBar().showMessage(note, 8000)
        return True

    def _save_dataset(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save dataset", "dataset.csv", "CSV files (*.csv)")
        if path:
            self.save_dataset(path)

    def save_dataset(self, path) -> bool:
        try:
            save_csv(self.dataset, path)
        except OSError as exc:
            self.show_problem(f"Could not save the dataset to {path}: {exc.strerror or exc}. Nothing was lost.")
            return False
        self.sessions.add_recent(path)
        self.statusBar().showMessage(f"Saved {len(self.dataset)} points to {path}", 5000)
        return True

    # -- sessions ------------------------------------------------------------------------------

    def show_problem(self, message: str) -> None:
        """A problem the user must see (file errors, failed saves): a notice that stays until dismissed by
        the next run, plus the status bar. Never a modal dialog that blocks training."""
        self.notice.setText(message)
        self.notice.show()
        self._notice_sticky = True
        self.statusBar().showMessage(message, 15000)

    def extra_session_fields(self) -> dict:
        return {"runs": self.insight.runs.to_list()}

    def save_session(self) -> None:
        path = self._session_path
        if path:
            self.sessions.request_save(path)
        else:
            self.save_session_as()

    def save_session_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save session", "session.json", "Sessions (*.json)")
        if path:
            self.save_session_to(path)

    def save_session_to(self, path) -> None:
        """Save asynchronously: the weights come from the worker thread."""
        self._session_path = str(path)
        self.sessions.request_save(path)

    def restore_session(self, session) -> None:
        """Bring back a session exactly: data (one undoable step), settings, weights, epoch, loss history."""
        self.model.replace(session.dataset, "open session")
        self.controls.set_config(session.config)
        self._config = session.config
        self._points_changed(self.dataset, send=False)
        self.worker.send(Command.LOAD, (session.dataset, session.config, session.state))
        self._pending_history = session.history
        extra = session.extra or {}
        self.insight.runs.load(extra.get("runs", []))
        view = extra.get("view")
        if isinstance(view, list) and len(view) == 4 and all(isinstance(v, (int, float)) for v in view):
            self.canvas.setRange(xRange=view[:2], yRange=view[2:], padding=0)
        if isinstance(extra.get("current_class"), int):
            self.set_current_class(extra["current_class"])
        for key, box in (
            ("show_test", self.show_test_box),
            ("discretize", self.discretize_box),
            ("log_scale", self.log_box),
        ):
            if isinstance(extra.get(key), bool):
                box.setChecked(extra[key])

    def new_session(self) -> None:
        """Start afresh: empty canvas and new weights. The old points come back with one undo."""
        self.model.replace(Dataset(), "new session")
        self._session_path = None
        self.worker.send(Command.RESET, None)
        self.statusBar().showMessage("New session. Undo (Ctrl+Z) brings the previous points back.", 8000)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.sessions.recent_files()
        for path in files:
            a = self.recent_menu.addAction(path)
            a.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(files))

    def _export_model_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export model", "model.npz", "NumPy archives (*.npz)")
        if path:
            self.export_model(path)

    def export_model(self, path) -> None:
        self.worker.send(Command.STATE, ("export-model", str(path)))

    def _export_picture_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export picture", "playground.png", "PNG images (*.png)")
        if not path:
            return
        width, ok = QInputDialog.getInt(self, "Export picture", "Width in pixels:", 1600, 200, 8000, 100)
        if ok:
            self.export_pictures(path, width)

    def export_pictures(self, path, width: int) -> list[str]:
        """PNG of the canvas at ``path`` and of the loss plot beside it (``-loss`` suffix)."""
        path = Path(path)
        targets = [(self.canvas, path), (self.loss_plot, path.with_name(path.stem + "-loss" + path.suffix))]
        written = []
        for widget, target in targets:
            try:
                atomic_write(target, plot_png(widget, width))
            except OSError as exc:
                self.show_problem(f"Could not export the picture to {target}: {exc.strerror or exc}.")
                return written
            written.append(str(target))
        self.statusBar().showMessage("Exported " + ", ".join(written), 8000)
        return written

    # -- drag and drop -------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if _dropped_path(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = _dropped_path(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.open_path(path)


def _dropped_path(mime) -> str:
    if not mime.hasUrls():
        return ""
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith((".csv", ".json")):
            return url.toLocalFile()
    return ""


def _fmt(v: float) -> str:
    return "–" if not math.isfinite(v) else f"{v:.4f}"


def _pct(v: float) -> str:
    return "–" if not math.isfinite(v) else f"{100 * v:.1f} %"
