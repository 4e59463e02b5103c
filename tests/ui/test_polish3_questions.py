"""The questions asked before a trained run is thrown away: Reset and New seed (one parametrized test, from
the keyboard), File → New session and opening a session. They ask about the run's present, even while the
timeline shows an earlier moment (epoch 0 included); Enter goes ahead, Esc keeps the run and gives the keys
back to the window; "Don't ask again" holds once ticked with the go-ahead, and ticked with "Keep this run" it
is taken back. An untrained run is replaced without a question."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.data import make_preset
from playground.files import Session, save_session
from playground.training import TrainConfig
from playground.training.frame import Status
from playground.ui import MainWindow
from playground.ui.rewind_view import RewindView

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
POINTS, OPENED_POINTS = 120, 40  # the window's points, the opened session's

ASK = {  # kind -> the question's objectName, the keys that ask for it (Training → Reset weights / New seed)
    "reset": ("confirmReset", CTRL),
    "new_seed": ("confirmNewSeed", CTRL | SHIFT),
}


@pytest.fixture
def w(qtbot):
    window = MainWindow(make_preset("xor", POINTS, 0.0, seed=0), TrainConfig(hidden=(4,)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.presenter.latest is not None and QApplication.activeWindow() is window)
    yield window
    window.shutdown()


def _shown(w, name):
    return [b for b in w.findChildren(QMessageBox, name) if b.isVisible()]


def _question(qtbot, w, name) -> QMessageBox:
    qtbot.waitUntil(lambda: bool(_shown(w, name)), timeout=2000)
    box = _shown(w, name)[0]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=2000)  # where the keys go
    return box


def _answer(qtbot, w, box, key, dont_ask=False) -> None:
    if dont_ask:  # ticked with the keyboard
        box.checkBox().setFocus()
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
        assert box.checkBox().isChecked()
    QTest.keyClick(box, key)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=2000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)  # the keys reach the window again


def _run_id(w) -> int:
    return w.presenter.latest.status.run_id


def _train_and_rewind(qtbot, w, epochs: int) -> int:
    """Train ``epochs`` epochs, then show the run as it began: still a trained run, at epoch ``epochs``."""
    w.buttons.epochs.setValue(epochs)
    w.buttons.train_n.click()
    qtbot.waitUntil(lambda: w.timeline.latest == epochs and not w.is_training, timeout=5000)
    w.timeline.slider.setValue(0)
    qtbot.waitUntil(lambda: w.epoch == 0, timeout=5000)
    return _run_id(w)


def _replaced(qtbot, w, run) -> None:
    qtbot.waitUntil(lambda: _run_id(w) != run and w.timeline.latest == 0, timeout=5000)


@pytest.mark.parametrize("kind", ASK)
def test_reset_and_new_seed_ask_about_the_present_and_dont_ask_again_only_after_going_ahead(qtbot, w, kind):
    name, mods = ASK[kind]
    seed = w.config.seed
    run = _run_id(w)
    QTest.keyClick(w, Qt.Key.Key_R, mods)  # nothing trained: nothing to lose, no question
    assert not _shown(w, name)
    _replaced(qtbot, w, run)

    run = _train_and_rewind(qtbot, w, 3)
    QTest.keyClick(w, Qt.Key.Key_R, mods)
    box = _question(qtbot, w, name)
    assert "epoch 3" in box.informativeText() and "Runs" in box.informativeText()
    _answer(qtbot, w, box, Qt.Key.Key_Escape, dont_ask=True)  # keep the run: the tick does not count
    assert _run_id(w) == run and w.timeline.latest == 3

    QTest.keyClick(w, Qt.Key.Key_R, mods)  # asked again
    box = _question(qtbot, w, name)
    assert not box.checkBox().isChecked()
    _answer(qtbot, w, box, Qt.Key.Key_Return, dont_ask=True)  # the default answer: go ahead; don't ask again
    _replaced(qtbot, w, run)

    run = _train_and_rewind(qtbot, w, 2)
    QTest.keyClick(w, Qt.Key.Key_R, mods)
    assert not _shown(w, name)
    _replaced(qtbot, w, run)
    assert w.config.seed == (seed + 3 if kind == "new_seed" else seed)


def test_new_session_and_opening_a_session_ask_before_replacing_a_trained_run(qtbot, w, tmp_path):
    path = tmp_path / "circle.json"  # a session in Open recent
    save_session(Session(make_preset("circle", OPENED_POINTS, 0.0, seed=1), TrainConfig()), path)
    w.sessions.add_recent(path)
    run = _train_and_rewind(qtbot, w, 3)

    new = QKeySequence(QKeySequence.StandardKey.New)[0]  # File → New session
    QTest.keyClick(w, new.key(), new.keyboardModifiers())
    box = _question(qtbot, w, "confirmNewSession")
    assert "epoch 3" in box.informativeText() and "Undo" in box.informativeText()
    _answer(qtbot, w, box, Qt.Key.Key_Escape)
    assert _run_id(w) == run and len(w.dataset) == POINTS

    w.files.recent_menu.actions()[0].trigger()  # File → Open recent → circle.json
    box = _question(qtbot, w, "confirmOpenSession")
    assert "circle.json" in box.text() and "epoch 3" in box.informativeText()
    _answer(qtbot, w, box, Qt.Key.Key_Escape)
    assert _run_id(w) == run and len(w.dataset) == POINTS

    w.files.recent_menu.actions()[0].trigger()
    _answer(qtbot, w, _question(qtbot, w, "confirmOpenSession"), Qt.Key.Key_Return)
    _replaced(qtbot, w, run)
    assert len(w.dataset) == OPENED_POINTS

    run = _train_and_rewind(qtbot, w, 2)
    QTest.keyClick(w, new.key(), new.keyboardModifiers())
    _answer(qtbot, w, _question(qtbot, w, "confirmNewSession"), Qt.Key.Key_Return)
    _replaced(qtbot, w, run)
    assert len(w.dataset) == 0


def _status(epoch: int, present: int | None = None, asked: int = 0) -> Status:
    """A frame; with ``present``, of an earlier moment shown while the run is at ``present``."""
    return Status(
        run_id=1,
        epoch=epoch,
        running=False,
        diverged=False,
        sweeping=False,
        epochs_per_second=0.0,
        metrics=None,
        notice="",
        alert="",
        layer_sizes=[2, 4, 1],
        output_text="",
        regression=False,
        config=TrainConfig(),
        restored=False,
        showing_past=present is not None,
        present_epoch=present,
        moment_asked=asked,
    )


def test_a_frame_of_the_present_drawn_after_a_rewind_still_moves_the_timelines_end(qtbot):
    """The present the questions name: a step's frame may be drawn just after the user rewound."""
    timeline = RewindView()
    qtbot.addWidget(timeline)
    timeline.update_from(_status(19))
    timeline.slider.setValue(3)  # rewound while the frame of epoch 20 was on its way
    timeline.update_from(_status(20))
    assert timeline.latest == 20 and timeline.slider.maximum() == 20 and timeline.slider.value() == 3
    timeline.update_from(_status(3, present=20, asked=1))  # the moment asked for
    assert timeline.latest == 20 and timeline.label.text() == "epoch 3 of 20"
