"""Opening the panels one after another (Ctrl+2 ... Ctrl+7) at 1366x768 keeps the panels' side one width: each
panel used to widen it to its own minimum, so the canvas shrank and its axes changed at every new tab."""

from PySide6.QtWidgets import QApplication

from playground.data import make_preset
from playground.ui import MainWindow


def test_the_panels_side_keeps_one_width_as_panels_are_opened_and_switched(qtbot):
    w = MainWindow(make_preset("xor", 200, 0.0, seed=0))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    with qtbot.waitExposed(w):
        w.show()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=5000)
    widths = []
    try:
        for action in w.insight.toggle_actions()[1:]:  # as Ctrl+2 ... Ctrl+7
            action.trigger()
            for _ in range(3):
                QApplication.processEvents()
                qtbot.wait(20)
            front = [d for d in w.insight.docks.values() if d.isVisible() and not d.visibleRegion().isEmpty()]
            widths.append((action.text(), front[0].width(), w.centralWidget().width()))
        assert len({width for _, width, _ in widths}) == 1, widths
        assert len({canvas for _, _, canvas in widths}) == 1, widths
    finally:
        w.shutdown()
