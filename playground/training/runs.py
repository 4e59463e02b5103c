"""Finished runs kept for comparison, and sweeps that produce several runs (stacked or in a row)."""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass, field

import numpy as np

from .config import TrainConfig, format_hidden_layers
from .trainer import MSE_PER_LOSS

MAX_CURVE = 400  # points kept per run's loss curve
MAX_RUNS = 200  # runs kept (and saved in a session)
SWEEPABLE = {
    "learning_rate": ("Learning rate", float),
    "width": ("Layer width", int),
    "activation": ("Activation", str),
    "batch_size": ("Batch size", int),
    "seed": ("Seed", int),
    "init": ("Initialiser", str),
    "l1": ("L1 rate", float),
    "l2": ("L2 rate", float),
}
SWEEP_EXAMPLES = {
    "learning_rate": "0.001, 0.01, 0.1, 1",
    "width": "2, 4, 8, 16",
    "activation": "sigmoid, tanh, relu",
    "batch_size": "1, 10, 50, 0",
    "seed": "0, 1, 2, 3, 4, 5, 6, 7",
    "init": "xavier, he, seed",
    "l1": "0, 0.0001, 0.001, 0.01",
    "l2": "0, 0.001, 0.01, 0.1",
}
_run_ids = itertools.count(1)


def new_run_uid() -> int:
    """A number naming one run for as long as the program runs: a sweep's run keeps it from its first live
    record to its final one, so the Runs panel can tell "the same run, grown" from "a new run". The process
    id is part of it: records are made both in the training process and in the window's (a session read)."""
    return (os.getpid() << 32) | next(_run_ids)


@dataclass
class RunRecord:
    config: TrainConfig
    epochs: int
    seconds: float
    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    curve_epochs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    curve_losses: np.ndarray = field(default_factory=lambda: np.zeros(0))
    label: str = ""
    uid: int = field(default_factory=new_run_uid, compare=False)  # not saved: see new_run_uid
    # A regression's figures (NaN for a classification, and in sessions saved before runs carried them).
    train_rmse: float = math.nan
    test_rmse: float = math.nan
    # The network's output layer ("sigmoid", "softmax", "linear"); "" in sessions saved before runs kept it.
    output: str = ""

    @property
    def regression(self) -> bool:
        """Whether the run fitted values rather than classes: a linear output; for a record saved before
        runs kept their output, whether it has an RMSE (a diverged one has none and reads as classes)."""
        if self.output:
            return self.output == "linear"
        return not (math.isnan(self.train_rmse) and math.isnan(self.test_rmse))

    @property
    def loss_scale(self) -> float:
        """From the losses kept here (the engine's) to the figure the window shows: a regression's mean squared
        error, twice the engine's ½·MSE (``trainer.MSE_PER_LOSS``), or a classification's loss as it is. The
        record and its session keep the engine's loss; only the display scales it."""
        return MSE_PER_LOSS if self.regression else 1.0

    def summary(self) -> str:
        c = self.config
        layers = format_hidden_layers(c.hidden) or "none"
        return f"[{layers}] {c.activation}, {c.optimizer} lr {c.learning_rate:g}, batch {c.batch_size or 'full'}"

    def to_dict(self) -> dict:
        def num(v):
            return float(v) if math.isfinite(v) else None

        return {
            "config": self.config.to_dict(),
            "epochs": int(self.epochs),
            "seconds": float(self.seconds),
            "train_loss": num(self.train_loss),
            "test_loss": num(self.test_loss),
            "train_accuracy": num(self.train_accuracy),
            "test_accuracy": num(self.test_accuracy),
            "train_rmse": num(self.train_rmse),
            "test_rmse": num(self.test_rmse),
            "output": self.output,
            "curve": {"epoch": self.curve_epochs.tolist(), "loss": [num(v) for v in self.curve_losses.tolist()]},
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, d: dict) -> RunRecord:
        """Raises ValueError/TypeError/KeyError on a malformed entry."""

        def num(v):
            if v is None:
                return math.nan
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                raise TypeError("a run's figures must be numbers")
            return float(v)

        curve = d.get("curve", {})
        epochs = [int(e) for e in curve.get("epoch", [])][: MAX_CURVE * 2]
        losses = [num(v) for v in curve.get("loss", [])][: len(epochs)]
        return cls(
            TrainConfig.from_dict(d["config"]),
            int(d["epochs"]),
            num(d["seconds"]),
            num(d["train_loss"]),
            num(d["test_loss"]),
            num(d["train_accuracy"]),
            num(d["test_accuracy"]),
            np.array(epochs[: len(losses)], dtype=np.int64),
            np.array(losses, dtype=np.float64),
            str(d.get("label", "")),
            train_rmse=num(d.get("train_rmse")),  # absent from sessions saved before: NaN, "not a regression"
            test_rmse=num(d.get("test_rmse")),
            output=_output(d.get("output", "")),
        )


def _output(value) -> str:
    if value not in ("", "sigmoid", "softmax", "linear"):
        raise ValueError(f"a run's output must be sigmoid, softmax or linear, not {value!r}")
    return value


def thin_curve(epochs, losses, limit: int = MAX_CURVE):
    epochs = np.asarray(epochs)
    losses = np.asarray(losses, dtype=np.float64)
    if epochs.size <= limit:
        return epochs.astype(np.int64), losses
    keep = np.unique(np.linspace(0, epochs.size - 1, limit).astype(int))
    return epochs[keep].astype(np.int64), losses[keep]


def parse_sweep_values(parameter: str, text: str) -> list:
    """'0.001, 0.01, 0.1' -> [0.001, 0.01, 0.1]; raises ValueError naming the bad value."""
    if parameter not in SWEEPABLE:
        raise ValueError(f"cannot sweep {parameter!r}")
    kind = SWEEPABLE[parameter][1]
    values = []
    for part in [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]:
        try:
            values.append(kind(part))
        except ValueError:
            raise ValueError(f"{part!r} is not a valid {SWEEPABLE[parameter][0].lower()}") from None
    if not values:
        raise ValueError("give at least one value, e.g. 0.001, 0.01, 0.1")
    if len(values) > 12:
        raise ValueError("at most 12 values in one sweep")
    return values


def sweep_config(base: TrainConfig, parameter: str, value) -> TrainConfig:
    if parameter == "width":
        return base.with_changes(hidden=tuple(int(value) for _ in base.hidden) or (int(value),))
    return base.with_changes(**{parameter: value})
