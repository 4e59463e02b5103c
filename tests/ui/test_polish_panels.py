"""Panel polish from the user tour at 1366×768: whole tab titles with every panel open, zeros and a single
point in the gradients panel, the notice banner's close button inside the banner."""

import math

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QTabBar, QWidget
from ui_helpers import shown

from playground.data import make_preset
from playground.training import TrainConfig
from playground.training.frame import HealthFrame
from playground.training.insight import LayerStats
from playground.ui import MainWindow
from playground.ui.health_view import HealthView
from playground.ui.panels import Notices

TITLES = ["Network", "Gradients & health", "Hidden space", "Runs", "Confusion", "Step through", "Loss landscape"]
NAN = math.nan


def settle(qtbot, ms=150):
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(ms // 3)


def test_every_panel_title_is_whole_with_all_seven_open_at_1366x768(qtbot):
    w = shown(qtbot, MainWindow(make_preset("xor", 200, 0.0, seed=0)), 1366, 768)
    w.insight.show_all()
    settle(qtbot)
    bars = [bar for bar in w.findChildren(QTabBar) if bar.isVisible() and not bar.visibleRegion().isEmpty()]
    assert len(bars) == 1
    bar = bars[0]
    assert [bar.tabText(i).replace("&&", "&") for i in range(bar.count())] == TITLES
    vertical = bar.shape() in (QTabBar.Shape.RoundedEast, QTabBar.Shape.RoundedWest)
    for i, title in enumerate(TITLES):
        rect = bar.tabRect(i)
        along = rect.height() if vertical else rect.width()
        assert along >= bar.fontMetrics().horizontalAdvance(title) + 8, f"{title!r} is cut short"
        assert bar.rect().contains(rect), f"{title!r} is out of sight"
    w.shutdown()


def _frame(epoch, grads, run_id=1):
    stats = [LayerStats(g, 1.0, 0.01, NAN, NAN) for g in grads]
    return HealthFrame(run_id, epoch, "relu", stats, TrainConfig(), 0.5)


def _ticks(axis):
    """The axis's tick values (flattened) and their labels, over the range it shows now."""
    low, high = axis.range
    values = [v for _, level in axis.tickValues(low, high, axis.height()) for v in level]
    return values, axis.tickStrings(values, 1.0, 1.0)


def test_gradients_of_exactly_zero_sit_on_a_labelled_floor_and_one_point_gets_sane_ticks(qtbot):
    view = shown(qtbot, HealthView(), 400, 480)
    view.update_from(_frame(0, [0.0, 0.02, 0.1]))  # one point, the first layer's gradient exactly 0
    settle(qtbot)
    epochs, labels = _ticks(view.plot.getAxis("bottom"))
    assert epochs and all(float(e).is_integer() for e in epochs) and len(epochs) <= 3  # not 0, 0.2, 0.4, ...
    assert [len(curve.getData()[0] if curve.getData()[0] is not None else []) for curve in view.curves] == [1, 1, 1]
    assert view.zero_text == "0 (no gradient)"

    for epoch in range(1, 12):
        view.update_from(_frame(epoch, [0.0 if epoch < 8 else 1e-3, 0.02 / (1 + epoch), 0.1]))
    settle(qtbot)
    x, y = view.curves[0].getData()
    assert len(x) == 12  # the eight zeros are drawn, not dropped by the log axis
    floor = 10 ** np.min(y)  # on a log axis the curve's data are log10 values
    assert floor < 1e-3 and view.zero_text == "0 (no gradient)"
    values, labels = _ticks(view.value_axis)
    assert "0" in labels  # the floor reads 0 on the axis
    at_zero = values[labels.index("0")]
    assert math.isclose(at_zero, math.log10(floor))
    assert all(v == at_zero or v >= at_zero + 0.5 for v in values)  # no tick crowds the 0 from above

    view.stat.setCurrentText("Weight norm")  # no zeros there: no floor, no "0"
    settle(qtbot)
    assert view.zero_text == "" and "0" not in _ticks(view.value_axis)[1]


def test_the_problem_banner_holds_its_close_button_inside_at_the_top_right(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(900, 500)
    notices = Notices()
    notices.attach_to(host)
    host.show()
    qtbot.waitExposed(host)
    notices.show_problem("Could not open the session: it is not a playground session (missing field 'label'). " * 2)
    settle(qtbot, 60)
    dismiss, label = notices.dismiss, notices.findChild(QLabel, "problemLabel")
    at = dismiss.mapTo(notices, QPoint(0, 0))
    picture = notices.grab().toImage()
    background = QColor("#fde8e1")
    for x, y in ((at.x() + dismiss.width() + 2, at.y() + dismiss.height() // 2), (at.x() - 2, at.y() + 2)):
        assert picture.pixelColor(x, y) == background, f"the banner does not reach round the × at {x}, {y}"
    assert abs(at.y() - label.mapTo(notices, QPoint(0, 0)).y()) <= 6  # level with the text's first line
    assert notices.width() - (at.x() + dismiss.width()) <= 12  # at the right edge
    assert isinstance(label.parentWidget(), QFrame)
    qtbot.mouseClick(dismiss, Qt.MouseButton.LeftButton)
    assert notices.problem_text == "" and not notices.isVisible()
