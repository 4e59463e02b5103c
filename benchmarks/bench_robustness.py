"""Robustness figures of issue 12, in the real window (offscreen). Prints:

- the GUI thread's longest stall while opening a 1,000,000-row CSV and a 1,000,000-point session (a 10 ms
  QTimer probe: the largest gap between two of its ticks), while the file is read and checked, and
  overall until the points are drawn;
- how long ``close()`` takes while a 10 x 256 network trains on 100,000 points (full batch).

Run:  python benchmarks/bench_robustness.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLAYGROUND_HOME"] = tempfile.mkdtemp(prefix="bench-home-")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from playground.data import Dataset, make_preset  # noqa: E402
from playground.files import Session, save_csv, save_session  # noqa: E402
from playground.training import TrainConfig  # noqa: E402
from playground.ui import MainWindow  # noqa: E402
from playground.ui.gui_gc import collect_on_gui_thread  # noqa: E402


class StallProbe:
    """A 10 ms timer on the GUI thread; ``worst`` is the longest gap between two ticks (seconds)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def start(self) -> None:
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()


def open_stall(path: Path, rows: int) -> tuple[float, float, float]:
    """(seconds to open, longest stall while reading, longest stall overall including drawing the points)"""
    w = MainWindow(make_preset("xor", 200, 0.0, seed=0))
    w.show()
    QTest.qWait(300)
    probe = StallProbe()
    reading: list[float] = []
    replace = w.model.replace

    def applied(*args):  # the file has been read and checked: from here on, the points are applied
        reading.append(probe.worst)
        return replace(*args)

    w.model.replace = applied
    probe.start()
    start = time.perf_counter()
    assert w.open_path(path), w.files.refusal
    took = time.perf_counter() - start
    QTest.qWait(1000)  # the points drawn, the first frames of the new data
    assert len(w.dataset) == rows
    probe.timer.stop()
    w.sessions.autosave_enabled = False  # not part of the figure
    w.close()
    return took, reading[0], probe.worst


def close_time() -> float:
    w = MainWindow(make_preset("spiral", 100_000, 0.1, seed=0), TrainConfig(hidden=(256,) * 10))
    w.show()
    w.start_training()
    QTest.qWait(3000)
    start = time.perf_counter()
    w.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    collect_on_gui_thread()
    rng = np.random.default_rng(0)
    big = Dataset(rng.uniform(-5, 5, size=(args.rows, 2)), rng.integers(0, 2, size=args.rows))
    folder = Path(tempfile.mkdtemp(prefix="bench-files-"))
    csv, session = folder / "big.csv", folder / "big.json"
    save_csv(big, csv)
    save_session(Session(big, TrainConfig()), session)
    for name, path in (("CSV", csv), ("session", session)):
        took, reading, stall = open_stall(path, args.rows)
        print(
            f"open a {args.rows:,}-row {name}: {took:.1f} s; longest GUI stall while reading {reading * 1000:.0f} ms,"
            f" overall (drawing the points included) {stall * 1000:.0f} ms"
        )
    print(f"close while a 10x256 network trains on 100,000 points: {close_time():.2f} s")


if __name__ == "__main__":
    main()
