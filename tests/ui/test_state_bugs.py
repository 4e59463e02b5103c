"""Regression tests for bugs that came from state with several owners (each failed before the redesign)."""

import numpy as np
from ui_helpers import live_trainer
from window_questions import press_reset

from playground.data import make_preset
from playground.files import load_session
from playground.training import LIMITS, TrainConfig


def _shown_test_mask(window):
    """Which points the canvas outlines as test points (read from its scatter items)."""
    shown = set()
    for item in window.canvas.test_items:
        x, y = item.getData()
        shown |= {(round(a, 9), round(b, 9)) for a, b in zip(x, y, strict=True)}
    X = window.dataset.X
    return np.array([(round(a, 9), round(b, 9)) in shown for a, b in X])


def test_new_seed_moves_the_split_for_the_canvas_the_trainer_and_the_saved_session(window, qtbot, tmp_path):
    window.buttons.new_seed.click()
    qtbot.waitUntil(lambda: window.presenter.latest.status.config.seed == 1, timeout=5000)
    trainer = live_trainer(qtbot, window)
    assert np.array_equal(trainer.test_mask, window.dataset.test_mask(window.config.test_ratio, 1))
    assert np.array_equal(_shown_test_mask(window), trainer.test_mask)
    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 30, timeout=10000)
    window.pause_training()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    path = tmp_path / "s.json"
    window.save_session_to(path)
    qtbot.waitUntil(path.exists, timeout=5000)
    m = window.presenter.latest.status.metrics
    assert window.open_path(path)
    qtbot.waitUntil(lambda: window.presenter.latest.status.restored or window.epoch > 0, timeout=5000)
    qtbot.waitUntil(lambda: window.presenter.drawn.status.metrics is not None, timeout=5000)
    again = window.presenter.drawn.status.metrics
    assert (again.train_loss, again.test_loss) == (m.train_loss, m.test_loss)  # not swapped
    assert load_session(path).config.seed == 1


def test_a_problem_stays_visible_while_training(window, qtbot, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 5, timeout=5000)
    assert not window.open_path(bad)
    frames = window.presenter.frames_drawn
    qtbot.waitUntil(lambda: window.presenter.frames_drawn > frames + 10, timeout=10000)
    assert "Could not open the session" in window.notices.problem_text
    window.notices.dismiss.click()
    assert window.notices.problem_text == ""
    window.pause_training()


def test_limits_agree_between_config_widgets_and_files(window, tmp_path):
    assert window.controls.learning_rate.maximum() == LIMITS.learning_rate.high
    assert window.controls.learning_rate.minimum() == LIMITS.learning_rate.low
    assert window.controls.batch.maximum() == LIMITS.batch_size.high
    assert window.controls.test_ratio.maximum() == round(100 * LIMITS.test_ratio.high)
    for bad in ({"learning_rate": 50.0}, {"l1": float("inf")}, {"batch_size": 10**12}):
        try:
            TrainConfig(**bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} was accepted")
    # A session asking for a learning rate the widgets cannot show is refused, not silently clamped.
    path = tmp_path / "lr50.json"
    from playground.files import Session, dumps

    text = dumps(Session(window.dataset, window.config)).replace('"learning_rate":0.03', '"learning_rate":50.0')
    path.write_text(text)
    assert not window.open_path(path)
    assert "learning rate" in window.notices.problem_text


def test_file_new_clears_the_readouts(window, qtbot):
    window.start_training()
    qtbot.waitUntil(lambda: window.epoch > 20, timeout=5000)
    window.pause_training()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)
    assert window.progress.loss.text() != "–"
    window.new_session()
    qtbot.waitUntil(lambda: window.epoch == 0 and len(window.dataset) == 0, timeout=5000)
    qtbot.waitUntil(lambda: window.progress.loss.text() == "–", timeout=5000)
    assert window.progress.accuracy.text() == "–" and window.progress.epoch.text() == "0"
    assert window.loss_plot.train.data()[0].size == 0


def test_the_runs_table_lists_the_learning_rate_a_run_trained_with(qtbot):
    from playground.ui import MainWindow

    w = MainWindow(make_preset("xor", 200, 0.0, seed=0), TrainConfig(learning_rate=0.003))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=10000)
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch > 10, timeout=15000)
    w.controls.learning_rate.setValue(0.3)
    qtbot.waitUntil(lambda: w.presenter.latest.status.config.learning_rate == 0.3, timeout=10000)
    w.pause_training()
    press_reset(w)
    qtbot.waitUntil(lambda: len(w.insight.runs.runs) == 1, timeout=5000)
    assert w.insight.runs.runs[0].config.learning_rate == 0.3
    assert "lr 0.3" in w.insight.runs.table.item(0, 2).text()
    w.shutdown()
