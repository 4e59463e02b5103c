"""A seeded monkey: random real user actions on the window, checked against a model of the edits.

Duration: PLAYGROUND_MONKEY_SECONDS (default 8 s; the issue's full run is 60 s).
PLAYGROUND_MONKEY_SEED picks the sequence.
"""

import os
import random
import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLineEdit, QMessageBox
from window_questions import press_reset

from playground.data import History, edits, make_preset
from playground.training import TrainConfig
from playground.ui import MainWindow

pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("PLAYGROUND_MONKEY_SECONDS", "8"))
pg.setConfigOption("mouseRateLimit", -1)


def _answer_questions(w, rng):
    """Go ahead or keep the run, at random, in any question the window asks."""
    for box in w.findChildren(QMessageBox):
        if box.isVisible():
            (box.defaultButton() if rng.random() < 0.5 else box.escapeButton()).click()


class Model:
    """What the dataset must be after each action, computed independently of the window."""

    def __init__(self, dataset):
        self.history = History(dataset)

    @property
    def current(self):
        return self.history.current

    def push(self, ds):
        self.history.push(ds)


def _pos(w, x, y):
    return w.canvas.mapFromScene(w.canvas.view_box.mapViewToScene(QPointF(x, y)))


def test_monkey(qtbot):
    rng = random.Random(int(os.environ.get("PLAYGROUND_MONKEY_SEED", "1234")))
    w = MainWindow(make_preset("xor", 200, 0.1, seed=0))
    qtbot.addWidget(w)
    w.resize(1500, 950)
    w.show()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=5000)
    model = Model(w.dataset)
    texts = ["8, 8", "8,,x", "0", "-3", "1000", "", "4", "3, 3, 3", "abc", "256", "1,2,3,4,5,6,7,8,9,10,11", "2;2"]
    combos = [
        w.controls.activation,
        w.controls.optimizer,
        w.controls.init,
        w.controls.regularization,
        w.data_panel.preset,
        w.data_panel.current_class,
        w.insight.runs.parameter,
        w.insight.health.stat,
    ]
    spins = [
        w.controls.learning_rate,
        w.controls.batch,
        w.controls.reg_rate,
        w.controls.test_ratio,
        w.controls.seed,
        w.controls.max_epochs,
        w.data_panel.points,
        w.data_panel.noise,
    ]
    boxes = [w.data_panel.eraser, w.data_panel.show_test, w.data_panel.discretize, w.data_panel.log_scale]
    docks = list(w.insight.docks.values())
    end = time.monotonic() + SECONDS
    actions = 0
    while time.monotonic() < end:
        actions += 1
        kind = rng.choice(
            [
                "click",
                "click",
                "right",
                "ctrl",
                "drag",
                "key",
                "undo",
                "redo",
                "button",
                "combo",
                "spin",
                "text",
                "box",
                "preset",
                "dock",
                "train",
                "clear",
                "wheel",
            ]
        )
        x0, x1, y0, y1 = w.canvas.visible_bounds()  # click where the canvas shows, not on its axes
        x = rng.uniform(x0 + 0.1 * (x1 - x0), x0 + 0.6 * (x1 - x0))
        y = rng.uniform(y0 + 0.1 * (y1 - y0), y0 + 0.9 * (y1 - y0))
        if kind in ("click", "right", "ctrl"):
            before = w.dataset
            button = Qt.MouseButton.RightButton if kind == "right" else Qt.MouseButton.LeftButton
            mod = Qt.KeyboardModifier.ControlModifier if kind == "ctrl" else Qt.KeyboardModifier.NoModifier
            pos = _pos(w, x, y)
            # The click lands on a whole pixel: the model uses the data point of that pixel, as the window does.
            where = w.canvas.view_box.mapSceneToView(w.canvas.mapToScene(pos))
            klass = w.draw.new_label(right=kind == "right")  # a class, or a value when the data are values
            QTest.mouseClick(w.canvas.viewport(), button, mod, pos, 500)
            after = w.dataset
            if kind == "ctrl" or w.state.view.eraser:
                model.push(edits.erase_nearest(before, (where.x(), where.y()), 0.5))
            else:
                model.push(edits.add_point(before, where.x(), where.y(), klass))
        elif kind == "drag":
            before = w.dataset
            vp = w.canvas.viewport()
            QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _pos(w, x, y))
            for k in range(1, 5):
                QTest.mouseMove(vp, _pos(w, x + 0.4 * k, y))
            QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _pos(w, x + 1.6, y))
            after = w.dataset
            if w.state.view.eraser:
                assert len(after) <= len(before)
            else:
                assert after.take(np.arange(len(before))) == before
                drawn = w.state.view.current_value if before.is_regression else w.state.view.current_class
                assert np.all(after.y[len(before) :] == drawn)
            model.push(after)
        elif kind == "key":
            w.canvas.setFocus()
            QTest.keyClick(
                w.canvas,
                rng.choice(
                    [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_8, Qt.Key.Key_Space, Qt.Key.Key_Escape]
                ),
            )
        elif kind == "undo":
            QTest.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            model.history.undo()
        elif kind == "redo":
            QTest.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
            model.history.redo()
        elif kind == "button":
            rng.choice([w.buttons.step, w.buttons.reset, w.buttons.new_seed, w.data_panel.suggest]).click()
            _answer_questions(w, rng)  # Reset / New seed may ask (a trained run): modal, so a user answers
        elif kind == "combo":
            combo: QComboBox = rng.choice(combos)
            combo.setCurrentIndex(rng.randrange(combo.count()))
        elif kind == "spin":
            spin: QAbstractSpinBox = rng.choice(spins)
            spin.stepBy(rng.choice([-3, -1, 1, 2]))
        elif kind == "text":
            field: QLineEdit = rng.choice([w.controls.hidden, w.insight.runs.values])
            field.setFocus()
            field.selectAll()
            QTest.keyClicks(field, rng.choice(texts))
            QTest.keyClick(field, Qt.Key.Key_Return)
        elif kind == "box":
            box: QCheckBox = rng.choice(boxes)
            box.setChecked(not box.isChecked())
        elif kind == "preset":
            w.data_panel.preset.setCurrentIndex(rng.randrange(w.data_panel.preset.count()))
            w.data_panel.points.setValue(rng.choice([20, 100, 300]))
            w.data_panel.load.click()
            model.push(w.dataset)
            assert len(w.dataset) == w.data_panel.points.value()
        elif kind == "dock":
            dock = rng.choice(docks)
            dock.setVisible(not dock.isVisible())
        elif kind == "train":
            w.buttons.train.click()
        elif kind == "clear":
            before = w.dataset
            w.data_panel.clear.click()
            model.push(edits.clear(before))  # no points; values stay values
            assert len(w.dataset) == 0
        elif kind == "wheel":
            w.canvas.setRange(xRange=(-6 + x / 3, 6 + x / 3), yRange=(-6 + y / 3, 6 + y / 3), padding=0)
        qtbot.wait(rng.choice([0, 1, 5, 20]))
        assert w.dataset == model.current, f"after action {actions} ({kind})"
    # Still alive and responsive: from a known state, a step trains exactly one epoch.
    w.pause_training()
    w.apply_config(TrainConfig())
    w.data_panel.preset.setCurrentText("xor")
    w.data_panel.points.setValue(200)
    w.data_panel.load.click()
    press_reset(w)
    qtbot.waitUntil(
        lambda: w.presenter.latest.status.epoch == 0 and not w.presenter.latest.status.running, timeout=5000
    )
    w.buttons.step.click()
    qtbot.waitUntil(lambda: w.presenter.latest.status.epoch == 1, timeout=5000)
    assert actions > 50
    assert w.thread.errors == 0
    w.close()
    assert not w.thread.alive
