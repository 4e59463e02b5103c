"""The settings' owner with signals: ``PlaygroundState`` (pure) wrapped for Qt.

Widgets show ``config`` and ``view`` and ask for changes through ``set_config`` / ``update_view``; they
keep no copy. Every change is announced once, and only if something actually changed.
"""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import QObject, Signal

from ..data import Dataset
from ..training import TrainConfig
from ..training.state import PlaygroundState, ViewState


class StateModel(QObject):
    configChanged = Signal(object, object)  # the new TrainConfig, frozenset of the changed field names
    viewChanged = Signal(object, object)  # the new ViewState, frozenset of the changed field names

    def __init__(self, config: TrainConfig | None = None, view: ViewState | None = None, parent=None):
        super().__init__(parent)
        self._state = PlaygroundState(config, view)

    @property
    def config(self) -> TrainConfig:
        return self._state.config

    @property
    def view(self) -> ViewState:
        return self._state.view

    def set_config(self, config: TrainConfig) -> None:
        old = self._state.config
        if self._state.set_config(config):
            self.configChanged.emit(config, _changed(old, config))

    def set_view(self, view: ViewState) -> None:
        old = self._state.view
        if self._state.set_view(view):
            self.viewChanged.emit(view, _changed(old, view))

    def update_view(self, **changes) -> None:
        self.set_view(self.view.with_changes(**changes))

    def next_seed(self) -> TrainConfig:
        return self._state.next_seed()

    def test_mask(self, dataset: Dataset):
        return self._state.test_mask(dataset)


def _changed(old, new) -> frozenset:
    return frozenset(f.name for f in fields(old) if getattr(old, f.name) != getattr(new, f.name))
