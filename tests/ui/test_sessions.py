import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from ui_helpers import click, live_trainer

from playground.data import make_preset, save_csv
from playground.files import load_session
from playground.training import TrainConfig
from playground.training.surface import evaluate_surface
from playground.ui import MainWindow
from playground.ui.paths import autosave_path


def _train(window, qtbot, epochs):
    window.controls.max_epochs.setValue(epochs)
    window.start_training()
    qtbot.waitUntil(
        lambda: (
            window.presenter.latest is not None
            and window.presenter.latest.status.epoch == epochs
            and not window.presenter.latest.status.running
        ),
        timeout=15000,
    )


def _wait_file(qtbot, path):
    qtbot.waitUntil(lambda: os.path.exists(path), timeout=5000)


def test_save_and_open_brings_back_the_same_boundary(window, qtbot, tmp_path):
    _train(window, qtbot, 60)
    window.canvas.setRange(xRange=(-5, 5), yRange=(-5, 5), padding=0)
    qtbot.waitUntil(
        lambda: abs(window.presenter.latest.surface.bounds[0] - window.canvas.visible_bounds()[0]) < 1e-9, timeout=5000
    )
    path = tmp_path / "run.json"
    window.save_session_to(path)
    _wait_file(qtbot, path)
    session = load_session(path)
    assert session.state.epoch == 60 and session.dataset == window.dataset
    assert len(session.history["train"][0]) == 60

    other = MainWindow()
    qtbot.addWidget(other)
    other.resize(window.size())
    other.show()
    assert other.open_path(path)
    qtbot.waitUntil(
        lambda: other.presenter.drawn is not None and other.presenter.drawn.status.epoch == 60, timeout=5000
    )
    # The picture the reopened window draws is exactly the saved network's, wherever its view ended up.
    shown = other.presenter.drawn
    saved_net = live_trainer(qtbot, window).net
    expected = evaluate_surface(saved_net, shown.surface.bounds, shown.surface.values.shape[0])
    # (Equal up to float32 rounding: the training process's BLAS may sum in another order than this one's.)
    np.testing.assert_allclose(shown.surface.values, expected.values, rtol=1e-5, atol=1e-6)
    assert all(np.array_equal(a, b) for a, b in zip(live_trainer(qtbot, other).net.weights, saved_net.weights))
    assert other.dataset == window.dataset and other.config == window.config
    e, _ = other.loss_plot.train.data()
    assert len(e) == 60
    other.shutdown()


def test_a_bad_session_file_changes_nothing_and_says_why(window, tmp_path):
    before = window.dataset
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nn-playground-session", "version": 1, "dataset": {"x": [1], "y": [2]}}')
    assert not window.open_path(bad)
    assert window.dataset == before
    assert "missing field 'label'" in window.notices.problem_text
    assert "bad.json" in window.notices.problem_text


def test_autosave_follows_edits(window, qtbot, _private_home):
    click(window, 5.5, 5.5)
    path = autosave_path(_private_home)
    qtbot.waitUntil(lambda: path.exists() and len(load_session(path).dataset) == 501, timeout=6000)
    assert load_session(path).dataset == window.dataset


def test_close_saves_and_next_start_restores(qtbot, _private_home):
    from playground.ui.app import run  # noqa: F401  (the launcher restores through the same methods)

    w = MainWindow(make_preset("moons", 120, 0.1))
    qtbot.addWidget(w)
    w.show()
    _train(w, qtbot, 25)
    click(w, 1.0, 1.0)
    w.close()
    session = load_session(autosave_path(_private_home))
    assert len(session.dataset) == 121 and session.state.epoch == 25
    again = MainWindow()
    qtbot.addWidget(again)
    again.restore_session(w.sessions.restore_autosave())
    qtbot.waitUntil(
        lambda: again.presenter.drawn is not None and again.presenter.drawn.status.epoch == 25, timeout=5000
    )
    assert again.dataset == session.dataset
    again.shutdown()


def test_export_model_npz_loads_without_pickle(window, qtbot, tmp_path):
    _train(window, qtbot, 5)
    path = tmp_path / "model.npz"
    window.sessions.request_export(path)
    _wait_file(qtbot, path)
    with np.load(path, allow_pickle=False) as npz:
        arch = json.loads(str(npz["architecture"]))
        assert arch["layer_sizes"] == [2, 8, 8, 1]
        assert npz["weights_0"].shape == (2, 8) and npz["biases_2"].shape == (1,)
        W = live_trainer(qtbot, window).net.weights[0]
        assert np.allclose(npz["weights_0"], W)


def test_export_pictures_at_a_chosen_width(window, tmp_path):
    written = window.files.export_pictures(tmp_path / "pic.png", 900, window.canvas, window.loss_plot)
    assert [os.path.basename(p) for p in written] == ["pic.png", "pic-loss.png"]
    for p in written:
        image = QImage(p)
        assert image.width() == 900 and not image.isNull()


def test_unwritable_target_keeps_the_session(window, qtbot, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # even root cannot create a folder inside a file
    n = len(window.dataset)
    window.save_session_to(blocker / "s.json")
    qtbot.waitUntil(lambda: "Could not save" in window.notices.problem_text, timeout=5000)
    assert len(window.dataset) == n and window.thread.alive


def test_unwritable_home_reports_autosave_failure_and_keeps_working(qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("PLAYGROUND_HOME", str(blocker))
    w = MainWindow(make_preset("xor", 100))
    qtbot.addWidget(w)
    w.show()
    click(w, 1.0, 1.0)
    qtbot.waitUntil(lambda: "Autosave failed" in w.notices.problem_text, timeout=6000)
    assert len(w.dataset) == 101
    w.close()  # the save on quit fails too, quietly: no exception, no hang


def test_saving_into_a_missing_disk_location_reports(window, qtbot):
    window.files.save_dataset("/proc/definitely/not/here.csv")
    assert "Could not save the dataset" in window.notices.problem_text


def test_drop_a_csv_onto_the_window(window, tmp_path):
    ds = make_preset("gaussian", 40, 0.0)
    path = tmp_path / "drop.csv"
    save_csv(ds, path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)
    assert window.dataset == ds
    assert str(path.resolve()) in window.sessions.recent_files()


def test_new_session_is_undoable(window):
    before = window.dataset
    window.new_session()
    assert len(window.dataset) == 0
    window.data_panel.undo.click()
    assert window.dataset == before


@pytest.mark.slow
def test_cli_and_window_reach_the_same_loss(window, qtbot, tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "playground",
            "train",
            "--data",
            "xor",
            "--epochs",
            "150",
            "--json",
            "--save",
            str(tmp_path / "cli.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    cli = json.loads(out.stdout)
    _train(window, qtbot, 150)
    m = window.presenter.latest.status.metrics
    assert m.train_loss == cli["train_loss"] and m.test_loss == cli["test_loss"]
    assert window.open_path(tmp_path / "cli.json")
    qtbot.waitUntil(
        lambda: window.presenter.latest.status.epoch == 150 and window.presenter.latest.status.run_id > 0, timeout=5000
    )
    assert window.presenter.latest.status.metrics.train_loss == cli["train_loss"]


def test_remembered_settings(qtbot, _private_home):
    w = MainWindow(config=TrainConfig(hidden=(5,), learning_rate=0.1))
    qtbot.addWidget(w)
    w.show()
    w.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.sessions.remembered_config().hidden == (5,)
    again.shutdown()
