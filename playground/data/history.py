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
        self._base: Dataset | None = None  # the start of an open transaction

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

    # -- transactions: many small changes shown live, one undo step ----------------------------------

    @property
    def in_transaction(self) -> bool:
        return self._base is not None

    def begin(self) -> None:
        """Start a transaction: ``preview`` changes ``current`` without undo entries until ``commit``."""
        self.commit()
        self._base = self.current

    def preview(self, dataset: Dataset) -> bool:
        """Show ``dataset`` as current inside a transaction (outside one it is an ordinary ``push``)."""
        if self._base is None:
            return self.push(dataset)
        if dataset is self.current:
            return False
        self.current = dataset
        return True

    def commit(self, label: str = "edit") -> bool:
        """End the transaction as one undo step from its start; False if nothing changed (or none open)."""
        base, self._base = self._base, None
        if base is None:
            return False
        final, self.current = self.current, base
        return self.push(final, label)

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
