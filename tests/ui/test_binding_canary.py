import sys

from PySide6.QtWidgets import QWidget


def test_void_qt_calls_do_not_corrupt_none_refcount(qtbot):
    """PySide6 6.12.0 on Python 3.11 drops None's refcount on every void call and aborts the process."""
    w = QWidget()
    qtbot.addWidget(w)
    before = sys.getrefcount(None)
    for _ in range(20000):
        w.update()
        w.setEnabled(True)
    assert sys.getrefcount(None) >= before
