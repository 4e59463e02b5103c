"""Datasets: the Dataset value, presets, edits with undo, CSV files. Pure NumPy, no Qt."""

from .csvfile import CsvLoad, load_csv, read_csv, save_csv
from .dataset import MAX_CLASSES, Dataset, DatasetError
from .history import History
from .presets import PRESETS, make_preset

__all__ = [
    "MAX_CLASSES",
    "PRESETS",
    "CsvLoad",
    "Dataset",
    "DatasetError",
    "History",
    "load_csv",
    "make_preset",
    "read_csv",
    "save_csv",
]
