import pyqtgraph as pg
import pytest

from playground.data import make_preset
from playground.ui import MainWindow

pg.setConfigOption("mouseRateLimit", -1)  # pyqtgraph drops synthetic moves above 100/s otherwise


@pytest.fixture
def window(qtbot):
    w = MainWindow(make_preset("xor", 500, 0.0, seed=0))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=5000)
    yield w
    w.shutdown()
