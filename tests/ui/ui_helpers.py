"""Drive the canvas with real mouse events, at the widget position of data coordinates."""

from PySide6.QtCore import QObject, QPointF, Qt, Slot
from PySide6.QtTest import QTest


def canvas_pos(window, x, y):
    canvas = window.canvas
    return canvas.mapFromScene(canvas.view_box.mapViewToScene(QPointF(x, y)))


def click(window, x, y, button=Qt.MouseButton.LeftButton, modifier=Qt.KeyboardModifier.NoModifier):
    # QTest's event clock only advances by the delay given: without one, two clicks anywhere near each
    # other count as a double-click, which the canvas (like any Qt view) does not report as two clicks.
    QTest.mouseClick(window.canvas.viewport(), button, modifier, canvas_pos(window, x, y), 500)


def drag(window, points):
    vp = window.canvas.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, canvas_pos(window, *points[0]))
    for p in points[1:]:
        QTest.mouseMove(vp, canvas_pos(window, *p))
        QTest.qWait(5)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, canvas_pos(window, *points[-1]))


class _StateCatcher(QObject):
    def __init__(self):
        super().__init__()
        self.got = []

    @Slot(object)
    def take(self, saved):
        if saved.purpose == "inspect":
            self.got.append(saved)


def live_state(qtbot, window, timeout=5000):
    """The training process's state as it is now (a ``SavedState``: weights, data, settings, runs), asked
    for through the public ``RequestState`` command, as a save asks for it. Commands are handled in order,
    so it reflects every command sent before."""
    from playground.training.commands import RequestState

    catcher = _StateCatcher()
    window.thread.stateReady.connect(catcher.take)
    try:
        window.thread.send(RequestState("inspect"))
        qtbot.waitUntil(lambda: bool(catcher.got), timeout=timeout)
    finally:
        window.thread.stateReady.disconnect(catcher.take)
    return catcher.got[0]


def live_trainer(qtbot, window, timeout=5000):
    """A copy of the training process's trainer as it is now (weights, data, split, optimizer state)."""
    from playground.training.trainer import Trainer

    saved = live_state(qtbot, window, timeout)
    return Trainer(saved.dataset, saved.config, state=saved.state)


def shown(qtbot, widget, width: int, height: int):
    """``widget`` at ``width`` x ``height``, shown and exposed (closed with the test), returned."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget
