"""Saving and opening sessions, autosave, recent files and remembered settings.

Saving needs the weights and the loss curves, which live in the training thread: the controller asks for
them (``RequestState``) and writes the file when the answer arrives, on a writer thread. On quit the
training thread has stopped: the saves it was asked for and the autosave are written from its final state
before the window goes, and a save that fails always says so (on quit it asks where else to save).

Autosave: an edit is saved once the user pauses (``AUTOSAVE_QUIET_MS``), and however the user keeps
editing, at most ``AUTOSAVE_MAX_WAIT_MS`` after the first unsaved edit; while training, every
``AUTOSAVE_TRAINING_MS``. A kill therefore loses at most about two seconds of work. The window's slot is
locked (see ``paths``); a ring of older autosaves lies beside it for File → Recover.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QTimer, Signal, Slot

from ..files import Session, SessionError, describe_os_error, export_npz, load_session, quote, save_session
from ..training import TrainConfig, output_for_data
from ..training.commands import RequestState
from ..training.live import SavedState
from .data_model import DatasetModel
from .paths import app_home, autosave_path, claim_slot, ring_paths, settings
from .state_model import StateModel
from .training_thread import TrainingThread

AUTOSAVE_QUIET_MS = 500  # after the last edit
AUTOSAVE_MAX_WAIT_MS = 1000  # after the first unsaved edit, however the user keeps editing
AUTOSAVE_TRAINING_MS = 2000
RING_EVERY_S = 60.0  # the newest ring entry is at least this old before another is kept
MAX_RECENT = 8


def ask_where_to_save(message: str) -> str | None:
    """The real question on quit when the autosave cannot be written: a path to save to, or None to quit
    without saving."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, "Your work is not saved", message)
    elsewhere = box.addButton("Save elsewhere…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(elsewhere)
    box.exec()
    if box.clickedButton() is not elsewhere:
        return None
    path, _ = QFileDialog.getSaveFileName(None, "Save session", str(Path.home() / "session.json"), "Sessions (*.json)")
    return path or None


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
        # Asked on quit when the session cannot be saved: ``ask_on_quit(message) -> path or None``.
        self.ask_on_quit = ask_where_to_save
        self.slot, self._lock = claim_slot(self.home)
        self.autosave_file = autosave_path(self.home, self.slot)
        self._autosave_problem = ""
        self._quiet = self._timer(AUTOSAVE_QUIET_MS, single=True)
        self._max_wait = self._timer(AUTOSAVE_MAX_WAIT_MS, single=True)
        self._periodic = self._timer(AUTOSAVE_TRAINING_MS, single=False)
        self._periodic.timeout.disconnect(self.autosave_now)
        self._periodic.timeout.connect(self._periodic_autosave)
        self._periodic.start()
        # The epoch of the newest frame and of the last autosave: epochs trained by Step or Train N (not
        # "running") are saved by the periodic autosave too.
        self._epoch = self._autosaved_epoch = 0
        thread.frame.connect(self._on_frame)
        self._autosave_busy = False  # one autosave at a time on the writer; a newer one waits here
        self._autosave_next: Session | None = None
        self._ring_kept = False  # this run has kept the previous autosave in the ring
        self._ring_time = 0.0
        # Files are encoded and written on one background thread, in order: a 100,000-point session
        # takes a tenth of a second to encode, which the window should not spend.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playground-save")
        self._written.connect(self._on_written)
        thread.stateReady.connect(self.on_state)
        if self.slot != 1:
            QTimer.singleShot(0, self._say_slot)

    def _timer(self, ms: int, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(ms)
        timer.timeout.connect(self.autosave_now)
        return timer

    @Slot()
    def _say_slot(self) -> None:
        self.failed.emit(
            f"Another playground window is using {autosave_path(self.home).name}; this window autosaves to "
            f"{self.autosave_file.name} instead, so neither loses its work (File → Recover… lists both)."
        )

    # -- building a session ----------------------------------------------------------------------

    def session_from(self, saved: SavedState) -> Session:
        """The session to write: the training thread's weights, curves and runs with the view shown. If the
        thread has not caught up with the latest edit, the data and settings as shown are saved, and the
        weights only if they still fit them."""
        dataset, config = self.model.dataset, self.state.config
        state = saved.state
        if saved.dataset != dataset or saved.config != config:
            same_output = output_for_data(saved.dataset) == output_for_data(dataset)
            if not same_output or saved.config.needs_reset(config):
                state = None
        kept = saved.checkpoints if state is not None else ()
        return Session(dataset, config, state, saved.history, self.state.view, saved.runs, kept)

    # -- explicit saves --------------------------------------------------------------------------

    def request_save(self, path) -> None:
        self._request(RequestState("save", str(path)))

    def request_export(self, path) -> None:
        self._request(RequestState("export-model", str(path)))

    def _request(self, request: RequestState) -> None:
        if self.thread.alive:
            self.thread.send(request)
        else:  # the window closed while a dialog was open: the thread's final state is the answer
            self.answer(request, self.thread.final_state())

    def answer(self, request: RequestState, final: SavedState | None) -> None:
        """Serve a request the training thread did not answer before it stopped, from its final state."""
        if final is None:  # the training process died before it could say anything
            self.failed.emit(
                f"Nothing was written to {request.path or 'the autosave'}: training had stopped unexpectedly."
            )
            return
        self.on_state(replace(final, purpose=request.purpose, path=request.path or ""))

    @Slot(object)
    def on_state(self, saved: SavedState) -> None:
        if saved.purpose == "save":
            self._write(Path(saved.path), self.session_from(saved), explicit=True)
        elif saved.purpose == "autosave":
            self._autosave(self.session_from(saved))
        elif saved.purpose == "export-model":
            self._export_model(Path(saved.path), saved)

    def _write(self, path: Path, session: Session, explicit: bool) -> None:
        try:
            self._writer.submit(self._write_now, path, session, explicit)
        except RuntimeError:  # the window is closing: write here and now
            self._write_now(path, session, explicit)

    def _write_now(self, path: Path, session: Session, explicit: bool) -> str:
        """Runs on the writer thread (or on quit, directly). Returns the error, '' on success. Whatever goes
        wrong is reported: a save never fails silently."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not explicit:
                self._keep_in_ring(path)
            save_session(session, path)
            error = ""
        except OSError as exc:
            error = describe_os_error(exc)
        except ValueError as exc:  # a value that cannot be written (never expected: say so, lose nothing)
            error = f"the session could not be encoded ({quote(str(exc), 200, marks=False)})"
        except Exception as exc:  # noqa: BLE001 - a bug must still be reported, not swallowed by the future
            error = f"an internal error ({type(exc).__name__}: {quote(str(exc), 200, marks=False)})"
        self._written.emit(str(path), error, explicit)
        return error

    @Slot(str, str, bool)
    def _on_written(self, path: str, error: str, explicit: bool) -> None:
        if not explicit:
            self._autosave_busy = False
            if self._autosave_next is not None:
                session, self._autosave_next = self._autosave_next, None
                self._autosave(session)
        if error:
            if not self.thread.alive:  # the window is closing: its notices may never be seen
                print(f"playground: could not save {path}: {error}", file=sys.stderr)
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
            export_npz(path, saved.state, saved.config, output_for_data(saved.dataset)[0])
        except OSError as exc:
            self.failed.emit(f"Could not export the model to {path}: {describe_os_error(exc)}")
            return
        except Exception as exc:  # noqa: BLE001 - say so rather than lose the request
            self.failed.emit(f"Could not export the model to {path} ({type(exc).__name__}: {exc})")
            return
        self.saved.emit(str(path))

    # -- autosave --------------------------------------------------------------------------------

    def schedule_autosave(self, *_) -> None:
        """An edit: save when the user pauses, and at the latest ``AUTOSAVE_MAX_WAIT_MS`` after the first
        edit not yet saved (the quiet timer restarts on every edit; the maximum wait does not)."""
        if not self.autosave_enabled:
            return
        self._quiet.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    @Slot()
    def autosave_now(self) -> None:
        self._quiet.stop()
        self._max_wait.stop()
        if self.autosave_enabled and self.thread.alive:
            self._autosaved_epoch = self._epoch
            self.thread.send(RequestState("autosave"))

    def _on_frame(self, frame) -> None:
        self._epoch = frame.status.epoch

    def _periodic_autosave(self) -> None:
        if self.is_training() or self._epoch != self._autosaved_epoch:
            self.autosave_now()

    def _autosave(self, session: Session) -> None:
        if not self.autosave_enabled:
            return
        if self._autosave_busy:  # the writer is still on the last one: keep only the newest
            self._autosave_next = session
            return
        self._autosave_busy = True
        self._write(self.autosave_file, session, explicit=False)

    def _keep_in_ring(self, path: Path) -> None:
        """Before the autosave is replaced: keep the previous one in the ring, the first time in this run
        (the last session before it) and then at most every ``RING_EVERY_S``. Runs on the writer thread."""
        now = time.monotonic()
        if not path.exists() or (self._ring_kept and now - self._ring_time < RING_EVERY_S):
            return
        ring = ring_paths(path)
        for older, newer in zip(reversed(ring[1:]), reversed(ring[:-1]), strict=True):
            if newer.exists():
                os.replace(newer, older)
        temp = ring[0].with_name("." + ring[0].name + ".tmp")
        try:
            os.link(path, temp)  # the autosave is replaced, never rewritten in place: a link keeps it
        except OSError:
            shutil.copyfile(path, temp)
        os.replace(temp, ring[0])
        self._ring_kept, self._ring_time = True, now

    def flush(self) -> None:
        """Finish queued writes and stop the writer thread (the window is going away)."""
        self._quiet.stop()
        self._max_wait.stop()
        self._periodic.stop()
        self._writer.shutdown(wait=True)

    def save_on_quit(self) -> None:
        """Answer the saves asked for just before quitting, then write the autosave, synchronously; the
        training thread must have stopped. If the autosave cannot be written, ask where else to save.
        Never raises: whatever goes wrong is said on stderr and in the window."""
        try:
            self._save_on_quit()
        except Exception as exc:  # noqa: BLE001 - quitting must always work
            traceback.print_exc()
            self.failed.emit(f"Saving on quit failed ({type(exc).__name__}: {quote(str(exc), 200, marks=False)}).")
        finally:
            self.release()

    def _save_on_quit(self) -> None:
        # Answers the training thread sent before it stopped are still queued for this object: take them.
        QCoreApplication.sendPostedEvents(self)
        self.flush()  # let queued saves finish first, in order
        final = self.thread.final_state()
        for request in self.thread.pending_requests():
            self.answer(request, final)
        if self.autosave_enabled and final is not None:
            session = self.session_from(final)
            error = self._write_now(self.autosave_file, session, False)
            while error:
                message = (
                    f"The session could not be saved to {self.autosave_file} ({error}). "
                    "Save it somewhere else before quitting?"
                )
                print(f"playground: {message}", file=sys.stderr)
                target = self.ask_on_quit(message)
                if not target:
                    break
                error = self._write_now(Path(target), session, True)

    def release(self) -> None:
        """Give up this window's autosave slot (another window may take it)."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # -- opening ---------------------------------------------------------------------------------

    def open(self, path) -> Session:
        """Load a session file; raises SessionError with a message for the user."""
        session = load_session(path)
        self.add_recent(Path(path))
        return session

    def restore_autosave(self, read=load_session) -> Session | None:
        """The last session of this slot (for a second window, of slot 1 when it has none yet). A damaged
        autosave is kept aside and the newest readable one of its ring is restored instead. ``read(path)``
        loads a file (the window passes one that reads off the GUI thread)."""
        path = self.autosave_file
        if not path.exists() and self.slot != 1:
            path = autosave_path(self.home)
        if not path.exists():
            return None
        try:
            return read(path)
        except SessionError as exc:
            aside = _free_name(path.with_name(path.stem + "-unreadable.json"))
            try:
                path.replace(aside)  # keep the damaged file for the user to inspect; never overwrite it
            except OSError:
                aside = path
            problem = f"The last session could not be restored ({exc}). It was kept as {aside}."
        for older in ring_paths(path):
            try:
                session = read(older)
            except SessionError:
                continue
            self.failed.emit(f"{problem} The autosave {older.name} was restored instead.")
            return session
        self.failed.emit(problem)
        return None

    def recovery_candidates(self) -> list[Path]:
        """Every autosave in the home, newest first: each slot's, their rings, and the damaged ones kept."""
        found = [p for p in self.home.glob("autosave*.json") if p.is_file()]
        return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)

    # -- recent files and remembered settings ----------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return []
        return [v for v in value if isinstance(v, str) and v][:MAX_RECENT]

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
            value = json.loads(str(text))
            if not isinstance(value, dict):
                raise TypeError(f"expected settings, found {type(value).__name__}")
            return TrainConfig.from_dict(value)
        except Exception as exc:  # noqa: BLE001 - a damaged settings file must never stop the app
            reason = quote(str(exc), 200, marks=False)
            self.failed.emit(f"The remembered settings could not be used ({reason}); the defaults are shown.")
            return None

    def remembered_geometry(self) -> QByteArray | None:
        """The saved window geometry, if it is one (a damaged settings file may hold anything)."""
        value = self.settings.value("geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def remember_layout(self, state: QByteArray) -> None:
        """The window's dock layout (``QMainWindow.saveState``), written with the next sync."""
        self.settings.setValue("layout", state)

    def remembered_layout(self) -> QByteArray | None:
        value = self.settings.value("layout")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _free_name(path: Path) -> Path:
    """``path``, or ``name-2.json``, ``name-3.json``… the first that does not exist yet."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
