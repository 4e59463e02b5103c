"""Sweeps stacked against one after another, and the loss landscape's grid.

S1, the seed article's setting: 2-8-8-1 sigmoid, binary cross-entropy, full-batch gradient descent, 500 XOR
points, 2,000 epochs, float32 (what the window trains in). Timed through the paths the window uses:

- one run alone: ``Trainer`` (the training generator's trainer) at lr 0.5;
- an 8-value learning-rate sweep one after another: eight such ``Trainer`` runs;
- the same sweep stacked: one ``StackedTrainer`` (``training/sweep_stack.py``) training the eight together.

The three are interleaved, three rounds, and the median of each is printed: other work on the machine slows
all of them alike. Then the time of the loss landscape's 41 x 41 grid around S1's trained weights on its 500
points (``training/landscape.py``), median of five.

The last line reads ``sweep_vs_one_run=R``: the stacked sweep's time over one run's (target R <= 2).

Run:  python benchmarks/bench_sweep.py
"""

from __future__ import annotations

import platform
import statistics
import time

import numpy as np

from playground.data import Dataset
from playground.training import TrainConfig, Trainer
from playground.training.sweep_stack import StackedTrainer

EPOCHS = 2000
RATES = [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 2.0]


def s1_data(n=500, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return Dataset(X, (X[:, 0] * X[:, 1] > 0).astype(np.int64))


def s1_config(lr=0.5) -> TrainConfig:
    return TrainConfig(
        hidden=(8, 8), activation="sigmoid", optimizer="sgd", learning_rate=lr, test_ratio=0.0, dtype="float32"
    )


def one_run(ds, lr=0.5) -> float:
    trainer = Trainer(ds, s1_config(lr), eval_every=0)
    t = time.perf_counter()
    for _ in range(EPOCHS):
        trainer.step()
    return time.perf_counter() - t


def sequential(ds) -> float:
    return sum(one_run(ds, lr) for lr in RATES)


def stacked(ds) -> float:
    trainer = StackedTrainer(ds, [s1_config(lr) for lr in RATES])
    t = time.perf_counter()
    for _ in range(EPOCHS):
        trainer.step()
    return time.perf_counter() - t


def landscape_seconds(ds) -> float | None:
    try:
        from playground.training.landscape import compute_landscape
    except ImportError:  # the landscape module is not there (yet)
        return None
    trainer = Trainer(ds, s1_config(), eval_every=0)
    for _ in range(300):
        trainer.step()
    times = []
    for _ in range(5):
        t = time.perf_counter()
        compute_landscape(trainer.net, trainer.X_train, trainer.Y_train, method="random", resolution=41)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    print(
        f"machine: {platform.processor() or platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}"
    )
    ds = s1_data()
    ones, seqs, stacks = [], [], []
    for _ in range(3):  # interleaved rounds
        ones.append(one_run(ds))
        seqs.append(sequential(ds))
        stacks.append(stacked(ds))
    one, seq, stack = statistics.median(ones), statistics.median(seqs), statistics.median(stacks)
    print(f"S1, {EPOCHS:,} epochs, float32, full batch of 500; learning rates {RATES}")
    print(f"one run alone:            {one:7.3f} s  ({EPOCHS / one:,.0f} epochs/s)")
    print(f"8-run sweep, one by one:  {seq:7.3f} s  ({seq / one:.2f}x one run)")
    print(
        f"8-run sweep, stacked:     {stack:7.3f} s  ({stack / one:.2f}x one run; "
        f"{seq / stack:.2f}x faster than one by one)"
    )
    grid = landscape_seconds(ds)
    if grid is not None:
        print(f"loss landscape, 41 x 41 grid, S1 on 500 points: {grid:.3f} s (target < 0.2 s)")
    print(f"sweep_vs_one_run={stack / one:.2f}")


if __name__ == "__main__":
    main()
