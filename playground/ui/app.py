"""Start the application: one QApplication, pyqtgraph settings, the main window."""

from __future__ import annotations

import sys


def run(path: str | None = None) -> int:
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("nn-playground")
    app.setOrganizationName("nn-playground")
    pg.setConfigOptions(antialias=True)
    window = MainWindow()
    if path:
        window.open_csv(path)
    window.show()
    return app.exec()
