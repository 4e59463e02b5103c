"""File actions: open, save, export, recent files, drag and drop. Every refusal is shown and loses nothing."""

from __future__ import annotations

import multiprocessing
import os
import stat
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from ..data import DatasetError
from ..files import Session, SessionError, atomic_write, describe_os_error, load_session, quote, read_csv, save_csv
from ..training.commands import NewRun
from .confirm import confirm
from .data_model import DatasetModel
from .pictures import plot_png
from .session_controller import SessionController

OPEN_FILTER = "Sessions and datasets (*.json *.csv);;Sessions (*.json);;CSV files (*.csv);;All files (*)"
QUICK_OPEN_S = 0.02  # a file read faster than this opens without the "Opening…" notice
MAX_MESSAGE = 500  # characters of a refusal shown
PROCESS_BYTES = 4 * 2**20  # files from this size are decoded in a separate process (see _read_elsewhere)


class FileActions(QObject):
    def __init__(self, window: QWidget, model: DatasetModel, sessions: SessionController, restore, notify, problem):
        """``restore(session)`` applies an opened session; ``notify(text)`` and ``problem(text)`` tell the user."""
        super().__init__(window)
        self.window = window
        self.model = model
        self.sessions = sessions
        self.restore = restore
        self.notify = notify
        self.problem = problem
        self.session_path: str | None = None  # where Save writes without asking
        self.recent_menu = QMenu("Open recent", window)
        self.opening = ""  # the file being read, while one is
        self.refusal = ""  # why the last file was refused
        self.recover_action = QAction("Recover…", window)
        self.recover_action.setObjectName("recoverAction")
        self.recover_action.triggered.connect(self.recover_dialog)
        sessions.recentChanged.connect(self.rebuild_recent_menu)
        self.rebuild_recent_menu()

    # -- opening -------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open", "", OPEN_FILTER)
        if path:
            self.open_path(path, ask=True)

    def open_path(self, path, ask: bool = False, save_here: bool = True) -> bool:
        """Open a session (.json) or a dataset (.csv). On any problem, say so and keep everything.

        The file is read and checked on a background thread while the window keeps drawing and answering
        ("Opening…" in the status bar); only a complete, valid session or dataset is applied. ``ask``: the
        user opened it (File → Open, Open recent, Recover, a drop), so a session that would replace a trained
        run asks first (``confirm``), and True means opened or asked about. ``save_here``: Save writes back
        to this file (not to an autosave recovered)."""
        path = str(path)
        is_csv = path.lower().endswith(".csv")
        if self.opening:
            self.refusal = f"Still opening {quote(self.opening, 200, marks=False)}; open {quote(path, 200)} after it."
            self.problem(self.refusal)
            return False
        self.opening = path
        try:
            loaded, refusal = self._read_in_background(read_csv if is_csv else load_session, path)
        finally:
            self.opening = ""
        if not self.sessions.thread.alive:  # the window was closed meanwhile
            return False
        if refusal:
            kind = "dataset" if is_csv else "session"
            self.refusal = f"Could not open the {kind}: {refusal}. Nothing was changed."
            self.problem(self.refusal)
            return False
        if is_csv:
            return self._applied(path, lambda: self._apply_csv(path, loaded))

        def apply() -> bool:
            return self._applied(path, lambda: self._apply_session(path, loaded, save_here))

        if not ask:
            return apply()
        confirm(self.window, "open_session", apply, f"Open the session {quote(Path(path).name, 120)}?")
        return True

    def _applied(self, path: str, apply) -> bool:
        try:
            return apply()
        except Exception as exc:  # noqa: BLE001 - never expected (all is checked before): say so, keep running
            traceback.print_exc()
            self.refusal = f"Could not open {quote(path, 200)} ({type(exc).__name__}: {quote(str(exc), 200)})."
            self.problem(self.refusal)
            return False

    def read_session(self, path) -> Session:
        """Load a session file off the GUI thread (the window keeps painting); raises SessionError."""
        session, refusal = self._read_in_background(load_session, str(path))
        if refusal:
            raise SessionError(refusal)
        return session

    def _read_in_background(self, read, path: str):
        """``(result, '')`` or ``(None, refusal)``: ``read(path)`` runs on a worker thread; the GUI thread keeps
        processing events (so the window repaints and the training thread's frames are drawn)."""
        box: dict = {}
        done = threading.Event()

        def work() -> None:
            try:
                box["result"] = _read_elsewhere(read, path)
            except (DatasetError, SessionError) as exc:
                box["refusal"] = quote(str(exc), MAX_MESSAGE, marks=False)
            except MemoryError:
                box["refusal"] = f"{quote(path, 200, marks=False)} needs more memory than there is"
            except Exception as exc:  # noqa: BLE001 - an unexpected error is still a clear refusal
                traceback.print_exc()
                box["refusal"] = f"{quote(path, 200, marks=False)}: {type(exc).__name__}: {quote(str(exc), 200)}"
            finally:
                done.set()

        threading.Thread(target=work, name="playground-open", daemon=True).start()
        if not done.wait(QUICK_OPEN_S):
            self.notify(f"Opening {Path(path).name}…")
            while not done.wait(0.005) and self.sessions.thread.alive:
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        if not done.is_set():
            return None, "the window was closed"
        return box.get("result"), box.get("refusal", "")

    def _apply_session(self, path: str, session, save_here: bool = True) -> bool:
        self.sessions.add_recent(path)
        self.restore(session)
        self.session_path = path if save_here else None
        self.notify(f"Opened session {path} (epoch {session.state.epoch if session.state else 0:,})")
        return True

    def _apply_csv(self, path: str, loaded) -> bool:
        """A new dataset starts a new run (the old one goes to Runs); one undo brings the old points back."""
        self.sessions.add_recent(path)
        self.sessions.thread.send(NewRun(loaded.dataset, self.sessions.state.config))
        self.model.replace(loaded.dataset, "open dataset")
        note = f"Opened {loaded.rows} points from {path}."
        if loaded.label_mapping:
            pairs = ", ".join(f"{k} → class {v}" for k, v in loaded.label_mapping.items())
            note += f" Labels were mapped: {pairs}."
        self.notify(note)
        return True

    def recover_dialog(self) -> None:
        """File → Recover…: pick one of the autosaves (this window's, its ring, other windows') to open."""
        candidates = self.sessions.recovery_candidates()
        if not candidates:
            self.notify("There is no autosave to recover yet.")
            return
        labels = [_describe_autosave(p) for p in candidates]
        choice, ok = QInputDialog.getItem(self.window, "Recover", "Open an autosave (newest first):", labels, 0, False)
        if ok and choice in labels:  # Save will ask where: never back into the ring
            self.open_path(candidates[labels.index(choice)], ask=True, save_here=False)

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.sessions.recent_files()
        for path in files:
            a = self.recent_menu.addAction(path)
            a.triggered.connect(lambda _=False, p=path: self.open_path(p, ask=True))
        self.recent_menu.setEnabled(bool(files))

    # -- saving --------------------------------------------------------------------------------

    def save_session(self) -> None:
        if self.session_path:
            self.sessions.request_save(self.session_path)
        else:
            self.save_session_as()

    def save_session_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save session", "session.json", "Sessions (*.json)")
        if path:
            self.save_session_to(path)

    def save_session_to(self, path) -> None:
        """Save asynchronously: the weights come from the training thread."""
        self.session_path = str(path)
        self.sessions.request_save(path)

    def save_dataset_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save dataset", "dataset.csv", "CSV files (*.csv)")
        if path:
            self.save_dataset(path)

    def save_dataset(self, path) -> bool:
        ds = self.model.dataset
        try:
            save_csv(ds, path)
        except OSError as exc:
            self.problem(f"Could not save the dataset to {path}: {describe_os_error(exc)}. Nothing was lost.")
            return False
        self.sessions.add_recent(path)
        self.notify(f"Saved {len(ds)} points to {path}")
        return True

    # -- exporting -----------------------------------------------------------------------------

    def export_model_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export model", "model.npz", "NumPy archives (*.npz)")
        if path:
            self.sessions.request_export(path)

    def export_picture_dialog(self, canvas, loss_plot) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export picture", "playground.png", "PNG images (*.png)")
        if not path:
            return
        width, ok = QInputDialog.getInt(self.window, "Export picture", "Width in pixels:", 1600, 200, 8000, 100)
        if ok:
            self.export_pictures(path, width, canvas, loss_plot)

    def export_pictures(self, path, width: int, canvas, loss_plot) -> list[str]:
        """PNG of the canvas at ``path`` and of the loss plot beside it (``-loss`` suffix)."""
        path = Path(path)
        targets = [(canvas, path), (loss_plot, path.with_name(path.stem + "-loss" + path.suffix))]
        written = []
        for widget, target in targets:
            try:
                atomic_write(target, plot_png(widget, width))
            except OSError as exc:
                self.problem(f"Could not export the picture to {target}: {describe_os_error(exc)}.")
                return written
            written.append(str(target))
        self.notify("Exported " + ", ".join(written))
        return written


def dropped_path(mime) -> str:
    """The first local .csv or .json file in a drag's data, or ''."""
    if not mime.hasUrls():
        return ""
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith((".csv", ".json")):
            return url.toLocalFile()
    return ""


def _read_elsewhere(read, path: str):
    """``read(path)``; for a big regular file in a separate process. Decoding a 30 MB JSON document or a
    million CSV rows holds the GIL for seconds in one C call, which would freeze the GUI thread even though
    the reading runs on another thread; a process has its own interpreter."""
    try:
        st = os.stat(path)
    except OSError:
        return read(path)  # ``read`` says what is wrong
    if not stat.S_ISREG(st.st_mode) or st.st_size < PROCESS_BYTES:
        return read(path)
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        future = pool.submit(read, path)
    except Exception:  # noqa: BLE001 - no process to be had (e.g. an embedding app without a main guard)
        return read(path)
    try:
        return future.result()
    finally:
        pool.shutdown(wait=False)


def _describe_autosave(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return path.name
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(st.st_mtime))
    return f"{path.name}  ({when}, {st.st_size / 1024:,.0f} KB)"
