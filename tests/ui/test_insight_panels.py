import numpy as np
import pytest
from PySide6.QtCore import Qt
from ui_helpers import live_state, live_trainer
from window_questions import press_reset

from playground.data import make_preset
from playground.files import load_session
from playground.training import TrainConfig
from playground.ui import MainWindow
from playground.ui.network_view import MAX_SHOWN


def _window(qtbot, dataset=None, config=None, panels=("network",)):
    w = MainWindow(dataset if dataset is not None else make_preset("circle", 300, 0.0), config)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    for key, dock in w.insight.docks.items():
        dock.setVisible(key in panels)
    w.insight.send_views()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=5000)
    return w


def _train(w, qtbot, epochs):
    start = w.epoch
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= start + epochs, timeout=15000)
    w.pause_training()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None and not w.presenter.drawn.status.running, timeout=5000)


def test_network_view_shows_live_neuron_maps_and_links(qtbot):
    w = _window(qtbot, config=TrainConfig(hidden=(4, 3)))
    _train(w, qtbot, 30)
    view = w.insight.network
    assert len(view.node_items()) == 4 + 3 + 1
    assert len(view.link_items()) == 2 * 4 + 4 * 3 + 3 * 1
    assert all(not node.pixmap().isNull() for node in view.node_items().values())
    # Link widths follow the weights: the strongest weight has the widest link.
    W = w.presenter.drawn.network.blocks[1][:-1]
    i, j = np.unravel_index(np.argmax(np.abs(W)), W.shape)
    widths = {k: link.pen().widthF() for k, link in view.link_items().items() if k[0] == 1}
    assert widths[(1, i, j)] == max(widths.values())
    text = view.describe_link(1, 0, 0)
    assert f"{W[0, 0]:.4g}" in text and "gradient" in text
    assert "bias" in view.describe_neuron(1, 2)
    # Hovering keeps a readout that follows training: the weight shown changes as the weight does.
    view.set_hovered(("link", 1, 0, 0))
    shown = w.insight.readout.text()
    assert f"{W[0, 0]:.4g}" in shown
    _train(w, qtbot, 200)
    assert (
        w.insight.readout.text() != shown
        and f"{w.presenter.drawn.network.blocks[1][0, 0]:.4g}" in w.insight.readout.text()
    )
    w.shutdown()


def test_clicking_a_neuron_shows_its_map_on_the_canvas(qtbot):
    w = _window(qtbot, config=TrainConfig(hidden=(4,)))
    _train(w, qtbot, 10)
    node = w.insight.network.node_items()[(1, 2)]
    view = w.insight.network
    pos = view.mapFromScene(node.sceneBoundingRect().center())
    from PySide6.QtTest import QTest

    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    qtbot.waitUntil(lambda: w.presenter.latest.surface.focus == (1, 2), timeout=3000)
    maps = w.presenter.latest.surface.values
    assert maps is not None and maps.min() >= 0 and maps.max() <= 1
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    qtbot.waitUntil(
        lambda: w.presenter.latest.surface.focus is None and w.presenter.latest.surface.contour is not None,
        timeout=3000,
    )
    w.shutdown()


def test_typing_a_weight_changes_the_network(qtbot):
    w = _window(qtbot, config=TrainConfig(hidden=(4,)))
    w.insight.network.weightEdited.emit(0, 1, 2, 2.5)
    qtbot.waitUntil(
        lambda: (
            w.presenter.latest is not None
            and w.presenter.latest.network is not None
            and w.presenter.latest.network.blocks is not None
            and w.presenter.latest.network.blocks[0][1, 2] == 2.5
        ),
        timeout=3000,
    )
    assert live_trainer(qtbot, w).net.weights[0][1, 2] == 2.5
    w.shutdown()


def test_wide_layers_stay_legible(qtbot):
    w = _window(qtbot, config=TrainConfig(hidden=(64, 64)))
    qtbot.waitUntil(lambda: len(w.insight.network.node_items()) > 0, timeout=5000)
    nodes = w.insight.network.node_items()
    assert len([k for k in nodes if k[0] == 1]) == MAX_SHOWN
    texts = [item.text() for item in w.insight.network.scene().items() if hasattr(item, "text")]
    assert any(t.startswith(f"+{64 - MAX_SHOWN}") for t in texts)  # "+54 more", or "+54" where space is short
    assert len(w.insight.network.link_items()) == 2 * MAX_SHOWN + MAX_SHOWN * MAX_SHOWN + MAX_SHOWN
    w.shutdown()


def test_hidden_space_warps_the_grid(qtbot):
    w = _window(qtbot, config=TrainConfig(hidden=(5, 3)), panels=("hidden",))
    hidden = w.insight.hidden
    qtbot.waitUntil(lambda: hidden.layer.count() == 2, timeout=3000)
    hidden.layer.setCurrentIndex(1)
    hidden.i.setValue(1)
    hidden.j.setValue(3)
    _train(w, qtbot, 20)
    qtbot.waitUntil(lambda: w.presenter.latest.hidden.mesh is not None, timeout=3000)
    xs, ys = hidden.mesh.getData()
    assert len(xs) > 100 and np.nanmax(np.abs(xs)) <= 1.0  # tanh units live in [-1, 1]
    shown = sum(len(item.getData()[0]) for item in hidden.points)
    assert shown == len(w.dataset)
    w.shutdown()


