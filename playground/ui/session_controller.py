"""Saving and opening sessions, autosave, recent files and remembered settings for a MainWindow.

Saving needs the weights, which live in the worker thread: the controller asks the worker for its state
(``Command.STATE``) and writes the file when the answer arrives. On quit the worker has stopped, so the
final state is read directly and written synchronously.
"""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..data.csvfile import atomic_write
from ..training import TrainConfig, output_for
from ..training.session import Session, SessionError, load_session, save_session
from .paths import app_home, autosave_path, settings
from .worker import Command, SavedState

AUTOSAVE_DELAY_MS = 1500
AUTOSAVE_TRAINING_MS = 5000
MAX_RECENT = 8


class SessionController(QObject):
    saved = Signal(str)  # path
    failed = Signal(str)  # message
    recentChanged = Signal()
    _written = Signal(str, str, bool)  # path, error ("" if none), explicit: from the writer thread

    def __init__(self, window, home: Path | None = None):
        super().__init__(window)
        self.window = window
        self.home = home or app_home()
        self.settings = settings(self.home)
        self.autosave_enabled = True
        self._autosave_problem = ""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(AUTOSAVE_DELAY_MS)
        self._debounce.timeout.connect(self.autosave_now)
        self._periodic = QTimer(self)
        self._periodic.setInterval(AUTOSAVE_TRAINING_MS)
        self._periodic.timeout.connect(self._periodic_autosave)
        self._periodic.start()
        # Files are encoded and written on one background thread, in order: a 100,000-point session
        # takes a tenth of a second to encode, which the window should not spend.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playground-save")
        self._written.connect(self._on_written)

    # -- building a session ----------------------------------------------------------------------

    def session_from(self, saved: SavedState | None) -> Session:
        w = self.window
        plot = w.loss_plot
        history = {"train": plot.train.data(), "test": plot.test.data()}
        extra = {
            "view": list(w.canvas.visible_bounds()),
            "current_class": w.current_class,
            "show_test": w.show_test_box.isChecked(),
            "discretize": w.discretize_box.isChecked(),
            "log_scale": w.log_box.isChecked(),
        }
        extra.update(w.extra_session_fields())
        if saved is None or saved.dataset != w.dataset or saved.config != w.config:
            # The worker has not caught up with the latest edit: save the data and settings as shown,
            # and the weights only if they still fit them.
            state = saved.state if saved is not None and _fits(saved, w) else None
            return Session(w.dataset, w.config, state, history, extra)
        return Session(saved.dataset, saved.config, saved.state, history, extra)

    # -- explicit saves --------------------------------------------------------------------------

    def request_save(self, path) -> None:
        self.window.worker.send(Command.STATE, ("save", str(path)))

    @Slot(object)
    def on_state(self, saved: SavedState) -> None:
        kind, path = saved.tag
        if kind == "save":
            self._write(Path(path), self.session_from(saved), explicit=True)
        elif kind == "autosave":
            self._write(autosave_path(self.home), self.session_from(saved), explicit=False)
        elif kind == "export-model":
            self._export_model(Path(path), saved)

    def _write(self, path: Path, session: Session, explicit: bool) -> None:
        try:
            self._writer.submit(self._write_now, path, session, explicit)
        except RuntimeError:  # the window is closing: write here and now
            self._write_now(path, session, explicit)

    def _write_now(self, path: Path, session: Session, explicit: bool) -> str:
        """Runs on the writer thread (or on quit, directly). Returns the error, '' on success."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_session(session, path)
            error = ""
        except OSError as exc:
            error = exc.strerror or str(exc)
        self._written.emit(str(path), error, explicit)
        return error

    @Slot(str, str, bool)
    def _on_written(self, path: str, error: str, explicit: bool) -> None:
        if error:
            if explicit:
                self.failed.emit(f"Could not save {path}: {error}. Your work is still open in this window.")
            elif error != self._autosave_problem:
                self._autosave_problem = error
                self.failed.emit(f"Autosave failed ({path}: {error}). Save the session elsewhere to keep it.")
            return
        if explicit:
            self.add_recent(Path(path))
            self.saved.emit(path)
        else:
            self._autosave_problem = ""

    def _export_model(self, path: Path, saved: SavedState) -> None:
        arrays = {}
        for i, (W, b) in enumerate(zip(saved.state.weights, saved.state.biases)):
            arrays[f"weights_{i}"] = np.asarray(W, dtype=np.float64)
            arrays[f"biases_{i}"] = np.asarray(b, dtype=np.float64)
        net_sizes = [2, *[int(W.shape[1]) for W in saved.state.weights]]
        cfg = saved.config
        architecture = {
            "layer_sizes": net_sizes,
            "activation": cfg.activation,
            "output": "sigmoid" if net_sizes[-1] == 1 else "softmax",
            "epoch": saved.state.epoch,
            "convention": "Z = A_prev @ weights_i + biases_i, A_prev of shape (n, fan_in)",
        }
        arrays["architecture"] = np.array(json.dumps(architecture))
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        try:
            atomic_write(path, buffer.getvalue())
        except OSError as exc:
            self.failed.emit(f"Could not export the model to {path}: {exc.strerror or exc}")
            return
        self.saved.emit(str(path))

    # -- autosave --------------------------------------------------------------------------------

    def schedule_autosave(self) -> None:
        if self.autosave_enabled:
            self._debounce.start()

    @Slot()
    def autosave_now(self) -> None:
        if self.autosave_enabled and self.window.thread is not None:
            self.window.worker.send(Command.STATE, ("autosave", None))

    def _periodic_autosave(self) -> None:
        if self.window.is_training:
            self.autosave_now()

    def flush(self) -> None:
        """Finish queued writes and stop the writer thread (the window is going away)."""
        self._debounce.stop()
        self._periodic.stop()
        self._writer.shutdown(wait=True)

    def save_on_quit(self) -> None:
        """Write the autosave synchronously; the worker thread must have stopped."""
        self._debounce.stop()
        self._periodic.stop()
        self._writer.shutdown(wait=True)  # let queued saves finish first, in order
        if self.autosave_enabled:
            self._write_now(autosave_path(self.home), self.session_from(self.window.worker.final_state()), False)
        self.remember_settings()

    # -- opening ---------------------------------------------------------------------------------

    def open(self, path) -> Session:
        """Load a session file; raises SessionError with a message for the user."""
        session = load_session(path)
        self.add_recent(Path(path))
        return session

    def restore_autosave(self) -> Session | None:
        path = autosave_path(self.home)
        if not path.exists():
            return None
        try:
            return load_session(path)
        except SessionError as exc:
            # Keep the damaged file for the user to inspect; never overwrite it silently.
            aside = path.with_name("autosave-unreadable.json")
            try:
                path.replace(aside)
            except OSError:
                pass
            self.failed.emit(f"The last session could not be restored ({exc}). It was kept as {aside}.")
            return None

    # -- recent files and remembered settings ----------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: Path) -> None:
        path = str(Path(path).resolve())
        files = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent", [path, *files][:MAX_RECENT])
        self.recentChanged.emit()

    def remember_settings(self) -> None:
        self.settings.setValue("geometry", self.window.saveGeometry())
        self.settings.setValue("config", json.dumps(self.window.config.to_dict()))
        self.settings.sync()

    def remembered_config(self) -> TrainConfig | None:
        text = self.settings.value("config")
        if not text:
            return None
        try:
            return TrainConfig.from_dict(json.loads(text))
        except (TypeError, ValueError):
            return None

    def restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.window.restoreGeometry(geometry)


def _fits(saved: SavedState, window) -> bool:
    same_output = output_for(saved.dataset.n_classes) == output_for(window.dataset.n_classes)
    return same_output and not saved.config.needs_reset(window.config)
