"""The Qt layer: windows, widgets, plots and the training worker thread."""

from .main_window import MainWindow

__all__ = ["MainWindow"]
