"""The network view's input column: every input feature as a map thumbnail, clicked to switch it on or off;
toggled mid-session, the network's first layer follows and the weights reset, saying so."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from playground.data import make_preset
from playground.data.features import FEATURE_NAMES
from playground.training import TrainConfig
from playground.training.commands import SetTrace, Views
from playground.training.frame import FrameBuilder
from playground.training.live import LiveRun
from playground.ui import MainWindow
from playground.ui.network_view import OFF_OPACITY
from playground.ui.step_through import stage_text


def _window(qtbot, config):
    w = MainWindow(make_preset("circle", 200, 0.0), config)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    for key, dock in w.insight.docks.items():
        dock.setVisible(key == "network")
    w.insight.send_views()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None and w.presenter.drawn.network is not None, timeout=5000)
    return w


def _click_input(w, name):
    view = w.insight.network
    item = view.input_items()[name]
    pos = view.mapFromScene(item.sceneBoundingRect().center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos, 300)


@pytest.mark.slow
def test_clicking_inputs_toggles_features_mid_session_and_resets_the_weights(qtbot):
    w = _window(qtbot, TrainConfig(hidden=(3,)))
    view = w.insight.network
    start = w.epoch
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= start + 20, timeout=10000)
    w.pause_training()
    inputs = view.input_items()
    assert tuple(inputs) == FEATURE_NAMES
    assert all(not item.pixmap().isNull() for item in inputs.values())
    assert [n for n, item in inputs.items() if item.opacity() == 1.0] == ["x1", "x2"]
    assert inputs["x1sq"].opacity() == OFF_OPACITY
    assert sum(1 for key in view.link_items() if key[0] == 0) == 2 * 3

    _click_input(w, "x1sq")
    qtbot.waitUntil(lambda: w.insight.network.input_items()["x1sq"].opacity() == 1.0, timeout=5000)
    assert w.state.config.features == ("x1", "x2", "x1sq")
    drawn = w.presenter.drawn
    assert drawn.status.config.features == ("x1", "x2", "x1sq") and drawn.status.layer_sizes[0] == 3
    assert w.epoch == 0
    qtbot.waitUntil(lambda: "input features changed" in w.notices.run_text, timeout=3000)
    assert sum(1 for key in view.link_items() if key[0] == 0) == 3 * 3
    assert "x₁²" in view.describe_link(0, 2, 0)

    _click_input(w, "x1")
    qtbot.waitUntil(lambda: w.presenter.drawn.status.config.features == ("x2", "x1sq"), timeout=5000)
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= 5, timeout=10000)
    w.pause_training()
    w.shutdown()


def test_the_last_input_stays_on_and_the_view_says_why(qtbot):
    w = _window(qtbot, TrainConfig(hidden=(2,), features=("x2sq",)))
    view = w.insight.network
    qtbot.waitUntil(lambda: view.features == ("x2sq",), timeout=5000)
    asked = []
    view.featureToggled.connect(asked.append)
    _click_input(w, "x2sq")
    QTest.qWait(200)
    assert asked == [] and w.state.config.features == ("x2sq",)
    assert "only input: switch another on before this one off" in w.insight.readout.text()
    w.shutdown()


def test_the_forward_stage_shows_the_points_features_as_the_networks_input():
    live = LiveRun(make_preset("circle", 50, 0.0), TrainConfig(hidden=(2,), features=("x1", "x2sq", "sinx1")))
    live.handle(Views(trace=True))
    live.handle(SetTrace((0.5, -2.0), 0))
    text = stage_text(FrameBuilder().build(live).trace, 0, False)
    assert "inputs a0 = " in text and "x₁ = 0.5" in text and "x₂² = 4" in text and "sin x₁ = 0.4794" in text
    assert "the input features of the point (0.5, -2)" in text
