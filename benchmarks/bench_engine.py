"""Engine speed: epochs per second for S1 and S2, and the grid evaluation the window needs.

S1, the seed article's setting: 2-8-8-1 sigmoid, BCE, full-batch gradient descent (lr 0.5), 500 XOR points.
    "bare" times ``loss_and_gradients`` + update of the fused kernel (``FusedNetwork``, what the trainer
    runs) and, for comparison, of the readable reference (``Network``), interleaved.
S2, a bigger one: 2-64-64-64-3 relu softmax, Adam, mini-batches of 32, 5,000 points.
Grid: a forward pass of a 200x200 grid through S1's and S2's networks, in ms (both classes share the
reference's forward code).

Run:  python benchmarks/bench_engine.py      (the seed comparison: python ../shared/bench/compare_engine.py)
"""

from __future__ import annotations

import platform
import statistics
import time

import numpy as np

from playground.data import make_preset
from playground.nn import FusedNetwork, Network
from playground.training import TrainConfig, Trainer
from playground.training.surface import grid


def xor(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(np.int64)


def s1_bare(dtype, cls=FusedNetwork, epochs=2000):
    X, y = xor(500)
    net = cls([2, 8, 8, 1], activation="sigmoid", output="sigmoid", seed=0, dtype=dtype)
    X = X.astype(dtype)
    t = time.perf_counter()
    for _ in range(epochs):
        _, dW, db = net.loss_and_gradients(X, y)
        for p, g in zip(net.parameters(), [*dW, *db]):
            p -= 0.5 * g
    return epochs / (time.perf_counter() - t)


def s1_trainer(dtype, epochs=2000):
    """The path the window uses: the training generator with its optimizer and bookkeeping."""
    X, y = xor(500)
    from playground.data import Dataset

    cfg = TrainConfig(
        hidden=(8, 8),
        activation="sigmoid",
        optimizer="sgd",
        learning_rate=0.5,
        test_ratio=0.0,
        dtype=np.dtype(dtype).name,
    )
    trainer = Trainer(Dataset(X, y), cfg, eval_every=0)
    t = time.perf_counter()
    for _ in trainer.run(epochs):
        pass
    return epochs / (time.perf_counter() - t)


def s2(dtype, epochs=3):
    ds = make_preset("spiral3", 5000, 0.1, seed=0)
    cfg = TrainConfig(
        hidden=(64, 64, 64),
        activation="relu",
        init="he",
        optimizer="adam",
        learning_rate=0.003,
        batch_size=32,
        test_ratio=0.0,
        dtype=np.dtype(dtype).name,
    )
    trainer = Trainer(ds, cfg, eval_every=0)
    t = time.perf_counter()
    for _ in trainer.run(epochs):
        pass
    return epochs / (time.perf_counter() - t)


def grid_ms(layers, output, activation, dtype, repeats=30):
    net = FusedNetwork(layers, activation=activation, output=output, seed=0, dtype=dtype)
    pts = grid((-6, 6, -6, 6), 200).astype(dtype)
    net.forward(pts)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        net.forward(pts)
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main():
    print(
        f"machine: {platform.processor() or platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}"
    )
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        fused, reference = [], []
        for _ in range(3):  # interleaved, so a busy machine slows both alike
            fused.append(s1_bare(dtype, FusedNetwork))
            reference.append(s1_bare(dtype, Network))
        bare, ref = statistics.median(fused), statistics.median(reference)
        gen = statistics.median(s1_trainer(dtype) for _ in range(3))
        print(
            f"S1 {name}: {bare:8.0f} epochs/s bare loss_and_gradients+update (FusedNetwork);  {gen:8.0f} epochs/s "
            f"via the training generator ({gen / bare:.2f}x of bare)"
        )
        print(f"S1 {name}: {ref:8.0f} epochs/s bare, the reference Network ({ref / bare:.2f}x of the fused kernel)")
        print(f"S2 {name}: {s2(dtype):8.1f} epochs/s (5,000 points, batches of 32, Adam)")
        print(
            f"grid 200x200 {name}: S1 network {grid_ms([2, 8, 8, 1], 'sigmoid', 'sigmoid', dtype):.2f} ms, "
            f"S2 network {grid_ms([2, 64, 64, 64, 3], 'softmax', 'relu', dtype):.2f} ms"
        )


if __name__ == "__main__":
    main()
