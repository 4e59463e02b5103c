"""Undo and redo over Dataset values. Every edit, a preset load and a clear included, is one entry."""

from __future__ import annotations

from .dataset import Dataset

DEFAULT_DEPTH = 200


class History:
    def __init__(self, initial: Dataset | None = None, depth: int = DEFAULT_DEPTH):
        self.current = initial if initial is not None else Dataset()
        self.depth = depth
        self._undo: list[tuple[Dataset, str]] = []
        self._redo: list[tuple[Dataset, str]] = []

    def push(self, dataset: Dataset, label: str = "edit") -> bool:
        """Make ``dataset`` current; returns False (and records nothing) when nothing changed."""
        if dataset == self.current:
            return False
        self._undo.append((self.current, label))
        if len(self._undo) > self.depth:
            del self._undo[0]
        self._redo.clear()
        self.current = dataset
        return True

    def clear_undo(self) -> None:
        self._undo.clear()
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_label(self) -> str:
        return self._undo[-1][1] if self._undo else ""

    def redo_label(self) -> str:
        return self._redo[-1][1] if self._redo else ""

    def undo(self) -> bool:
        if not self._undo:
            return False
        previous, label = self._undo.pop()
        self._redo.append((self.current, label))
        self.current = previous
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        following, label = self._redo.pop()
        self._undo.append((self.current, label))
        self.current = following
        return True
