"""Start the application: one QApplication, pyqtgraph settings, the main window, the restored session.

Startup never aborts on what it reads: a damaged ``settings.ini``, a damaged autosave or a refused
``playground FILE`` each give a message (in the window and on stderr) and the app starts anyway. A refused
file never costs the last session: the autosave is restored instead, so the one written next holds it.
"""

from __future__ import annotations

import sys
import traceback


def start(path: str | None = None, settings=None):
    """Build, restore and show the main window (the event loop is not started); returns the window.
    ``settings`` (``training.settings_text.SharedSettings``, from ``--settings``) apply last."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from .gui_gc import collect_on_gui_thread
    from .icon import app_icon
    from .main_window import MainWindow
    from .window_setup import show_on_screen

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nn-playground")
    app.setOrganizationName("nn-playground")
    app.setDesktopFileName("nn-playground")
    app.setWindowIcon(app_icon())
    pg.setConfigOptions(antialias=True)
    collect_on_gui_thread()  # before any window exists: garbage holding Qt objects dies on this thread
    window = MainWindow()
    restored = False
    try:
        geometry = window.sessions.remembered_geometry()
        restored = geometry is not None and window.restoreGeometry(geometry)
        window.restore_layout()
    except Exception:  # noqa: BLE001 - a damaged settings file must never stop the app
        traceback.print_exc()
    show_on_screen(window, restored)  # as the user left it, else maximised on a laptop's screen
    try:
        _open_or_restore(window, path)
    except Exception as exc:  # noqa: BLE001 - never expected; the window must still come up
        traceback.print_exc()
        window.show_problem(f"Starting up went wrong ({type(exc).__name__}: {exc}); the defaults are shown.")
    if settings is not None:
        window.share.apply(settings)
    return window


def _open_or_restore(window, path: str | None) -> None:
    if path:
        if window.open_path(path):
            return
        print(f"playground: {window.files.refusal}", file=sys.stderr)
        # The file was refused: bring back the last session rather than let the defaults replace it.
        if _restore(window):
            window.show_problem(f"{window.files.refusal} Your last session was restored instead.")
        return
    if not _restore(window):
        remembered = window.sessions.remembered_config()
        if remembered is not None:
            window.apply_config(remembered)


def _restore(window) -> bool:
    session = window.sessions.restore_autosave(read=window.files.read_session)
    if session is None:
        return False
    window.restore_session(session)
    window.model.history.clear_undo()  # restoring is where the user left off, not an edit
    window.notify("Restored your last session.")
    return True


def run(path: str | None = None, quit_after: float | None = None, settings=None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window = start(path, settings)
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), window.close)
    return QApplication.instance().exec()
