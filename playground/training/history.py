"""A bounded loss history: a million epochs cost a few thousand points of memory and drawing."""

from __future__ import annotations

import numpy as np


class LossHistory:
    """Per-epoch values, kept at full resolution until ``capacity`` points, then halved by keeping every
    other point (and the stride doubles), so memory and plotting cost stay bounded forever."""

    def __init__(self, capacity: int = 4000):
        self.capacity = capacity
        self.stride = 1
        self._epochs: list[np.ndarray] = []
        self._values: list[np.ndarray] = []
        self._epochs_arr = np.zeros(0, dtype=np.int64)
        self._values_arr = np.zeros(0)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        self.stride = 1
        self._epochs, self._values = [], []
        self._n = 0

    def extend(self, epochs, values) -> None:
        epochs = np.asarray(epochs, dtype=np.int64)
        values = np.asarray(values, dtype=np.float64)
        if epochs.size == 0:
            return
        if self.stride > 1:
            keep = (epochs % self.stride) == 0
            epochs, values = epochs[keep], values[keep]
        self._epochs.append(epochs)
        self._values.append(values)
        self._n += epochs.size
        if self._n > self.capacity:
            e, v = self.data()
            keep = (e % (self.stride * 2)) == 0
            self.stride *= 2
            self._epochs, self._values = [e[keep]], [v[keep]]
            self._n = int(keep.sum())

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        if len(self._epochs) > 1:
            self._epochs = [np.concatenate(self._epochs)]
            self._values = [np.concatenate(self._values)]
        if not self._epochs:
            return self._epochs_arr, self._values_arr
        return self._epochs[0], self._values[0]
