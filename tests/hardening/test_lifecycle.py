"""Worker lifecycle stress, and a divergence sweep over activations, optimizers and learning rates.

The stress test runs PLAYGROUND_STRESS_CYCLES cycles: 50 by default, 500 in CI (`.ci/run` sets it)."""

import os

import numpy as np
import pytest
from PySide6.QtCore import QtMsgType
from window_questions import press_reset

from playground.data import make_preset
from playground.nn import ACTIVATIONS, OPTIMIZERS
from playground.training import TrainConfig
from playground.training.config import LIMITS
from playground.ui import MainWindow

pytestmark = pytest.mark.slow

CYCLES = int(os.environ.get("PLAYGROUND_STRESS_CYCLES", "50"))
REOPEN_EVERY = 10


def _open(qtbot, **kwargs):
    w = MainWindow(make_preset("xor", 200, 0.1, seed=0), TrainConfig(**kwargs))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.presenter.latest is not None, timeout=5000)
    return w


def test_rapid_train_pause_reset_reshape_preset_close_cycles(qtbot, qtlog, qthreads):
    rng = np.random.default_rng(0)
    w = _open(qtbot)
    for cycle in range(CYCLES):
        w.start_training()
        qtbot.wait(int(rng.integers(0, 3)))
        if cycle % 3 == 0:
            hidden = tuple(int(v) for v in rng.integers(1, 12, size=rng.integers(0, 4)))
            w.apply_config(w.config.with_changes(hidden=hidden))  # architecture change while training
        if cycle % 4 == 1:
            w.data_panel.preset.setCurrentIndex(int(rng.integers(w.data_panel.preset.count())))
            w.data_panel.points.setValue(int(rng.integers(20, 300)))
            w.data_panel.load.click()  # preset while training
        w.pause_training()
        if cycle % 2:
            press_reset(w)
        if cycle % REOPEN_EVERY == REOPEN_EVERY - 1:
            assert w.thread.errors == 0
            w.close()
            assert qthreads() == []  # close() stopped and waited for the worker's QThread
            w = _open(qtbot, hidden=(4,))
    # Still responsive: a step trains exactly one epoch.
    press_reset(w)
    qtbot.waitUntil(
        lambda: (
            w.presenter.latest is not None
            and w.presenter.latest.status.epoch == 0
            and not w.presenter.latest.status.running
        ),
        timeout=5000,
    )
    w.buttons.step.click()
    qtbot.waitUntil(lambda: w.presenter.latest.status.epoch == 1, timeout=5000)
    assert w.thread.errors == 0
    w.close()
    qtbot.waitUntil(lambda: qthreads() == [], timeout=5000)
    bad = [
        r.message
        for r in qtlog.records
        if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)
        and any(word in r.message for word in ("QThread", "Timer", "timer", "thread"))
    ]
    assert bad == []


# From the smallest to the largest rate the limits allow; the largest diverges for most settings.
RATES = [LIMITS.learning_rate.low, 0.01, 1.0, LIMITS.learning_rate.high]


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_divergence_sweep_never_blanks_and_reset_recovers(qtbot, activation):
    w = _open(qtbot, hidden=(6, 6), activation=activation)
    for optimizer in OPTIMIZERS:
        for lr in RATES:
            config = w.controls.config.with_changes(optimizer=optimizer, learning_rate=lr)
            w.apply_config(config)
            press_reset(w)
            qtbot.waitUntil(
                lambda: w.presenter.latest.status.epoch == 0 and not w.presenter.latest.status.running, timeout=5000
            )
            w.start_training()
            qtbot.waitUntil(
                lambda: w.presenter.latest.status.diverged or w.presenter.latest.status.epoch >= 150, timeout=10000
            )
            w.pause_training()
            qtbot.waitUntil(lambda: not w.presenter.latest.status.running, timeout=5000)
            qtbot.wait(40)
            image = w.canvas.surface.image
            assert image is not None and np.all(np.isfinite(image)), (activation, optimizer, lr)
            if w.presenter.latest.status.diverged:
                assert "learning rate" in w.notices.run_text.lower()
                # Reset with a sane learning rate always recovers.
                sane = w.controls.config.with_changes(learning_rate=0.01)
                w.apply_config(sane)
                press_reset(w)
                w.start_training()
                qtbot.waitUntil(
                    lambda: not w.presenter.latest.status.diverged and w.presenter.latest.status.epoch >= 20,
                    timeout=10000,
                )
                w.pause_training()
    assert w.thread.errors == 0
    w.close()