def test_health_panel_finds_dead_relus(qtbot):
    w = _window(
        qtbot,
        make_preset("xor", 200, 0.0),
        TrainConfig(hidden=(6, 6), activation="relu", init="he", learning_rate=0.01),
        panels=("health",),
    )
    _train(w, qtbot, 20)
    assert len(w.insight.health.history.epochs) >= 1
    assert "No problems" in w.insight.health.findings_label.text()
    for j in range(6):  # make every unit of hidden layer 1 output zero everywhere
        w.insight.set_weight(0, 2, j, -100.0)
    _train(w, qtbot, 20)
    qtbot.waitUntil(lambda: "Dead ReLUs" in w.insight.health.findings_label.text(), timeout=5000)
    assert "100%" in w.insight.health.findings_label.text()
    assert "layer 1" in w.insight.health.units.text()
    assert len(w.insight.health.curves) == 3
    w.shutdown()


@pytest.mark.slow
def test_runs_are_kept_compared_swept_and_saved(qtbot, tmp_path):
    w = _window(qtbot, make_preset("xor", 200, 0.0), TrainConfig(hidden=(4,)), panels=("runs",))
    runs = w.insight.runs
    _train(w, qtbot, 30)
    press_reset(w)
    qtbot.waitUntil(lambda: runs.table.rowCount() == 1, timeout=5000)
    assert runs.runs[0].epochs >= 30 and runs.runs[0].config.hidden == (4,)
    runs.parameter.setCurrentIndex(0)  # learning rate
    runs.values.setText("0.001, 0.1")
    runs.epochs.setValue(40)
    runs.sweep_button.click()
    # A learning-rate sweep trains stacked, its rows growing live: wait for the finished runs.
    qtbot.waitUntil(lambda: runs.table.rowCount() == 3 and "…" not in runs.runs[-1].label, timeout=15000)
    assert [r.config.learning_rate for r in runs.runs[1:]] == [0.001, 0.1]
    assert all(r.epochs == 40 for r in runs.runs[1:])
    assert runs.overlaid() == 3
    runs.set_checked(0, False)
    assert runs.overlaid() == 2
    runs.values.setText("0.1, fast")
    assert not runs.request_sweep(w.config) and "'fast'" in runs.sweep_message.text()
    path = tmp_path / "runs.json"
    w.save_session_to(path)
    qtbot.waitUntil(lambda: path.exists(), timeout=5000)
    assert len(load_session(path).runs) == 3
    other = _window(qtbot, panels=("runs",))
    other.open_path(path)
    qtbot.waitUntil(lambda: other.insight.runs.table.rowCount() == 3, timeout=5000)
    w.shutdown()
    other.shutdown()


def test_runs_can_be_deleted_applied_and_stay_distinct_past_eight(qtbot):
    from playground.training.commands import Sweep

    w = _window(qtbot, make_preset("xor", 100, 0.0), TrainConfig(hidden=(3,)), panels=("runs",))
    runs = w.insight.runs
    base = w.config
    sweep = tuple((f"lr {lr}", base.with_changes(learning_rate=lr)) for lr in (0.001, 0.002, 0.003, 0.01, 0.02))
    w.thread.send(Sweep(sweep + tuple((f"b{k}", base.with_changes(batch_size=k)) for k in range(1, 6)), 3))
    qtbot.waitUntil(lambda: runs.table.rowCount() == 10, timeout=15000)
    assert runs.overlaid() == runs.MAX_OVERLAY  # the newest eight are ticked
    assert runs.checked() == list(range(2, 10))
    pens = [runs.pen(r) for r in range(10)]
    assert len({(p.color().name(), p.style()) for p in pens}) == 10  # past eight, dashed instead of repeated
    runs.table.selectRow(0)
    assert runs.apply_button.isEnabled()
    runs.apply_button.click()
    qtbot.waitUntil(lambda: w.config.learning_rate == 0.001, timeout=3000)
    runs.table.selectRow(1)
    runs.delete_button.click()
    qtbot.waitUntil(lambda: runs.table.rowCount() == 9, timeout=5000)
    assert [r.label for r in runs.runs][:2] == ["lr 0.001", "lr 0.003"]
    assert len(live_state(qtbot, w).runs) == 9
    w.shutdown()


def test_a_diverged_run_is_marked(qtbot):
    w = _window(
        qtbot,
        make_preset("xor", 200, 0.0),
        TrainConfig(hidden=(4,), activation="linear", optimizer="sgd", learning_rate=10.0),
        panels=("runs",),
    )
    w.start_training()
    qtbot.waitUntil(lambda: w.presenter.latest.status.diverged, timeout=10000)
    press_reset(w)
    runs = w.insight.runs
    qtbot.waitUntil(lambda: runs.table.rowCount() == 1, timeout=5000)
    assert runs.table.item(0, 1).text().startswith("⚠ diverged")
    w.shutdown()


def test_a_wide_deep_network_stays_readable_and_the_hovered_link_stands_out(qtbot):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QGraphicsSimpleTextItem

    w = _window(qtbot, config=TrainConfig(hidden=(64,) * 6, activation="relu", init="he"))
    view = w.insight.network
    qtbot.waitUntil(lambda: w.presenter.drawn.network is not None and len(view.node_items()) > 0, timeout=10000)
    labels = [i for i in view.scene().items() if isinstance(i, QGraphicsSimpleTextItem) and i.isVisible()]
    assert labels and view.transform().m11() < 0.8  # fitted small ...
    boxes = []
    for item in labels:  # ... yet every label keeps a readable size, and none runs into another
        box = item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect())
        assert box.height() >= 10, (item.text(), box.height())
        assert not any(box.intersects(other) for other in boxes), item.text()
        boxes.append(box)
    key, link = next(iter(view.link_items().items()))
    QTest.mouseMove(view.viewport(), view.mapFromScene(link.line().center()))
    qtbot.waitUntil(lambda: view.hovered_link() is not None, timeout=3000)
    hovered = view.link_items()[view.hovered_link()]
    assert hovered.zValue() > 0 and hovered.pen().color().name() == "#141414"
    assert "weight" in w.insight.readout.text()
    w.shutdown()
