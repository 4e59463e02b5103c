"""The training loop as a plain generator, shared by the window's worker thread and the headless CLI.

``Trainer.run()`` yields one ``EpochResult`` per epoch. Between two steps the caller may change the data
(``set_dataset``) or the settings (``apply``); the next epoch uses them. Nothing here knows about Qt.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ..data.dataset import Dataset
from ..data.features import feature_matrix
from ..nn import FusedNetwork, make_optimizer
from ..nn.regularization import add_block_regularization
from .config import TrainConfig
from .divergence import Divergence, DivergenceWatch, Oscillation, explain, explain_oscillation
from .insight import layer_stats

# Work (rows x parameters) done between two looks at ``should_stop``: a big full batch is computed in
# chunks of rows (the gradients summed, so the step is the same full-batch step), which keeps a window
# that is closing from waiting for a whole epoch of a 10x256 network on 100,000 points.
CHUNK_WORK = 2**30
MIN_CHUNK_ROWS = 2048


class TrainingStopped(Exception):  # noqa: N818 - a signal to stop, not an error
    """Raised by ``Trainer.step``/``evaluate`` when ``should_stop()`` turned true: the epoch was abandoned
    (for a full batch before any update; for mini-batches after the last finished batch)."""


@dataclass(frozen=True)
class Metrics:
    """A network's figures on the split. Classification: accuracies (the RMSE and R² fields are NaN);
    regression: root mean squared error and R² = 1 - MSE / variance of the values (accuracies are NaN)."""

    train_loss: float
    test_loss: float  # NaN when there are no test points
    train_accuracy: float
    test_accuracy: float  # NaN when there are no test points
    train_rmse: float = math.nan
    test_rmse: float = math.nan
    train_r2: float = math.nan
    test_r2: float = math.nan

    @property
    def is_regression(self) -> bool:
        """Figures of a regression (some RMSE measured)."""
        return not (math.isnan(self.train_rmse) and math.isnan(self.test_rmse))


MSE_PER_LOSS = 2.0  # a linear output's loss is half the mean squared error (see nn.outputs): MSE = 2 x loss


def regression_figures(loss: float, y: np.ndarray) -> tuple[float, float]:
    """``(rmse, r2)`` from a linear output's loss (``1/2`` the mean squared error, see ``nn.outputs``) on
    values ``y``: R² is 1 - MSE / the values' variance (NaN when they do not vary)."""
    if y.shape[0] == 0 or not math.isfinite(loss):
        return math.nan, math.nan
    mse = MSE_PER_LOSS * loss
    variance = float(np.var(np.asarray(y, dtype=np.float64)))
    return math.sqrt(max(mse, 0.0)), (1.0 - mse / variance if variance > 0 else math.nan)


def split(dataset: Dataset, config: TrainConfig, net) -> tuple:
    """The one derivation of the split from the data and the settings, for ``net`` (anything with ``dtype``
    and ``encode_targets``): ``(test_mask, X_train, y_train, Y_train, X_test, y_test, Y_test)``. The X arrays
    hold the network's inputs, the features of the points, not the points."""
    mask = dataset.test_mask(config.test_ratio, config.seed)
    X_train = feature_matrix(dataset.X[~mask], config.features, net.dtype)
    X_test = feature_matrix(dataset.X[mask], config.features, net.dtype)
    y_train, y_test = dataset.y[~mask], dataset.y[mask]
    return mask, X_train, y_train, net.encode_targets(y_train), X_test, y_test, net.encode_targets(y_test)


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
    divergence: Divergence | None = None  # set when the run diverged (the weights were rolled back)
    message: str = ""  # for the learner: why it diverged, or that the loss oscillates
    stats: StepStats | None = None  # the step's layer statistics, when recorded

    @property
    def diverged(self) -> bool:
        return self.divergence is not None


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
                np.vstack([np.asarray(W), np.asarray(b)[None, :]])
                for W, b in zip(value[:n_layers], value[n_layers:], strict=True)
            ]
        else:
            out[key] = value
    return out


