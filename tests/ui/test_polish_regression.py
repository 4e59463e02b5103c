"""A regression in the window: no "Mark misclassified" on the canvas (no classes to get wrong; it comes back
with classes, enabled, even after the Confusion panel showed a regression's fit), and the Runs table shows
each regression run's RMSE where a classification shows accuracy."""

from PySide6.QtCore import Qt
from ui_helpers import shown
from window_questions import press_reset

from playground.data import make_preset
from playground.training import TrainConfig
from playground.ui import MainWindow


def test_regression_hides_mark_misclassified_and_its_runs_show_rmse(qtbot):
    w = shown(qtbot, MainWindow(make_preset("plane", 150, 0.0, seed=0), TrainConfig(hidden=(4,))), 1366, 768)
    w.insight.docks["runs"].show()
    toggle = w.insight.marks.toggle
    qtbot.waitUntil(lambda: w.presenter.drawn is not None and w.presenter.drawn.status.regression, timeout=5000)
    assert not toggle.isVisible()

    w.buttons.step.click()
    qtbot.waitUntil(lambda: w.epoch >= 1, timeout=5000)
    press_reset(w)  # the run goes to Runs
    table = w.insight.runs.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5000)
    columns = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    train, test = (table.item(0, columns.index(name)).text() for name in ("Train acc", "Test acc"))
    assert train.startswith("RMSE ") and test.startswith("RMSE ")
    assert float(train.split()[1]) == round(w.insight.runs.runs[0].train_rmse, 4)

    confusion = w.insight.docks["confusion"]  # predicted against true values, then closed
    confusion.show()
    confusion.raise_()
    qtbot.waitUntil(lambda: w.insight.confusion.fit is not None, timeout=5000)
    confusion.hide()

    w.data_panel.presetRequested.emit("xor", 100, 0.0)  # classes again: the toggle is back, and works
    qtbot.waitUntil(toggle.isVisible, timeout=5000)
    assert toggle.isEnabled()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert toggle.isChecked()
    qtbot.waitUntil(lambda: w.insight.confusion.frame is not None, timeout=5000)  # the crosses' data come
    w.shutdown()
