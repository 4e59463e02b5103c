"""Start the application: one QApplication, pyqtgraph settings, the main window, the restored session."""

from __future__ import annotations

import sys


def run(path: str | None = None, quit_after: float | None = None) -> int:
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from .icon import app_icon
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nn-playground")
    app.setOrganizationName("nn-playground")
    app.setDesktopFileName("nn-playground")
    app.setWindowIcon(app_icon())
    pg.setConfigOptions(antialias=True)
    window = MainWindow()
    geometry = window.sessions.remembered_geometry()
    if geometry is not None:
        window.restoreGeometry(geometry)
    if path:
        window.open_path(path)
    else:
        session = window.sessions.restore_autosave()
        if session is not None:
            window.restore_session(session)
            window.model.history.clear_undo()  # restoring is where the user left off, not an edit
            window.notify("Restored your last session.")
        else:
            remembered = window.sessions.remembered_config()
            if remembered is not None:
                window.apply_config(remembered)
    window.show()
    if quit_after is not None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(quit_after * 1000), window.close)
    return app.exec()
