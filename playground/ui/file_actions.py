"""File actions: open, save, export, recent files, drag and drop. Every refusal is shown and loses nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from ..data import DatasetError
from ..files import SessionError, atomic_write, describe_os_error, read_csv, save_csv
from .data_model import DatasetModel
from .pictures import plot_png
from .session_controller import SessionController

OPEN_FILTER = "Sessions and datasets (*.json *.csv);;Sessions (*.json);;CSV files (*.csv);;All files (*)"


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
        sessions.recentChanged.connect(self.rebuild_recent_menu)
        self.rebuild_recent_menu()

    # -- opening -------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open", "", OPEN_FILTER)
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
            self.problem(f"Could not open the session: {exc}. Nothing was changed.")
            return False
        self.restore(session)
        self.session_path = path
        self.notify(f"Opened session {path} (epoch {session.state.epoch if session.state else 0:,})")
        return True

    def open_csv(self, path) -> bool:
        try:
            loaded = read_csv(path)
        except DatasetError as exc:
            self.problem(f"Could not open the dataset: {exc}. Nothing was changed.")
            return False
        self.sessions.add_recent(path)
        self.model.replace(loaded.dataset, "open dataset")
        note = f"Opened {loaded.rows} points from {path}."
        if loaded.label_mapping:
            pairs = ", ".join(f"{k} → class {v}" for k, v in loaded.label_mapping.items())
            note += f" Labels were mapped: {pairs}."
        self.notify(note)
        return True

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.sessions.recent_files()
        for path in files:
            a = self.recent_menu.addAction(path)
            a.triggered.connect(lambda _=False, p=path: self.open_path(p))
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
