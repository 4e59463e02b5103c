"""The real window, offscreen, training with every view live. Prints:

- epochs per second in the window and headless for the same configuration, and their ratio;
- frames drawn per second;
- the lateness of a 10 ms GUI probe timer (median, p99, max): how responsive the window stays;
- the time from a simulated click on the canvas to the point being drawn;
- peak memory;
- time to learn: seconds from pressing Train until test accuracy >= 95 % on the two-arm spiral
  (500 points, noise 0, half of them test points) with the settings the app suggests, median of 5 seeds;
- scale: loading a 100,000-point CSV, adding a point to it, a 10 x 256 network training;
- start-up: launching `playground` until its window is shown and closed again.

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_window.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from playground.data import make_preset, read_csv, save_csv  # noqa: E402
from playground.training import TrainConfig, Trainer  # noqa: E402
from playground.ui import MainWindow  # noqa: E402
from playground.ui.suggest import suggested_config  # noqa: E402

XOR_CONFIG = TrainConfig(hidden=(8, 8), activation="tanh", optimizer="adam", learning_rate=0.03, batch_size=0)


def pump(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.001)


def wait_until(predicate, timeout: float) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.0005)
    return False


def headless_rate(dataset, config, seconds: float) -> float:
    trainer = Trainer(dataset, config, eval_every=0)
    start = time.perf_counter()
    for result in trainer.run():
        if result.epoch % 50 == 0 and time.perf_counter() - start >= seconds:
            break
    return trainer.epoch / (time.perf_counter() - start)


def headless_like_training(seconds: float) -> float:
    """``headless_rate`` of the XOR run in a fresh process with the BLAS threads the window's training
    process gets (``training.launch.blas_threads``): the same arithmetic, without a window."""
    from playground.training.launch import BLAS_THREAD_VARIABLES, blas_threads

    env = dict(os.environ, **dict.fromkeys(BLAS_THREAD_VARIABLES, str(blas_threads())))
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import bench_window as b; "
        "from playground.data import make_preset; "
        f"print(b.headless_rate(make_preset('xor', 500, 0.0, seed=0), b.XOR_CONFIG, {seconds}))"
    )
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, "-c", code, here], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


class Probe:
    """A 10 ms timer; how late each tick fires measures how long the GUI thread was busy."""

    def __init__(self):
        self.late = []
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)

    def start(self):
        self.clock.start()
        self.timer.start()

    def tick(self):
        elapsed = self.clock.nsecsElapsed() / 1e6
        self.clock.restart()
        self.late.append(max(0.0, elapsed - 10.0))

    def stop(self):
        self.timer.stop()


class PaintCounter(QObject):
    """Counts finished paint events of a widget (the canvas viewport)."""

    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._painted)  # runs after the paint event has been handled
        return False

    def _painted(self):
        self.count += 1


def click_latency(window, n=15) -> list[float]:
    """Time from a click on the canvas until the new point is in the canvas's scatter item and a paint of
    the canvas has finished after that."""
    out = []
    painter = PaintCounter(window.canvas.viewport())
    rng = np.random.default_rng(0)
    for _ in range(n):
        x, y = rng.uniform(-5, 5, 2)
        pos = window.canvas.mapFromScene(window.canvas.view_box.mapViewToScene(QPointF(x, y)))
        before = len(window.dataset)
        t = time.perf_counter()
        QTest.mouseClick(window.canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos, 500)

        def drawn(before=before):
            if len(window.dataset) != before + 1:
                return False
            k = int(window.dataset.y[-1])
            items = (window.canvas.train_items[k], window.canvas.test_items[k])
            return any(np.any(np.isclose(item.getData()[0], window.dataset.X[-1, 0])) for item in items)

        wait_until(drawn, 2.0)
        painted = painter.count
        wait_until(lambda painted=painted: painter.count > painted, 2.0)
        out.append((time.perf_counter() - t) * 1000)
        pump(0.05)
    return out


def window_run(app, seconds: float, panels: str = "all", clicks: bool = True) -> dict:
    """``panels``: "all" (network, health, hidden space and runs open) or "none"."""
    ds = make_preset("xor", 500, 0.0, seed=0)
    w = MainWindow(ds, XOR_CONFIG)
    w.resize(1600, 1000)
    w.show()
    if panels == "all":
        w.insight.show_all()
    else:
        for dock in w.insight.docks.values():
            dock.hide()
    wait_until(lambda: w.presenter.drawn is not None, 5)
    probe = Probe()
    w.start_training()
    wait_until(lambda: w.epoch > 0, 5)
    e0, f0, t0 = w.epoch, w.presenter.frames_drawn, time.perf_counter()
    probe.start()
    pump(seconds)
    probe.stop()
    elapsed = time.perf_counter() - t0
    rate = (w.epoch - e0) / elapsed
    fps = (w.presenter.frames_drawn - f0) / elapsed
    clicks = click_latency(w) if clicks else [float("nan")]
    w.pause_training()
    trainer_mb = process_peak_mb(w.thread.pid)
    w.close()
    late = np.array(probe.late)
    return {
        "rate": rate,
        "fps": fps,
        "late_median": float(np.median(late)),
        "late_p99": float(np.percentile(late, 99)),
        "late_max": float(late.max()),
        "click_median": statistics.median(clicks),
        "click_max": max(clicks),
        "trainer_mb": trainer_mb,
    }


def process_peak_mb(pid: int | None) -> float:
    """Peak resident memory of another process (the training process), from /proc; NaN where there is none."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, TypeError):
        pass
    return float("nan")


