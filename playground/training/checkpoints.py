"""Weights kept along a run, to go back to: at log-spaced epochs for the whole run, and a ring of recent ones.

Early epochs change a network most, so the run's whole history is kept at epochs 1, 2, 3, 4, 5, 6, 7, 8,
10, 11, 13, 16, ... (four per doubling, ``PER_OCTAVE``): a million epochs cost about 80 snapshots. The last
stretch is kept finer, in a ring of ``ring`` snapshots taken every ``ring_stride(epoch)`` epochs: every
epoch early on, then a power of two that grows with the run so the ring spans about its last quarter
(at thousands of epochs a second, a snapshot of every epoch would cost more than training and span a
blink). Both are bounded in bytes (``MAX_BYTES``): a big network keeps fewer recent snapshots, never more
memory. ``nbytes`` says how much; ``for_saving`` picks what a session file keeps (``SAVE_BYTES``).

``at(epoch)`` gives the snapshot at or just before an epoch: what "branch from here" starts from.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

PER_OCTAVE = 4
RING = 64
MAX_BYTES = 64 * 2**20  # both stores together, at most
SAVE_BYTES = 4 * 2**20  # of them, what a session file keeps (it is rewritten on every autosave)
SAVE_COUNT = 400  # and at most this many snapshots (a session may hold 1,000: reopened and saved, it stays bounded)


def ring_stride(epoch: int, ring: int = RING) -> int:
    """Epochs between two snapshots of the recent ring at ``epoch``: 1 up to ``8 * ring``, then the power of
    two at or below ``epoch / (4 * ring)``."""
    return 1 << max(0, (max(epoch, 1) // (4 * ring)).bit_length() - 1)


def is_log_epoch(epoch: int, per_octave: int = PER_OCTAVE) -> bool:
    """True for the epochs kept for the whole run: every epoch up to ``per_octave * 2``, then the epochs
    nearest to 2^(k / per_octave)."""
    if epoch <= 2 * per_octave:
        return epoch >= 0
    k = round(per_octave * math.log2(epoch))
    return epoch == round(2 ** (k / per_octave))


@dataclass(frozen=True)
class Checkpoint:
    epoch: int
    blocks: tuple  # copies of the network's [W; b] blocks


class Checkpoints:
    def __init__(self, ring: int = RING, max_bytes: int = MAX_BYTES):
        self.ring_size = ring
        self.max_bytes = max_bytes
        self.clear()

    def clear(self) -> None:
        self.log: list[Checkpoint] = []  # oldest first
        self.recent: deque[Checkpoint] = deque()
        self._snapshot_bytes = 0

    @property
    def nbytes(self) -> int:
        """Bytes of weights kept (a snapshot in both stores counts once)."""
        return self._snapshot_bytes * len({id(c) for c in (*self.log, *self.recent)})

    def record(self, epoch: int, blocks) -> None:
        """Keep the weights of ``epoch`` (after that epoch's training) if either store wants them."""
        if epoch % ring_stride(epoch, self.ring_size) and not is_log_epoch(epoch):
            return  # the common case, in a microsecond: neither store wants this epoch
        size = sum(b.nbytes for b in blocks)
        if self._snapshot_bytes != size:  # a new network: what was kept belongs to another one
            self.clear()
            self._snapshot_bytes = size
        budget = max(self.max_bytes // max(size, 1), 2)
        ring = max(1, min(self.ring_size, budget // 2))
        wants_log = is_log_epoch(epoch) and len(self.log) < budget - ring
        if self.log and self.log[-1].epoch >= epoch or self.recent and self.recent[-1].epoch >= epoch:
            return  # not a later epoch (a restored run): keep what is there
        if not all(np.isfinite(b).all() for b in blocks):
            return  # a diverging step's weights: nothing to go back to (and a session could not hold them)
        snapshot = Checkpoint(int(epoch), tuple(np.array(b, copy=True) for b in blocks))
        if wants_log:
            self.log.append(snapshot)
        self.recent.append(snapshot)  # shares the arrays with the log's copy when both keep it
        while len(self.recent) > ring:
            self.recent.popleft()

    def epochs(self) -> list[int]:
        """Every kept epoch, ascending."""
        return sorted({c.epoch for c in self.log} | {c.epoch for c in self.recent})

    def at(self, epoch: int) -> Checkpoint | None:
        """The latest snapshot at or before ``epoch`` (None if there is none)."""
        best = None
        for c in (*self.log, *self.recent):
            if c.epoch <= epoch and (best is None or c.epoch > best.epoch):
                best = c
        return best

    def for_saving(self, max_bytes: int = SAVE_BYTES) -> tuple[Checkpoint, ...]:
        """The snapshots a session keeps, oldest first: all of them if they fit in ``max_bytes``, else as many
        as fit, spread evenly over the run (the first and the latest always)."""
        kept = sorted({c.epoch: c for c in (*self.log, *self.recent)}.values(), key=lambda c: c.epoch)
        room = min(max_bytes // max(self._snapshot_bytes, 1), SAVE_COUNT)
        if len(kept) <= room:
            return tuple(kept)
        if room < 2:  # one snapshot fits, or none (a big network: the session keeps no timeline)
            return tuple(kept[-room:]) if room else ()
        picks = np.unique(np.round(np.linspace(0, len(kept) - 1, room)).astype(int))
        return tuple(kept[i] for i in picks)

    def restore(self, saved, blocks) -> None:
        """Keep ``saved`` snapshots (from a session, oldest first) after the current network's (``blocks``):
        those that do not fit its shape are left out. Each goes where ``record`` would have put it (the
        log-spaced epochs to the log, the others to the bounded ring), so reopening and saving again and again
        never makes the store grow."""
        shapes = [np.shape(b) for b in blocks]
        self.clear()
        self._snapshot_bytes = sum(b.nbytes for b in blocks)
        budget = max(self.max_bytes // max(self._snapshot_bytes, 1), 2)
        ring = max(1, min(self.ring_size, budget // 2))
        for c in sorted(saved, key=lambda c: c.epoch):
            if [np.shape(b) for b in c.blocks] == shapes:
                snapshot = Checkpoint(int(c.epoch), tuple(np.array(b, dtype=blocks[0].dtype) for b in c.blocks))
                if is_log_epoch(snapshot.epoch) and len(self.log) < budget - ring:
                    self.log.append(snapshot)
                else:
                    self.recent.append(snapshot)
                    while len(self.recent) > ring:
                        self.recent.popleft()
