"""When is a run diverging, and what to tell the learner. One rule, one object, one meaning.

A run has **diverged** when its loss or weights stop being finite, or when its loss rose far above the best
loss of this stretch of training *and did not come back down* for a whole window of epochs. A single late
spike (Adam does that near a minimum) is not divergence. A loss that keeps jumping up and down without
settling is **oscillating**: training goes on, and the learner is told why and what to try.

The watch also keeps a checkpoint of the last healthy weights, so a diverged run can be rolled back and
continued (with a lower learning rate) instead of starting again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .config import TrainConfig

WINDOW = 100  # epochs a loss may stay far above the best before the run counts as diverged
CHECK_EVERY = 16  # epochs between scans of the weights (a full scan costs as much as a small step)
RISE = 1.5  # an epoch whose loss is this many times the previous one is a jump up
OSCILLATING_SHARE = 0.2  # ... and a window with at least this share of jumps is oscillating


def far_above(best: float) -> float:
    """A loss above this is far worse than the best seen: for a fresh binary network (loss ~0.69) that is
    2.7, worse than guessing."""
    return max(3.0 * best, best + 2.0)


@dataclass(frozen=True)
class Divergence:
    kind: str  # "loss" (not finite), "weights" (not finite) or "exploded" (far above the best, stayed there)
    epoch: int
    loss: float  # the epoch's training loss when the run was stopped
    best_epoch: int
    best_loss: float


@dataclass(frozen=True)
class Oscillation:
    epoch: int
    low: float  # the lowest and highest training loss over the window
    high: float
    window: int


@dataclass
class Checkpoint:
    epoch: int
    loss: float
    blocks: list  # copies of the network's [W; b] blocks


class DivergenceWatch:
    """Feed it every epoch's loss with ``check``; it answers a ``Divergence``, an ``Oscillation`` (at most
    once per stretch) or None, and keeps ``checkpoint``: the last weights that were finite and near the best."""

    def __init__(self) -> None:
        self.checkpoint: Checkpoint | None = None
        self.restart()

    def restart(self) -> None:
        """Start a new stretch (new data, new weights, a rolled-back run): forget the best loss."""
        self.best_loss = math.inf
        self.best_epoch = 0
        self.previous = math.nan
        self.window_start = -1
        self.window_low = math.inf
        self.window_high = -math.inf
        self.jumps = 0
        self.warned = False

    def check(self, epoch: int, loss: float, blocks) -> Divergence | Oscillation | None:
        if not math.isfinite(loss):
            return self._divergence("loss", epoch, loss)
        if epoch % CHECK_EVERY == 0 or self.checkpoint is None:
            if not all(np.isfinite(np.vdot(b, b)) for b in blocks):
                return self._divergence("weights", epoch, loss)
            if loss <= far_above(self.best_loss) or self.checkpoint is None:
                self.checkpoint = Checkpoint(epoch, loss, [b.copy() for b in blocks])
        if loss < self.best_loss:
            self.best_loss, self.best_epoch = loss, epoch
        if loss > RISE * self.previous:
            self.jumps += 1
        self.previous = loss
        if self.window_start < 0:
            self.window_start = epoch
        self.window_low = min(self.window_low, loss)
        self.window_high = max(self.window_high, loss)
        if epoch - self.window_start < WINDOW:
            return None
        low, high, jumps = self.window_low, self.window_high, self.jumps
        self.window_start, self.window_low, self.window_high, self.jumps = epoch, math.inf, -math.inf, 0
        if low > far_above(self.best_loss):
            return self._divergence("exploded", epoch, loss)
        if jumps >= OSCILLATING_SHARE * WINDOW and not self.warned:
            self.warned = True
            return Oscillation(epoch, low, high, WINDOW)
        return None

    def _divergence(self, kind: str, epoch: int, loss: float) -> Divergence:
        return Divergence(kind, epoch, loss, self.best_epoch, self.best_loss)


def _lr_too_high(config: TrainConfig) -> bool:
    return config.learning_rate >= 1.0 or (config.optimizer != "sgd" and config.learning_rate >= 0.1)


def explain(d: Divergence, config: TrainConfig, rolled_back_to: Checkpoint | None, loss_now: float) -> str:
    """Why the run stopped, naming the evidence, what was done about it, and what to try."""
    if d.kind == "exploded":
        evidence = (
            f"Training paused at epoch {d.epoch:,}: the training loss rose from its best, {d.best_loss:.4g} "
            f"(epoch {d.best_epoch:,}), to {d.loss:.4g} and stayed far above it for {WINDOW} epochs."
        )
    else:
        evidence = f"Training paused at epoch {d.epoch:,}: the {d.kind} became infinite or NaN (not a number)."
    if _lr_too_high(config):
        cause = (
            f"The learning rate {config.learning_rate:g} is too high for this network: each step overshoots "
            "the minimum, the weights grow, the units saturate and the loss explodes."
        )
    else:
        cause = "The steps grew until the loss exploded; a smaller learning rate usually cures it."
    if rolled_back_to is not None:
        done = (
            f"The weights were rolled back to epoch {rolled_back_to.epoch:,} "
            f"(training loss now {loss_now:.4f}); press Train to continue from there."
        )
    else:
        done = "Press Reset to start again."
    advice = f"Try a learning rate of {config.learning_rate / 10:g} or less."
    if config.init == "seed":
        advice += " The 'xavier' or 'he' initialiser also keeps the first steps small."
    return " ".join([evidence, cause, advice, done])


def explain_oscillation(o: Oscillation, config: TrainConfig) -> str:
    return (
        f"The loss is oscillating: over the last {o.window} epochs it jumped between {o.low:.3g} and "
        f"{o.high:.3g} instead of settling. The learning rate {config.learning_rate:g} is probably too high; "
        f"try {config.learning_rate / 10:g}."
    )
