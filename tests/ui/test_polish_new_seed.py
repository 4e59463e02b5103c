"""New seed asks before it replaces a run that has trained (its weights would be lost; Runs keeps only the
record), and the keyboard answers: Enter for a new seed, Esc to keep the run."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from playground.data import make_preset
from playground.ui import MainWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _question(qtbot, w) -> QMessageBox:
    qtbot.waitUntil(lambda: any(b.isVisible() for b in w.findChildren(QMessageBox, "confirmNewSeed")), timeout=2000)
    box = next(b for b in w.findChildren(QMessageBox, "confirmNewSeed") if b.isVisible())
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=2000)  # where the keys go
    return box


def _train_a_little(qtbot, w) -> None:
    w.buttons.step.click()
    qtbot.waitUntil(lambda: w.epoch >= 1, timeout=5000)


def _no_question(w) -> bool:
    return not any(b.isVisible() for b in w.findChildren(QMessageBox, "confirmNewSeed"))


def test_new_seed_asks_before_replacing_a_trained_run(qtbot):
    w = MainWindow(make_preset("xor", 200, 0.0, seed=0))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.buttons.new_seed.click()  # nothing trained yet: nothing to lose, no question
    assert w.config.seed == 1 and _no_question(w)

    _train_a_little(qtbot, w)
    QTest.keyClick(w, Qt.Key.Key_R, CTRL_SHIFT)  # Training → New seed, from the keyboard
    box = _question(qtbot, w)
    assert "epoch 1" in box.informativeText() and "Runs" in box.informativeText()
    QTest.keyClick(box, Qt.Key.Key_Escape)  # keep the run
    qtbot.waitUntil(lambda: _no_question(w), timeout=2000)
    assert w.config.seed == 1 and w.epoch >= 1

    w.buttons.new_seed.click()
    QTest.keyClick(_question(qtbot, w), Qt.Key.Key_Return)  # the default answer: a new seed
    qtbot.waitUntil(lambda: w.config.seed == 2 and w.epoch == 0, timeout=5000)

    # "Don't ask again" (ticked with the keyboard) holds for this window.
    _train_a_little(qtbot, w)
    w.buttons.new_seed.click()
    box = _question(qtbot, w)
    box.checkBox().setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert box.checkBox().isChecked()
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.config.seed == 3, timeout=5000)
    _train_a_little(qtbot, w)
    w.buttons.new_seed.click()
    assert w.config.seed == 4 and _no_question(w)
    w.shutdown()
