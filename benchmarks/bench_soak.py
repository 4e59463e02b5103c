"""Soak: train in the real window (offscreen) for a long time; memory must stay flat and the loss history
bounded. Prints resident memory (the window's process and the training process, which also keeps the
weights Rewind goes back to, bounded by ``checkpoints.MAX_BYTES``) after a one-minute warm-up and at the
end, and the history sizes.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_soak.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from playground.data import make_preset  # noqa: E402
from playground.training import TrainConfig  # noqa: E402
from playground.training.checkpoints import MAX_BYTES  # noqa: E402
from playground.ui import MainWindow  # noqa: E402


def rss_mb(pid="self") -> float:
    with open(f"/proc/{pid}/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def pump(app, seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as home:
        os.environ["PLAYGROUND_HOME"] = home
        w = MainWindow(make_preset("spiral", 500, 0.1), TrainConfig(hidden=(16, 16), activation="tanh"))
        w.resize(1280, 800)
        w.show()
        w.start_training()
        warm = min(60.0, args.minutes * 60 / 5)
        pump(app, warm)
        trainer = w.thread.pid
        start_rss, start_trainer, start_epoch = rss_mb(), rss_mb(trainer), w.epoch
        t0 = time.perf_counter()
        pump(app, args.minutes * 60 - warm)
        elapsed = time.perf_counter() - t0
        end_rss, end_trainer = rss_mb(), rss_mb(trainer)
        train_points = len(w.loss_plot.train.data()[0])
        test_points = len(w.loss_plot.test.data()[0])
        epochs = w.epoch
        w.close()
    print(f"soak {args.minutes:g} min: {epochs:,} epochs ({(epochs - start_epoch) / elapsed:,.0f}/s after warm-up)")
    print(
        f"resident memory after warm-up {start_rss:.1f} MB, at the end {end_rss:.1f} MB: "
        f"growth {end_rss - start_rss:+.1f} MB (target < 30)"
    )
    print(
        f"training process after warm-up {start_trainer:.1f} MB, at the end {end_trainer:.1f} MB: growth "
        f"{end_trainer - start_trainer:+.1f} MB (Rewind's weights at most {MAX_BYTES / 2**20:.0f} MB; target < 30)"
    )
    print(f"loss history kept: {train_points} train points, {test_points} test points (bounded)")


if __name__ == "__main__":
    main()
