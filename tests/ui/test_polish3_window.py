"""Window manners from the code review: the mouse wheel over the control column scrolls it instead of
changing a spin box or combo box on the way (one notch over the seed or the preset threw a trained run
away); a focused control still takes the wheel. And a script leaving Python with the window open never
waits on a question at exit, even when the autosave cannot be written (it hung)."""

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QMessageBox, QScrollArea

from playground.data import make_preset
from playground.training import TrainConfig
from playground.ui import MainWindow
from playground.ui.window_setup import leave_at_exit

NOTCH = 120


def _value(control):
    return control.currentIndex() if isinstance(control, QComboBox) else control.value()


def _wheel(w, control, notches: int) -> None:
    """A real wheel turn (as the window system delivers it) over the middle of ``control``."""
    QTest.wheelEvent(w.windowHandle(), control.mapTo(w, control.rect().center()), QPoint(0, notches * NOTCH))


def test_the_wheel_scrolls_the_control_column_and_turns_only_a_focused_control(qtbot):
    w = MainWindow(make_preset("xor", 120, 0.0, seed=0), TrainConfig(hidden=(4,)))
    qtbot.addWidget(w)
    w.resize(1100, 560)  # short: the column scrolls
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.buttons.epochs.setValue(3)
    w.buttons.train_n.click()
    qtbot.waitUntil(lambda: w.epoch == 3 and not w.is_training, timeout=5000)
    w.buttons.train_n.setFocus()
    run = w.presenter.latest.status.run_id
    scroll = w.findChild(QScrollArea, "controlScroll")
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0
    column = scroll.widget()
    controls = [c for c in [*column.findChildren(QAbstractSpinBox), *column.findChildren(QComboBox)] if c.isVisible()]
    assert {"seed", "preset", "learningRate", "activation", "trainEpochs"} <= {c.objectName() for c in controls}
    before = {c.objectName(): _value(c) for c in controls}
    for control in controls:
        scroll.ensureWidgetVisible(control)
        at = bar.value()
        _wheel(w, control, 1 if at == bar.maximum() else -1)  # towards the end with room to scroll
        assert bar.value() != at, f"the wheel over {control.objectName()} did not scroll the column"
    assert {c.objectName(): _value(c) for c in controls} == before
    qtbot.wait(50)  # anything the wheel sent reaches the training process and comes back
    assert w.presenter.latest.status.run_id == run and w.epoch == 3 and not w.findChildren(QMessageBox)

    seed = w.controls.seed  # focused (clicked or tabbed to), it takes the wheel
    scroll.ensureWidgetVisible(seed)
    seed.setFocus()
    qtbot.waitUntil(seed.hasFocus, timeout=2000)
    _wheel(w, seed, 1)
    assert seed.value() == before["seed"] + 1
    w.shutdown()


def test_leaving_python_with_the_window_open_asks_no_one_when_the_autosave_fails(window, capfd):
    asked = []
    window.sessions.ask_on_quit = lambda message: asked.append(message)  # a box would wait forever at exit
    window.sessions.autosave_file.mkdir(parents=True)  # a folder where the autosave should go: it fails
    leave_at_exit(window)
    assert asked == []
    err = capfd.readouterr().err
    assert "could not be saved" in err and "not saved" in err
