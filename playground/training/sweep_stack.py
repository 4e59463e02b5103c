"""Sweeps trained stacked: K runs of one network shape in lock-step, as one ``StackedNetwork``.

A sweep over the learning rate, the seed (initial weights), the initialiser or the L1 / L2 rate keeps the
network's shape, so its runs train together, each epoch one pass for all of them (``nn/stacked.py``). What
the runs share: the data split and the mini-batch order (both from the first run's seed, so a seed sweep
varies only the initial weights), the optimizer kind and the batch size. Sweeps over anything else (shape,
activation, batch size, ...) run one after another, as before.

Batch sizes that are multiples of one another could share a schedule: the stack going through the smallest
size's batches, each run adding up its gradients and stepping at the end of its own batch. Built and measured
(spiral, 500 points, 2-8-8-3, Adam), it was 1.5 to 2.3 times *slower* than one run after another for sizes
(10, 50, full), (32, 64, full) and (50, 100, full): the summing and per-run steps cost more than the shared
passes save. So a batch-size sweep runs one after another.

``StackedTrainer`` mirrors ``Trainer``: ``step()`` trains one epoch of every run and returns their losses;
``evaluate()`` gives each run's ``Metrics``. A run whose loss or weights stop being finite is marked
diverged and stops counting (its curve ends there), while the others go on.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

import numpy as np

from ..data.dataset import Dataset
from ..nn.stacked import StackedNetwork, StackedOptimizer, add_stacked_regularization
from .config import TrainConfig
from .runs import RunRecord, new_run_uid, thin_curve
from .trainer import Metrics, TrainingStopped, output_for_data, regression_figures, split

# The settings a stacked sweep may vary between its runs; every other field must be the same in all.
STACKABLE_FIELDS = frozenset({"learning_rate", "seed", "init", "l1", "l2", "max_epochs"})


def stackable(configs: Sequence[TrainConfig]) -> bool:
    """True if these runs can train as one stack: at least two, differing only in ``STACKABLE_FIELDS``."""
    if len(configs) < 2:
        return False
    first = configs[0].to_dict()
    for config in configs[1:]:
        other = config.to_dict()
        if any(first[key] != other[key] for key in first if key not in STACKABLE_FIELDS):
            return False
    return True


class StackedTrainer:
    """Trains the runs ``configs`` (``stackable``) on ``dataset`` together."""

    def __init__(self, dataset: Dataset, configs: Sequence[TrainConfig]):
        if not configs:
            raise ValueError("a stacked sweep needs at least one run")
        self.configs = list(configs)
        base = self.base = self.configs[0]
        if len(self.configs) > 1 and not stackable(self.configs):
            raise ValueError("these runs differ in more than learning rate, seed, initialiser and L1/L2 rates")
        self.dataset = dataset
        output, n_out = output_for_data(dataset)
        self.net = StackedNetwork(
            [len(base.features), *base.hidden, n_out],
            activation=base.activation,
            output=output,
            inits=[c.init for c in self.configs],
            seeds=[c.seed for c in self.configs],
            dtype=np.dtype(base.dtype),
        )
        self.optimizer = StackedOptimizer(base.optimizer, [c.learning_rate for c in self.configs], base.momentum)
        self.l1 = [c.l1 for c in self.configs]
        self.l2 = [c.l2 for c in self.configs]
        self._shuffle_rng = np.random.default_rng([base.seed, 1])  # as Trainer: the first run's order
        self.epoch = 0
        self.diverged_at = [0] * len(self.configs)  # the epoch each run diverged at (0: it did not)
        self.should_stop: Callable[[], bool] | None = None  # as Trainer.should_stop: looked at between batches
        (self.test_mask, self.X_train, self.y_train, self.Y_train, self.X_test, self.y_test, self.Y_test) = split(
            dataset, base, self.net
        )

    @property
    def K(self) -> int:  # noqa: N802 - the stack's size, as in nn.stacked
        return len(self.configs)

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    def diverged(self, k: int) -> bool:
        return self.diverged_at[k] > 0

    def step(self) -> np.ndarray:
        """Train one epoch of every run; returns the runs' mean training losses over the epoch's batches
        (before each batch's update, as ``Trainer.step``), ``(K,)``; NaN for a run that has diverged."""
        X, Y = self.X_train, self.Y_train
        n = X.shape[0]
        if n == 0:
            return np.full(self.K, math.nan)
        cfg = self.base
        batch = cfg.batch_size if 0 < cfg.batch_size < n else n
        if batch < n:
            order = self._shuffle_rng.permutation(n)
            X, Y = X[order], Y[order]
        blocks = self.net.blocks()
        total = np.zeros(self.K)
        regularized = any(self.l1) or any(self.l2)
        with np.errstate(all="ignore"):  # a diverging run overflows on its way to inf/NaN; caught below
            for start in range(0, n, batch):
                if self.should_stop is not None and self.should_stop():
                    raise TrainingStopped()
                stop = min(start + batch, n)
                losses, dblocks = self.net.loss_and_block_gradients(X[start:stop], Y[start:stop])
                if regularized:
                    add_stacked_regularization(blocks, dblocks, self.l1, self.l2)
                self.optimizer.step(blocks, dblocks)
                total += losses * (stop - start)
        self.epoch += 1
        losses = total / n
        if any(self.diverged_at) or not np.isfinite(losses).all():
            for k in np.flatnonzero(~np.isfinite(losses)):
                if not self.diverged_at[k]:
                    self.diverged_at[k] = self.epoch
            losses[[k for k in range(self.K) if self.diverged_at[k]]] = math.nan
        return losses

    def evaluate(self) -> list[Metrics]:
        """Each run's train and test loss and accuracy (NaN for a diverged run, or an empty split)."""
        train = self._score(self.X_train, self.Y_train, self.y_train)
        test = self._score(self.X_test, self.Y_test, self.y_test)
        out = []
        for k in range(self.K):
            if self.diverged(k):
                out.append(Metrics(math.nan, math.nan, math.nan, math.nan))
            elif self.net.output_name == "linear":  # a regression: RMSE and R² from the loss
                train_loss, test_loss = float(train[0][k]), float(test[0][k])
                train_rmse, train_r2 = regression_figures(train_loss, self.y_train)
                test_rmse, test_r2 = regression_figures(test_loss, self.y_test)
                out.append(Metrics(train_loss, test_loss, math.nan, math.nan, train_rmse, test_rmse, train_r2, test_r2))
            else:
                out.append(Metrics(float(train[0][k]), float(test[0][k]), float(train[1][k]), float(test[1][k])))
        return out

    def _score(self, X, Y, y) -> tuple[np.ndarray, np.ndarray]:
        if X.shape[0] == 0:
            nan = np.full(self.K, math.nan)
            return nan, nan.copy()
        net = self.net
        with np.errstate(all="ignore"):
            Zt = net.logits_t(X)  # (K, n_out, n)
            if net.output_name == "linear":
                accuracy = np.full(self.K, math.nan)
            elif net.output_name == "sigmoid":
                accuracy = np.mean((Zt[:, 0] >= 0) == (y == 1)[None, :], axis=1)
            else:
                accuracy = np.mean(Zt.argmax(axis=1) == y[None, :], axis=1)
            losses = net.losses_from_logits_t(Zt, Y)
        return losses, accuracy

    def network_blocks(self, k: int) -> list[np.ndarray]:
        """Run ``k``'s ``[W; b]`` blocks (copies)."""
        return [b[k].copy() for b in self.net.blocks()]


class StackedSweep:
    """A sweep's runs ``[(label, config), ...]`` trained as one stack for ``epochs`` epochs, and their records
    while they grow: ``records("training…")`` for the Runs panel during the sweep, ``records()`` at its end.
    Each run keeps one ``uid`` from its first record to its last."""

    def __init__(self, dataset: Dataset, runs: Sequence[tuple[str, TrainConfig]], epochs: int):
        self.labels = [label for label, _ in runs]
        self.trainer = StackedTrainer(dataset, [config for _, config in runs])
        self.epochs = int(epochs)
        self.curves: list[tuple[list, list]] = [([], []) for _ in runs]
        self.uids = [new_run_uid() for _ in runs]
        self.started = time.perf_counter()

    @property
    def notice(self) -> str:
        """What to tell the user as the sweep starts."""
        text = f"Sweep: {len(self.labels)} runs training together…"
        seeds = {c.seed for c in self.trainer.configs}
        if len(seeds) > 1:
            text += f" (all on the split and batch order of seed {self.trainer.base.seed}: only the weights differ)"
        return text

    @property
    def done(self) -> bool:
        t = self.trainer
        return t.epoch >= self.epochs or t.n_train == 0 or all(t.diverged_at)

    def advance(self) -> None:
        """One epoch of every run that has not diverged (a diverged run's curve ends at its last finite loss)."""
        losses = self.trainer.step()
        epoch = self.trainer.epoch
        for (epochs, values), loss in zip(self.curves, losses.tolist()):
            if math.isfinite(loss):
                epochs.append(epoch)
                values.append(loss)

    def records(self, note: str = "") -> list[RunRecord]:
        """Every run's record now; ``note`` (e.g. "stopped") goes in the label. Fresh arrays each call."""
        t = self.trainer
        seconds = time.perf_counter() - self.started
        out = []
        for k, metrics in enumerate(t.evaluate()):
            diverged = t.diverged(k)
            notes = [n for n in ("diverged" if diverged else "", note) if n]
            label = f"{self.labels[k]} ({'; '.join(notes)})" if notes else self.labels[k]
            epochs, values = thin_curve(*self.curves[k])
            out.append(
                RunRecord(
                    t.configs[k],
                    t.diverged_at[k] if diverged else t.epoch,
                    seconds,
                    metrics.train_loss,
                    metrics.test_loss,
                    metrics.train_accuracy,
                    metrics.test_accuracy,
                    epochs,
                    values,
                    label,
                    uid=self.uids[k],
                    train_rmse=metrics.train_rmse,
                    test_rmse=metrics.test_rmse,
                    output=t.net.output_name,
                )
            )
        return out
