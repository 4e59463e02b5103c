"""Drive the canvas with real mouse events, at the widget position of data coordinates."""

from PySide6.QtCore import QPointF, Qt
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
