"""Saving and opening sessions, autosave, recent files and remembered settings.

Saving needs the weights and the loss curves, which live in the training thread: the controller asks for
them (``RequestState``) and writes the file when the answer arrives, on a writer thread. On quit the
training thread has stopped, so its final state is read directly and written before the window goes.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..files import Session, SessionError, describe_os_error, export_npz, load_session, save_session
from ..training import TrainConfig, output_for
from ..training.commands import RequestState
from ..training.live import SavedState
from .data_model import DatasetModel
from .paths import app_home, autosave_path, settings
from .state_model import StateModel
from .training_thread import TrainingThread

AUTOSAVE_DELAY_MS = 1500
AUTOSAVE_TRAINING_MS = 5000
MAX_RECENT = 8


class SessionController(QObject):
    saved = Signal(str)  # path
    failed = Signal(str)  # message
    recentChanged = Signal()
    _written = Signal(str, str, bool)  # path, error ("" if none), explicit: from the writer thread

    def __init__(self, thread: TrainingThread, model: DatasetModel, state: StateModel, is_training, home=None):
        super().__init__(thread)
        self.thread = thread
        self.model = model
        self.state = state
        self.is_training = is_training  # () -> bool
        self.home = Path(home) if home is not None else app_home()
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
        thread.stateReady.connect(self.on_state)

    # -- building a session ----------------------------------------------------------------------

    def session_from(self, saved: SavedState) -> Session:
        """The session to write: the training thread's weights, curves and runs with the view shown. If the
        thread has not caught up with the latest edit, the data and settings as shown are saved, and the
        weights only if they still fit them."""
        dataset, config = self.model.dataset, self.state.config
        state = saved.state
        if saved.dataset != dataset or saved.config != config:
            same_output = output_for(saved.dataset.n_classes) == output_for(dataset.n_classes)
            if not same_output or saved.config.needs_reset(config):
                state = None
        return Session(dataset, config, state, saved.history, self.state.view, saved.runs)

    # -- explicit saves --------------------------------------------------------------------------

    def request_save(self, path) -> None:
        self.thread.send(RequestState("save", str(path)))

    def request_export(self, path) -> None:
        self.thread.send(RequestState("export-model", str(path)))

    @Slot(object)
    def on_state(self, saved: SavedState) -> None:
        if saved.purpose == "save":
            self._write(Path(saved.path), self.session_from(saved), explicit=True)
        elif saved.purpose == "autosave":
            self._write(autosave_path(self.home), self.session_from(saved), explicit=False)
        elif saved.purpose == "export-model":
            self._export_model(Path(saved.path), saved)

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
            error = describe_os_error(exc)
        except ValueError as exc:  # a value that cannot be written (never expected: say so, lose nothing)
            error = f"the session could not be encoded ({exc})"
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
        try:
            export_npz(path, saved.state, saved.config)
        except OSError as exc:
            self.failed.emit(f"Could not export the model to {path}: {describe_os_error(exc)}")
            return
        self.saved.emit(str(path))

    # -- autosave --------------------------------------------------------------------------------

    def schedule_autosave(self, *_) -> None:
        if self.autosave_enabled:
            self._debounce.start()

    @Slot()
    def autosave_now(self) -> None:
        if self.autosave_enabled and self.thread.alive:
            self.thread.send(RequestState("autosave"))

    def _periodic_autosave(self) -> None:
        if self.is_training():
            self.autosave_now()

    def flush(self) -> None:
        """Finish queued writes and stop the writer thread (the window is going away)."""
        self._debounce.stop()
        self._periodic.stop()
        self._writer.shutdown(wait=True)

    def save_on_quit(self, final: SavedState) -> None:
        """Write the autosave synchronously; the training thread must have stopped."""
        self.flush()  # let queued saves finish first, in order
        if self.autosave_enabled:
            self._write_now(autosave_path(self.home), self.session_from(final), False)

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

    def add_recent(self, path) -> None:
        path = str(Path(path).resolve())
        files = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent", [path, *files][:MAX_RECENT])
        self.recentChanged.emit()

    def remember_settings(self, geometry) -> None:
        self.settings.setValue("geometry", geometry)
        self.settings.setValue("config", json.dumps(self.state.config.to_dict()))
        self.settings.sync()

    def remembered_config(self) -> TrainConfig | None:
        """The settings of the last session, or None (with a message) if they cannot be read."""
        text = self.settings.value("config")
        if not text:
            return None
        try:
            return TrainConfig.from_dict(json.loads(str(text)))
        except (TypeError, ValueError) as exc:
            self.failed.emit(f"The remembered settings could not be used ({exc}); the defaults are shown.")
            return None

    def remembered_geometry(self):
        return self.settings.value("geometry")
