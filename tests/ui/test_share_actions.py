"""Edit → Copy settings / Paste settings, File → Export → Python script, and ``--settings`` at start."""

import os
import runpy

import numpy as np
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit

from playground.data import make_preset
from playground.files import load_session
from playground.nn import Network
from playground.training import TrainConfig
from playground.training.settings_text import parse_settings
from playground.ui.app import start


def _paste(window, text):
    QGuiApplication.clipboard().setText(text)
    window.actions["pasteSettingsAction"].trigger()


def test_copied_settings_paste_back_and_bad_ones_change_nothing(window):
    chosen = TrainConfig(hidden=(4, 3), activation="relu", learning_rate=0.01, batch_size=16, seed=3)
    window.apply_config(chosen)
    window.actions["copySettingsAction"].trigger()
    text = QGuiApplication.clipboard().text()
    assert parse_settings(text).config == chosen
    window.apply_config(TrainConfig())
    _paste(window, text)
    assert window.config == chosen
    assert window.findChild(QLineEdit, "hiddenLayers").text() == "4, 3"
    assert window.findChild(QDoubleSpinBox, "learningRate").value() == 0.01

    before_data = window.dataset
    _paste(window, "pg1,hidden=8-8,lr=fast")
    assert "'lr=fast'" in window.notices.problem_text and "Nothing was changed" in window.notices.problem_text
    assert window.config == chosen and window.dataset is before_data


def test_pasted_preset_loads_with_its_seed_and_the_script_predicts_like_the_network(window, qtbot, tmp_path):
    _paste(window, "pg1,preset=spiral:200:0.1,hidden=16-16,seed=5")
    expected = make_preset("spiral", 200, 0.1, seed=5)
    assert np.array_equal(window.dataset.X, expected.X) and np.array_equal(window.dataset.y, expected.y)
    assert window.config == TrainConfig(hidden=(16, 16), seed=5)
    assert window.findChild(QComboBox, "preset").currentText() == "spiral"
    window.actions["copySettingsAction"].trigger()
    assert QGuiApplication.clipboard().text().startswith("pg1,preset=spiral:200:0.1,hidden=16-16,")

    script, torch_script, session = tmp_path / "model.py", tmp_path / "model_torch.py", tmp_path / "s.json"
    window.share.request_script(torch_script, torch=True)
    window.share.request_script(script)
    qtbot.waitUntil(lambda: os.path.exists(script) and os.path.exists(torch_script), timeout=5000)
    assert "Exported" in window.statusBar().currentMessage() and "predict(X)" in window.statusBar().currentMessage()
    window.save_session_to(session)
    qtbot.waitUntil(lambda: os.path.exists(session), timeout=5000)
    saved = load_session(session)
    net = Network([2, 16, 16, 1], activation=saved.config.activation, output="sigmoid")
    for target, source in zip([*net.weights, *net.biases], [*saved.state.weights, *saved.state.biases]):
        target[...] = source
    X = np.random.default_rng(0).uniform(-6, 6, (30, 2))
    predict = runpy.run_path(str(script))["predict"]
    np.testing.assert_allclose(predict(X), net.forward(X), rtol=1e-12, atol=1e-12)
    compile(torch_script.read_text(), "model_torch.py", "exec")


@pytest.mark.slow
def test_settings_given_at_start_apply_over_the_restored_session(qtbot):
    w = start(settings=parse_settings("pg1,preset=moons:150:0.2,hidden=6,act=sigmoid,lr=0.1"))
    qtbot.addWidget(w)
    try:
        assert w.config == TrainConfig(hidden=(6,), activation="sigmoid", learning_rate=0.1)
        assert len(w.dataset) == 150
    finally:
        w.shutdown()