def time_to_learn(seed: int) -> float:
    ds = make_preset("spiral", 500, 0.0, seed=0)
    config = suggested_config("spiral", TrainConfig(seed=seed, test_ratio=0.5))
    w = MainWindow(ds, config)
    w.resize(1280, 800)
    w.show()
    wait_until(lambda: w.presenter.drawn is not None, 5)
    t = time.perf_counter()
    w.start_training()
    ok = wait_until(
        lambda: (
            w.presenter.drawn is not None
            and w.presenter.drawn.status.metrics is not None
            and w.presenter.drawn.status.epoch > 0
            and w.presenter.drawn.status.metrics.test_accuracy >= 0.95
        ),
        30,
    )
    took = time.perf_counter() - t if ok else float("inf")
    w.close()
    return took


def scale_figures() -> dict:
    big = make_preset("rings", 100_000, 0.1, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.csv")
        save_csv(big, path)
        t = time.perf_counter()
        loaded = read_csv(path).dataset
        load_s = time.perf_counter() - t
    w = MainWindow(loaded, TrainConfig(hidden=(8, 8), batch_size=256))
    w.resize(1280, 800)
    w.show()
    wait_until(lambda: w.presenter.drawn is not None, 10)
    w.start_training()
    pump(2.0)
    clicks = click_latency(w, 8)
    epochs = w.epoch
    w.close()
    deep = MainWindow(
        make_preset("spiral", 500, 0.1),
        TrainConfig(hidden=(256,) * 10, activation="relu", init="he", learning_rate=0.001),
    )
    deep.resize(1280, 800)
    deep.show()
    wait_until(lambda: deep.presenter.drawn is not None, 10)
    probe = Probe()
    deep.start_training()
    probe.start()
    pump(5.0)
    probe.stop()
    deep_epochs, deep_frames = deep.epoch, deep.presenter.frames_drawn
    deep.close()
    late = np.array(probe.late)
    return {
        "load_s": load_s,
        "big_click_median": statistics.median(clicks),
        "big_click_max": max(clicks),
        "big_epochs_2s": epochs,
        "deep_rate": deep_epochs / 5.0,
        "deep_frames": deep_frames / 5.0,
        "deep_late_p99": float(np.percentile(late, 99)),
        "deep_late_max": float(late.max()),
    }


def epoch_cost_by_size() -> list[tuple[int, float]]:
    """Milliseconds per epoch (batches of 256, headless) at growing dataset sizes: it should be linear."""
    out = []
    for n in (25_000, 50_000, 100_000):
        trainer = Trainer(
            make_preset("rings", n, 0.1, seed=0), TrainConfig(hidden=(8, 8), batch_size=256), eval_every=0
        )
        trainer.step()
        t = time.perf_counter()
        for _ in range(3):
            trainer.step()
        out.append((n, (time.perf_counter() - t) / 3 * 1000))
    return out


def startup_seconds() -> float:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PLAYGROUND_HOME=home)
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "playground", "--quit-after", "0"],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        return time.perf_counter() - t


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3, help="runs of the every-panel measure; medians are printed")
    args = parser.parse_args()
    pg.setConfigOption("mouseRateLimit", -1)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as home:
        os.environ["PLAYGROUND_HOME"] = home
        # Each run: the window with every panel open, then headless, back to back; medians over the runs.
        runs = []
        for _ in range(args.runs):
            one = window_run(app, args.seconds, "all")
            one["headless"] = headless_like_training(args.seconds)
            one["ratio"] = one["rate"] / one["headless"]
            runs.append(one)
        w = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        head = w["headless"]
        bare = window_run(app, args.seconds, "none", clicks=False)
        each = ", ".join(f"{r['ratio']:.2f}" for r in runs)
        print(
            f"XOR 500 points, 2-8-8-1 tanh, full batch, {args.seconds:.0f} s, every panel open "
            f"(median of {args.runs} runs; ratio per run: {each}):"
        )
        print(f"  epochs/s: window {w['rate']:,.0f}, headless {head:,.0f}, ratio {w['ratio']:.2f} (target >= 0.5)")
        print(f"  frames/s: {w['fps']:.1f} (target >= 30)")
        print(
            f"  insight panels' cost: {bare['rate']:,.0f} epochs/s with every panel closed, {w['rate']:,.0f} open: "
            f"{w['rate'] / bare['rate']:.2f} of the speed (target >= 0.5)"
        )
        print(
            f"  10 ms probe lateness: median {w['late_median']:.1f} ms, p99 {w['late_p99']:.1f} ms, "
            f"max {w['late_max']:.1f} ms (target p99 <= 30)"
        )
        print(f"  click to point drawn: median {w['click_median']:.1f} ms, max {w['click_max']:.1f} ms (target <= 50)")
        times = [time_to_learn(seed) for seed in range(args.seeds)]
        print(
            f"time to learn the spiral to 95 % test accuracy (suggested settings): median "
            f"{statistics.median(times):.2f} s over seeds {', '.join(f'{t:.2f}' for t in times)} (target < 1.5)"
        )
        s = scale_figures()
        print(
            f"100,000-point CSV: loads in {s['load_s']:.2f} s (target < 1); adding a point shows in median "
            f"{s['big_click_median']:.0f} ms, max {s['big_click_max']:.0f} ms (target <= 50); "
            f"{s['big_epochs_2s']} epochs in 2 s with batches of 256"
        )
        print(
            f"10 x 256 relu network: {s['deep_rate']:.1f} epochs/s, {s['deep_frames']:.1f} frames/s, probe p99 "
            f"{s['deep_late_p99']:.1f} ms, max {s['deep_late_max']:.1f} ms"
        )
    print(f"start-up to window shown and closed: {startup_seconds():.2f} s (target < 2)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: window process {peak:.0f} MB, training process (XOR run) {w['trainer_mb']:.0f} MB")


if __name__ == "__main__":
    main()
