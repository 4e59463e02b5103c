"""The settings' owner with signals: ``PlaygroundState`` (pure) wrapped for Qt.

Widgets show ``config`` and ``view`` and ask for changes through ``set_config`` / ``update_view``; they
keep no copy. Every change is announced once, and only if something actually changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..data import Dataset
from ..training import TrainConfig
from ..training.state import PlaygroundState, ViewState


class StateModel(QObject):
    configChanged = Signal(object)  # TrainConfig
    viewChanged = Signal(object)  # ViewState

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
        if self._state.set_config(config):
            self.configChanged.emit(config)

    def set_view(self, view: ViewState) -> None:
        if self._state.set_view(view):
            self.viewChanged.emit(view)

    def update_view(self, **changes) -> None:
        self.set_view(self.view.with_changes(**changes))

    def next_seed(self) -> TrainConfig:
        return self._state.next_seed()

    def test_mask(self, dataset: Dataset):
        return self._state.test_mask(dataset)
