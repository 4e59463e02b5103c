"""Preset data and suggested settings: a preset loads as a new run, and the settings known to learn it
well are one click away."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from ..data import Dataset, make_preset
from ..training.commands import NewRun
from .data_model import DatasetModel
from .state_model import StateModel
from .suggest import suggested_config


class PresetActions(QObject):
    def __init__(self, thread, model: DatasetModel, state: StateModel, notify, parent=None):
        super().__init__(parent)
        self.thread = thread
        self.model = model
        self.state = state
        self.notify = notify
        self.origin: str | None = None  # the preset the data came from, for suggested settings
        self.loaded: Dataset | None = None  # the points as that preset made them (edited, they are "custom")

    def loaded_name(self, dataset: Dataset) -> str | None:
        """The preset these points are, as generated; None for custom points (edited, a CSV, a session)."""
        return self.origin if dataset is self.loaded else None

    def remember(self, name: str, dataset: Dataset) -> None:
        self.origin, self.loaded = name, dataset

    @Slot(str, int, float)
    def load(self, name: str, n_points: int, noise: float) -> None:
        """Load a preset as a new run (the old one goes to Runs); one undo brings the old points back."""
        ds = make_preset(name, n_points, noise, seed=self.state.config.seed)
        self.remember(name, ds)
        self.thread.send(NewRun(ds, self.state.config))
        self.model.replace(ds, f"load {name}")

    @Slot()
    def suggest(self) -> None:
        origin = self.origin
        self.state.set_config(suggested_config(origin, self.state.config))
        self.notify(f"Suggested settings for {f'the {origin} preset' if origin else 'your data'} applied.")
