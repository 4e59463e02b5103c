"""The training loop as a plain generator, shared by the window's worker thread and the headless CLI.

``Trainer.run()`` yields one ``EpochResult`` per epoch. Between two steps the caller may change the data
(``set_dataset``) or the settings (``apply``); the next epoch uses them. Nothing here knows about Qt.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..data.dataset import Dataset
from ..nn import Network, make_optimizer
from ..nn.regularization import add_block_regularization
from .config import TrainConfig
from .diagnose import explain_divergence
from .insight import layer_stats


@dataclass(frozen=True)
class Metrics:
    train_loss: float
    test_loss: float  # NaN when there are no test points
    train_accuracy: float
    test_accuracy: float  # NaN when there are no test points


@dataclass
class TrainState:
    """Everything needed to continue a run exactly where it stopped (copies, safe to hand across threads)."""

    epoch: int
    weights: list
    biases: list
    optimizer: dict
    rng_state: dict | None = None


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    train_loss: float  # mean loss over this epoch's batches, before each batch's update
    metrics: Metrics | None  # full evaluation after the epoch, when asked for (see Trainer.eval_every)
    diverged: bool = False
    message: str = ""


def _split_slots(state: dict) -> dict:
    """Optimizer slots kept per [W; b] block, saved as the weights' arrays followed by the biases'."""
    out = {}
    for key, value in state.items():
        if isinstance(value, list):
            out[key] = [blk[:-1].copy() for blk in value] + [blk[-1].copy() for blk in value]
        else:
            out[key] = value
    return out


def _join_slots(state: dict, n_layers: int) -> dict:
    out = {}
    for key, value in state.items():
        if isinstance(value, list) and len(value) == 2 * n_layers:
            out[key] = [
                np.vstack([np.asarray(W), np.asarray(b)[None, :]]) for W, b in zip(value[:n_layers], value[n_layers:])
            ]
        else:
            out[key] = value
    return out


def explosion_threshold(reference: float) -> float:
    """A loss this far above the first loss since the last reset, data or setting change means the run
    is diverging: for a fresh binary network (loss ~0.69) that is 2.7, far worse than guessing."""
    return max(3.0 * reference, reference + 2.0)


def output_for(n_classes: int) -> tuple[str, int]:
    """The output layer the data calls for: one sigmoid unit for two classes, softmax for more."""
    return ("sigmoid", 1) if n_classes <= 2 else ("softmax", n_classes)


class Trainer:
    """Owns a network, its optimizer and the data split, and trains epoch by epoch.

    ``eval_every``: compute full train/test metrics every that many epochs (1 = every epoch, 0 = only on
    ``evaluate()``). The window evaluates when it is about to draw instead, which keeps the loop lean.
    """

    def __init__(self, dataset: Dataset, config: TrainConfig | None = None, eval_every: int = 1):
        self.config = config or TrainConfig()
        self.eval_every = eval_every
        self.epoch = 0
        self.last_stats = None
        self.last_grads = None
        self.stats_epoch = -1  # the epoch last_stats describe
        self.net: Network | None = None
        self.optimizer = None
        self.dataset = Dataset()
        self._shuffle_rng = np.random.default_rng([self.config.seed, 1])
        self.set_dataset(dataset)
        self.reset()

    # -- set-up --------------------------------------------------------------------------------

    def reset(self, seed: int | None = None) -> None:
        """New weights from the seed (the config's, or ``seed``), fresh optimizer state, epoch 0."""
        if seed is not None:
            self.config = self.config.with_changes(seed=seed)
        cfg = self.config
        output, n_out = output_for(self.dataset.n_classes)
        self.net = Network(
            [2, *cfg.hidden, n_out],
            activation=cfg.activation,
            output=output,
            init=cfg.init,
            seed=cfg.seed,
            dtype=np.dtype(cfg.dtype),
        )
        self._make_optimizer()
        self._shuffle_rng = np.random.default_rng([cfg.seed, 1])
        self.epoch = 0
        self.reference_loss = None
        self.last_stats = self.last_grads = None
        self.stats_epoch = -1
        self._encode()

    def state(self) -> TrainState:
        net = self.net
        return TrainState(
            epoch=self.epoch,
            weights=[W.copy() for W in net.weights],
            biases=[b.copy() for b in net.biases],
            optimizer=_split_slots(self.optimizer.get_state()),
            rng_state=self._shuffle_rng.bit_generator.state,
        )

    def restore(self, state: TrainState) -> None:
        """Continue from ``state``: the weights and biases must fit this trainer's network."""
        net = self.net
        for target, source in zip([*net.weights, *net.biases], [*state.weights, *state.biases]):
            if target.shape != np.shape(source):
                raise ValueError(f"a saved parameter has shape {np.shape(source)}, the network needs {target.shape}")
        for target, source in zip([*net.weights, *net.biases], [*state.weights, *state.biases]):
            target[...] = source
        self.epoch = int(state.epoch)
        if state.optimizer:
            self.optimizer.set_state(_join_slots(state.optimizer, len(net.weights)), dtype=net.dtype)
        if state.rng_state:
            self._shuffle_rng.bit_generator.state = state.rng_state
        self.reference_loss = None

    def _make_optimizer(self) -> None:
        cfg = self.config
        extra = {"beta": cfg.momentum} if cfg.optimizer == "momentum" else {}
        self.optimizer = make_optimizer(cfg.optimizer, cfg.learning_rate, **extra)

    def apply(self, config: TrainConfig) -> bool:
        """Use new settings. Returns True if they changed the network's shape or init (so it was reset);
        learning rate, optimizer, batch size and regularisation apply to the running network."""
        old, self.config = self.config, config
        if old.needs_reset(config):
            self.reset()
            return True
        if config.optimizer != old.optimizer or config.momentum != old.momentum:
            self._make_optimizer()
        else:
            self.optimizer.learning_rate = config.learning_rate
        self.reference_loss = None
        if config.test_ratio != old.test_ratio:
            self._split()
        return False

    def set_dataset(self, dataset: Dataset) -> bool:
        """Train on new data from the next epoch. Returns True if the number of classes changed the
        output layer, which resets the network."""
        old_output = output_for(self.dataset.n_classes) if self.net is not None else None
        self.dataset = dataset
        self.reference_loss = None
        if old_output is not None and output_for(dataset.n_classes) != old_output:
            self._split()  # the old network cannot encode the new labels: split, then rebuild it
            self.reset()
            return True
        self._split()
        return False

    def _split(self) -> None:
        ds = self.dataset
        self.test_mask = ds.test_mask(self.config.test_ratio, self.config.seed)
        if self.net is not None and output_for(ds.n_classes)[1] == self.net.layer_sizes[-1]:
            self._encode()

    def _encode(self) -> None:
        """Convert the split once into the network's dtype and target encoding (not per step)."""
        net, ds, mask = self.net, self.dataset, self.test_mask
        dt = net.dtype
        self.X_train = np.ascontiguousarray(ds.X[~mask], dtype=dt)
        self.y_train = ds.y[~mask]
        self.X_test = np.ascontiguousarray(ds.X[mask], dtype=dt)
        self.y_test = ds.y[mask]
        self.Y_train = net.encode_targets(self.y_train)
        self.Y_test = net.encode_targets(self.y_test)

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    # -- training ------------------------------------------------------------------------------

    def probe(self):
        """Layer statistics at the current weights without training: the full-batch gradient, and no
        update (``update_ratio`` is NaN). For a paused run, whose last step was not recorded."""
        blocks = self.net.blocks()
        if self.X_train.shape[0] == 0:
            return None
        with np.errstate(all="ignore"):
            _, dblocks = self.net.loss_and_block_gradients(self.X_train, self.Y_train)
        grads = [d.copy() for d in dblocks]
        self.last_stats = layer_stats(self.net, grads, blocks, blocks, self.X_train)
        for s in self.last_stats:
            s.update_ratio = float("nan")
        self.last_grads = grads
        self.stats_epoch = self.epoch
        return self.last_stats

    def record_step(self):
        """Train one epoch and return per-layer statistics of its last step (see ``insight.layer_stats``)."""
        self.step(record=True)
        return self.last_stats

    def step(self, record: bool = False) -> EpochResult:
        """Train one epoch: shuffled mini-batches (or the full batch), one optimizer step each.

        With ``record``, also keep ``last_stats``: gradient, weight and update norms of the epoch's last step
        and unit saturation on the training data. It costs a copy of the weights, so the window asks for it
        only when it is about to draw."""
        net, cfg = self.net, self.config
        X, Y = self.X_train, self.Y_train
        n = X.shape[0]
        if n == 0:
            return EpochResult(self.epoch, math.nan, None, True, "There are no training points yet.")
        batch = cfg.batch_size if 0 < cfg.batch_size < n else n
        if batch < n:
            order = self._shuffle_rng.permutation(n)
            X, Y = X[order], Y[order]
        # Each layer's W and b are views of one [W; b] block: the optimizer updates a block in one step.
        blocks = net.blocks()
        step, l1, l2 = self.optimizer.step, cfg.l1, cfg.l2
        total = 0.0
        # A diverging run overflows on the way to inf/NaN; that is caught below, not warned about.
        with np.errstate(all="ignore"):
            for start in range(0, n, batch):
                stop = start + batch
                loss, dblocks = net.loss_and_block_gradients(X[start:stop], Y[start:stop])
                if l1 or l2:
                    add_block_regularization(blocks, dblocks, l1, l2)
                if record and stop >= n:
                    before = [b.copy() for b in blocks]
                    grads = [d.copy() for d in dblocks]  # the optimizer may scale them in place
                step(blocks, dblocks)
                total += loss * min(batch, n - start)
            if record:
                self.last_stats = layer_stats(net, grads, before, blocks, self.X_train)
                self.last_grads = grads
                self.stats_epoch = self.epoch + 1
        self.epoch += 1
        train_loss = total / n
        problem = self._problem(train_loss)
        if problem:
            return EpochResult(self.epoch, train_loss, None, True, explain_divergence(self, problem, train_loss))
        metrics = None
        if self.eval_every and self.epoch % self.eval_every == 0:
            metrics = self.evaluate()
        return EpochResult(self.epoch, train_loss, metrics)

    def _problem(self, loss: float) -> str:
        """'loss' or 'weights' if either stopped being finite, 'exploded' if the loss shot far above
        where this stretch of training started (the stable losses rarely reach inf: a too-large step
        saturates the units instead, and the loss jumps and stays high), else ''."""
        if not math.isfinite(loss):
            return "loss"
        # Non-finite weights show in the next epoch's loss almost always; a saturated unit can hide them,
        # so look at the weights themselves too, every few epochs (a full scan costs as much as the step).
        if self.epoch % 16 == 0 and not all(np.isfinite(np.vdot(b, b)) for b in self.net.blocks()):
            return "weights"
        if self.reference_loss is None:
            self.reference_loss = (self.epoch, loss)
        elif loss > explosion_threshold(self.reference_loss[1]):
            return "exploded"
        return ""

    def run(self, max_epochs: int | None = None) -> Iterator[EpochResult]:
        """Yield one result per epoch until the epoch limit (argument or config) or a divergence."""
        limit = max_epochs if max_epochs is not None else self.config.max_epochs
        while not limit or self.epoch < limit:
            result = self.step()
            yield result
            if result.diverged:
                return

    def evaluate(self) -> Metrics:
        net = self.net
        train_loss, train_acc = self._score(self.X_train, self.Y_train, self.y_train)
        test_loss, test_acc = self._score(self.X_test, self.Y_test, self.y_test)
        return Metrics(train_loss, test_loss, train_acc, test_acc) if net else None

    def _score(self, X, Y, y) -> tuple[float, float]:
        if X.shape[0] == 0:
            return math.nan, math.nan
        with np.errstate(all="ignore"):
            Z = self.net._logits(X)
            loss = self.net.head.loss(Z, Y)
        if Z.shape[1] == 1:
            predicted = (Z[:, 0] >= 0).astype(np.int64)
        else:
            predicted = Z.argmax(axis=1)
        return loss, float(np.mean(predicted == y))


def train_headless(dataset: Dataset, config: TrainConfig, epochs: int, on_epoch=None) -> dict:
    """Train for ``epochs`` (or until divergence) and return the final figures as a plain dict."""
    trainer = Trainer(dataset, config, eval_every=0)
    start = time.perf_counter()
    last = None
    for last in trainer.run(epochs):
        if on_epoch is not None:
            on_epoch(trainer, last)
    elapsed = time.perf_counter() - start
    m = trainer.evaluate()
    return {
        "epochs": trainer.epoch,
        "seconds": elapsed,
        "epochs_per_second": trainer.epoch / elapsed if elapsed > 0 else math.inf,
        "train_loss": m.train_loss,
        "test_loss": m.test_loss,
        "train_accuracy": m.train_accuracy,
        "test_accuracy": m.test_accuracy,
        "diverged": bool(last and last.diverged),
        "message": last.message if last else "",
        "trainer": trainer,
    }
