"""Reset asks before it throws a trained run away, as New seed does (the same box, keys and "don't ask
again"); an untrained run resets without a question."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.data import make_preset
from playground.ui import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def _boxes(w):
    return [b for b in w.findChildren(QMessageBox, "confirmReset") if b.isVisible()]


def _question(qtbot, w) -> QMessageBox:
    qtbot.waitUntil(lambda: bool(_boxes(w)), timeout=2000)
    box = _boxes(w)[0]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=2000)  # where the keys go
    return box


def _step_to(qtbot, w, epoch: int) -> None:
    w.buttons.step.click()
    qtbot.waitUntil(lambda: w.epoch == epoch, timeout=5000)


def test_reset_asks_before_throwing_a_trained_run_away(qtbot):
    w = MainWindow(make_preset("xor", 200, 0.0, seed=0))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.buttons.reset.click()  # nothing trained: no question
    assert not _boxes(w)

    _step_to(qtbot, w, 1)
    QTest.keyClick(w, Qt.Key.Key_R, CTRL)  # Training → Reset weights, from the keyboard
    box = _question(qtbot, w)
    assert "epoch 1" in box.informativeText() and "Runs" in box.informativeText()
    QTest.keyClick(box, Qt.Key.Key_Escape)  # keep the run: the next step is epoch 2, not 1
    qtbot.waitUntil(lambda: not _boxes(w), timeout=2000)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=2000)  # the keys reach the window again
    _step_to(qtbot, w, 2)

    w.buttons.reset.click()
    QTest.keyClick(_question(qtbot, w), Qt.Key.Key_Return)  # the default answer: reset
    qtbot.waitUntil(lambda: w.epoch == 0, timeout=5000)

    _step_to(qtbot, w, 1)  # "Don't ask again", ticked with the keyboard, holds for this window
    w.buttons.reset.click()
    box = _question(qtbot, w)
    box.checkBox().setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert box.checkBox().isChecked()
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.epoch == 0, timeout=5000)
    _step_to(qtbot, w, 1)
    w.buttons.reset.click()
    assert not _boxes(w)
    qtbot.waitUntil(lambda: w.epoch == 0, timeout=5000)
    w.shutdown()
