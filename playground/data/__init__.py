"""Datasets: the Dataset value, presets, edits with undo. Pure NumPy, no Qt.

The CSV functions live in ``playground.files.csv`` (files sit above training, which sits above data), but
the public contract is ``from playground.data import load_csv, save_csv``. They are re-exported lazily
(PEP 562 module ``__getattr__``): importing ``playground.data`` does not import ``playground.files``, so
there is no import cycle, and the layer contract carries one declared exception for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dataset import MAX_CLASSES, Dataset, DatasetError
from .history import History
from .presets import PRESETS, make_preset

if TYPE_CHECKING:
    from ..files.csv import CsvLoad, load_csv, read_csv, save_csv

_FROM_FILES = frozenset({"CsvLoad", "load_csv", "read_csv", "save_csv"})

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


def __getattr__(name: str):
    if name in _FROM_FILES:
        from ..files import csv

        return getattr(csv, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