def output_for(n_classes: int) -> tuple[str, int]:
    """The output layer the data calls for: one sigmoid unit for two classes, softmax for more."""
    return ("sigmoid", 1) if n_classes <= 2 else ("softmax", n_classes)


def output_for_data(dataset: Dataset) -> tuple[str, int]:
    """The output layer a dataset calls for: one linear unit (mean squared error) for values, else by
    its number of classes (``output_for``)."""
    return ("linear", 1) if dataset.is_regression else output_for(dataset.n_classes)


@dataclass(frozen=True)
class StepStats:
    """What the insight panels read about one step: per-layer statistics and the [dW; db] gradients."""

    epoch: int
    layers: list  # insight.LayerStats per layer
    grads: list  # per layer: [dW; db] copies


class Trainer:
    """Owns a network, its optimizer and the data split, and trains epoch by epoch.

    Built in one step: the network, the optimizer and the split exist from the start. ``_prepare`` is the
    one place that derives the split and the encoded arrays from the data and the settings; every change
    of data, seed, test ratio or output goes through it, so what is trained on is always what is shown.

    ``eval_every``: compute full train/test metrics every that many epochs (1 = every epoch, 0 = only on
    ``evaluate()``). The window evaluates when it is about to draw instead, which keeps the loop lean.
    """

    def __init__(
        self,
        dataset: Dataset,
        config: TrainConfig | None = None,
        eval_every: int = 1,
        state: TrainState | None = None,
    ):
        self.config = config or TrainConfig()
        self.eval_every = eval_every
        self.dataset = dataset
        self.watch = DivergenceWatch()
        self.net, self.optimizer, self._shuffle_rng = self._fresh(self.config)
        self.epoch = 0
        # ``() -> bool``, looked at between batches and chunks of rows; True abandons the epoch
        # (``TrainingStopped``). The window's worker sets it to its stop flag; None: never stop.
        self.should_stop: Callable[[], bool] | None = None
        self._prepare()
        if state is not None:
            self.restore(state)

    # -- set-up --------------------------------------------------------------------------------

    def _fresh(self, cfg: TrainConfig):
        """A new network from the seed, a fresh optimizer and shuffling generator."""
        output, n_out = output_for_data(self.dataset)
        net = FusedNetwork(
            [len(cfg.features), *cfg.hidden, n_out],
            activation=cfg.activation,
            output=output,
            init=cfg.init,
            seed=cfg.seed,
            dtype=np.dtype(cfg.dtype),
        )
        return net, _optimizer(cfg), np.random.default_rng([cfg.seed, 1])

    def reset(self, seed: int | None = None) -> None:
        """New weights from the seed (the config's, or ``seed``), fresh optimizer state, epoch 0, and the
        split that seed makes."""
        if seed is not None:
            self.config = self.config.with_changes(seed=seed)
        self.net, self.optimizer, self._shuffle_rng = self._fresh(self.config)
        self.epoch = 0
        self.watch = DivergenceWatch()
        self._prepare()

    def _prepare(self) -> bool:
        """Derive the split and the encoded arrays from the data and the settings. If the data needs another
        output layer (a third class), the network is rebuilt first: returns True then."""
        ds, cfg = self.dataset, self.config
        rebuilt = output_for_data(ds) != (self.net.output_name, self.net.layer_sizes[-1])
        if rebuilt:
            self.net, self.optimizer, self._shuffle_rng = self._fresh(cfg)
            self.epoch = 0
        self.watch.restart()
        (self.test_mask, self.X_train, self.y_train, self.Y_train, self.X_test, self.y_test, self.Y_test) = split(
            ds, cfg, self.net
        )
        return rebuilt

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
        targets = [*net.weights, *net.biases]
        sources = [*state.weights, *state.biases]
        if len(targets) != len(sources):
            raise ValueError(f"the saved state has {len(sources)} parameter arrays, the network {len(targets)}")
        for target, source in zip(targets, sources, strict=True):
            if target.shape != np.shape(source):
                raise ValueError(f"a saved parameter has shape {np.shape(source)}, the network needs {target.shape}")
        for target, source in zip(targets, sources, strict=True):
            target[...] = source
        self.epoch = int(state.epoch)
        if state.optimizer:
            self.optimizer.set_state(_join_slots(state.optimizer, len(net.weights)), dtype=net.dtype)
        if state.rng_state:
            self._shuffle_rng.bit_generator.state = state.rng_state
        self.watch = DivergenceWatch()

    def apply(self, config: TrainConfig) -> bool:
        """Use new settings. Returns True if they changed the network's shape, init or seed (so it was
        reset); learning rate, optimizer, batch size and regularisation apply to the running network."""
        old, self.config = self.config, config
        if old.needs_reset(config):
            self.reset()
            return True
        if config.optimizer != old.optimizer or config.momentum != old.momentum:
            self.optimizer = _optimizer(config)
        else:
            self.optimizer.learning_rate = config.learning_rate
        if config.test_ratio != old.test_ratio:
            self._prepare()
        return False

    def set_dataset(self, dataset: Dataset) -> bool:
        """Train on new data from the next epoch. Returns True if the number of classes changed the
        output layer, which resets the network."""
        self.dataset = dataset
        return self._prepare()

    def set_weight(self, layer: int, row: int, col: int, value: float) -> bool:
        """Set one entry of layer ``layer``'s [W; b] block (row ``fan_in`` is the bias). False if out of range."""
        blocks = self.net.blocks()
        if not (0 <= layer < len(blocks) and 0 <= row < blocks[layer].shape[0] and 0 <= col < blocks[layer].shape[1]):
            return False
        if not math.isfinite(value):
            return False
        blocks[layer][row, col] = value
        self.watch.restart()
        return True

    def inputs(self, X) -> np.ndarray:
        """The network's input for raw points ``X`` ``(n, 2)``: their features, in the network's dtype."""
        return feature_matrix(X, self.config.features, self.net.dtype)

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    # -- training ------------------------------------------------------------------------------

    def next_step(self, fresh: bool = False) -> tuple[list, int] | None:
        """What the next optimizer step will change, without taking it: ``([ΔW; Δb] per layer, batch rows)``.

        Exactly the first step of the next epoch: the same shuffle (from a copy of the generator), the same
        batch, regularisation, optimizer and optimizer state (copies); the network is left as it was. With
        ``fresh``: the first step of a run started from these weights (a branch): a fresh optimizer and the
        seed's first shuffle. None when there are no training points."""
        net, cfg = self.net, self.config
        X, Y = self.X_train, self.Y_train
        n = X.shape[0]
        if n == 0:
            return None
        batch = cfg.batch_size if 0 < cfg.batch_size < n else n
        optimizer = _optimizer(cfg) if fresh else copy.deepcopy(self.optimizer)
        if batch < n:
            if fresh:
                rng = np.random.default_rng([cfg.seed, 1])
            else:
                rng = np.random.Generator(type(self._shuffle_rng.bit_generator)())
                rng.bit_generator.state = self._shuffle_rng.bit_generator.state
            first = rng.permutation(n)[:batch]
            X, Y = X[first], Y[first]
        blocks = net.blocks()
        with np.errstate(all="ignore"):
            _, dblocks = self._gradients(X, Y)
            if cfg.l1 or cfg.l2:
                add_block_regularization(blocks, dblocks, cfg.l1, cfg.l2)
            after = [b.copy() for b in blocks]
            optimizer.step(after, dblocks)
            return [a - b for a, b in zip(after, blocks, strict=True)], batch

    def probe(self) -> StepStats | None:
        """Layer statistics at the current weights without training: the full-batch gradient, and no
        update (``update_ratio`` is NaN). For a paused run, whose last step was not recorded."""
        if self.n_train == 0:
            return None
        blocks = self.net.blocks()
        with np.errstate(all="ignore"):
            _, dblocks = self._gradients(self.X_train, self.Y_train)
        grads = [d.copy() for d in dblocks]
        stats = layer_stats(self.net, grads, blocks, blocks, self.X_train)
        for s in stats:
            s.update_ratio = float("nan")
        return StepStats(self.epoch, stats, grads)

    def step(self, record: bool = False) -> EpochResult:
        """Train one epoch: shuffled mini-batches (or the full batch), one optimizer step each.

        With ``record``, the result carries ``stats``: gradient, weight and update norms of the epoch's last
        step and unit saturation on the training data. It costs a copy of the weights, so the window asks
        for it only when it is about to draw."""
        net, cfg = self.net, self.config
        X, Y = self.X_train, self.Y_train
        n = X.shape[0]
        if n == 0:
            return EpochResult(self.epoch, math.nan, None, message="There are no training points yet.")
        batch = cfg.batch_size if 0 < cfg.batch_size < n else n
        if batch < n:
            order = self._shuffle_rng.permutation(n)
            X, Y = X[order], Y[order]
        # Each layer's W and b are views of one [W; b] block: the optimizer updates a block in one step.
        blocks = net.blocks()
        step, l1, l2 = self.optimizer.step, cfg.l1, cfg.l2
        total = 0.0
        stats = None
        # A diverging run overflows on the way to inf/NaN; that is caught below, not warned about.
        with np.errstate(all="ignore"):
            for start in range(0, n, batch):
                stop = start + batch
                self._check_stop()
                loss, dblocks = self._gradients(X[start:stop], Y[start:stop])
                if l1 or l2:
                    add_block_regularization(blocks, dblocks, l1, l2)
                if record and stop >= n:
                    before = [b.copy() for b in blocks]
                    grads = [d.copy() for d in dblocks]  # the fused kernel reuses its gradient buffers
                step(blocks, dblocks)
                total += loss * min(batch, n - start)
            if record:
                stats = StepStats(self.epoch + 1, layer_stats(net, grads, before, blocks, self.X_train), grads)
        self.epoch += 1
        train_loss = total / n
        verdict = self.watch.check(self.epoch, train_loss, blocks)
        if isinstance(verdict, Divergence):
            return self._diverged(verdict, train_loss)
        message = explain_oscillation(verdict, cfg) if isinstance(verdict, Oscillation) else ""
        metrics = None
        if self.eval_every and self.epoch % self.eval_every == 0:
            metrics = self.evaluate()
        return EpochResult(self.epoch, train_loss, metrics, message=message, stats=stats)

    def _diverged(self, d: Divergence, train_loss: float) -> EpochResult:
        """Roll the weights back to the last healthy checkpoint (fresh optimizer state: its moments were
        built on the way up) and explain."""
        checkpoint = self.watch.checkpoint
        if checkpoint is not None:
            for block, saved in zip(self.net.blocks(), checkpoint.blocks, strict=True):
                block[...] = saved
            self.optimizer = _optimizer(self.config)
        self.watch.restart()
        metrics = self.evaluate()
        message = explain(d, self.config, checkpoint, metrics.train_loss)
        return EpochResult(self.epoch, train_loss, metrics, divergence=d, message=message)

    def run(self, max_epochs: int | None = None) -> Iterator[EpochResult]:
        """Yield one result per epoch until the epoch limit (argument or config) or a divergence."""
        limit = max_epochs if max_epochs is not None else self.config.max_epochs
        while not limit or self.epoch < limit:
            result = self.step()
            yield result
            if result.diverged or self.n_train == 0:
                return

    @property
    def is_regression(self) -> bool:
        return self.net.output_name == "linear"

    def evaluate(self) -> Metrics:
        train_loss, train_acc = self._score(self.X_train, self.Y_train, self.y_train)
        test_loss, test_acc = self._score(self.X_test, self.Y_test, self.y_test)
        if self.is_regression:
            train_rmse, train_r2 = regression_figures(train_loss, self.y_train)
            test_rmse, test_r2 = regression_figures(test_loss, self.y_test)
            return Metrics(train_loss, test_loss, math.nan, math.nan, train_rmse, test_rmse, train_r2, test_r2)
        return Metrics(train_loss, test_loss, train_acc, test_acc)

    def _score(self, X, Y, y) -> tuple[float, float]:
        """Mean loss and accuracy on ``X`` (accuracy NaN for a regression: RMSE and R² follow from the loss,
        see ``regression_figures``)."""
        if X.shape[0] == 0:
            return math.nan, math.nan
        head = self.net.head
        n, rows = X.shape[0], self._chunk_rows()
        total, right = 0.0, 0
        for start in range(0, n, rows):
            if start:
                self._check_stop()
            stop = min(start + rows, n)
            with np.errstate(all="ignore"):
                Z = self.net.logits(X[start:stop])
                total += float(head.loss(Z, Y[start:stop])) * (stop - start)
            if not self.is_regression:
                right += int(np.sum(head.predict(Z) == y[start:stop]))
        return total / n, (math.nan if self.is_regression else right / n)

    # -- stopping a long epoch -------------------------------------------------------------------

    def _check_stop(self) -> None:
        if self.should_stop is not None and self.should_stop():
            raise TrainingStopped()

    def _chunk_rows(self) -> int:
        params = sum(b.size for b in self.net.blocks())
        return max(MIN_CHUNK_ROWS, CHUNK_WORK // max(params, 1))

    def _gradients(self, X, Y):
        """``loss_and_block_gradients`` of the batch; a batch too big to finish quickly is summed from
        chunks of rows (mean loss and gradients, weighted by the chunk's share), with stop checks between."""
        n, rows = X.shape[0], self._chunk_rows()
        net = self.net
        if n <= rows:
            return net.loss_and_block_gradients(X, Y)
        total, summed = 0.0, None
        for start in range(0, n, rows):
            if start:
                self._check_stop()
            stop = min(start + rows, n)
            share = (stop - start) / n
            loss, dblocks = net.loss_and_block_gradients(X[start:stop], Y[start:stop])
            total += loss * share
            if summed is None:
                summed = [d * share for d in dblocks]
            else:
                for acc, d in zip(summed, dblocks, strict=True):
                    acc += d * share
        assert summed is not None
        return total, summed


def _optimizer(cfg: TrainConfig):
    extra = {"beta": cfg.momentum} if cfg.optimizer == "momentum" else {}
    return make_optimizer(cfg.optimizer, cfg.learning_rate, **extra)


@dataclass
class HeadlessRun:
    trainer: Trainer
    summary: dict  # epochs, seconds, epochs_per_second, losses, accuracies, diverged, message


def train_headless(dataset: Dataset, config: TrainConfig, epochs: int, on_epoch=None) -> HeadlessRun:
    """Train a new network for ``epochs`` (or until divergence) and return the trainer with the final figures."""
    return continue_headless(Trainer(dataset, config, eval_every=0), epochs, on_epoch)


def continue_headless(trainer: Trainer, epochs: int, on_epoch=None) -> HeadlessRun:
    """Train ``trainer`` for ``epochs`` more epochs (or until divergence). A trainer built from a saved session
    as the window restores one (``Trainer(dataset, config, eval_every=0, state=session.state)``) continues it
    exactly. ``summary["epochs"]`` is the network's epoch count afterwards."""
    first = trainer.epoch
    start = time.perf_counter()
    last = None
    for last in trainer.run(first + epochs):
        if on_epoch is not None:
            on_epoch(trainer, last)
    elapsed = time.perf_counter() - start
    m = trainer.evaluate()
    summary: dict = {
        "epochs": trainer.epoch,
        "seconds": elapsed,
        "epochs_per_second": (trainer.epoch - first) / elapsed if elapsed > 0 else math.inf,
        "train_loss": m.train_loss,
        "test_loss": m.test_loss,
    }
    if trainer.is_regression:
        summary.update(train_rmse=m.train_rmse, test_rmse=m.test_rmse, train_r2=m.train_r2, test_r2=m.test_r2)
    else:
        summary.update(train_accuracy=m.train_accuracy, test_accuracy=m.test_accuracy)
    summary.update(diverged=bool(last and last.diverged), message=last.message if last else "")
    return HeadlessRun(trainer, summary)
