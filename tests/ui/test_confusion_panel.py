"""The confusion panel through real widgets: the matrices, a click on a cell, misclassified marks."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox

from playground.data import make_preset
from playground.files import load_session
from playground.training import TrainConfig, Trainer
from playground.training.confusion import confusion
from playground.ui import MainWindow


def _window(qtbot):
    ds = make_preset("xor", 200, 0.3, seed=0)
    w = MainWindow(ds, TrainConfig(hidden=(4,), test_ratio=0.3, learning_rate=0.1))
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    for key, dock in w.insight.docks.items():
        dock.setVisible(key == "confusion")
    w.insight.send_views()
    qtbot.waitUntil(lambda: w.presenter.drawn is not None, timeout=5000)
    return w


def _train(w, qtbot, epochs):
    w.start_training()
    qtbot.waitUntil(lambda: w.epoch >= epochs, timeout=15000)
    w.pause_training()
    qtbot.waitUntil(
        lambda: (
            w.presenter.drawn is not None
            and not w.presenter.drawn.status.running
            and w.presenter.drawn.confusion is not None
            and w.presenter.drawn.confusion.epoch == w.epoch
        ),
        timeout=5000,
    )


def _click(table, row, col):
    rect = table.visualRect(table.model().index(row, col))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def _shown(item):
    x, y = item.getData()
    return {(float(a), float(b)) for a, b in zip(x, y)}


@pytest.mark.slow
def test_confusion_panel_matches_the_network_and_a_cell_rings_its_points(qtbot, tmp_path):
    w = _window(qtbot)
    _train(w, qtbot, 15)
    # The network as saved, its predictions computed here directly.
    path = tmp_path / "s.json"
    w.save_session_to(path)
    qtbot.waitUntil(path.exists, timeout=5000)
    session = load_session(path)
    t = Trainer(session.dataset, session.config, eval_every=0, state=session.state)
    assert t.epoch == w.epoch
    pred_train = t.net.head.predict(t.net.logits(t.X_train))
    pred_test = t.net.head.predict(t.net.logits(t.X_test))
    want = {"train": confusion(t.y_train, pred_train, 2), "test": confusion(t.y_test, pred_test, 2)}
    view = w.insight.confusion
    for split, counts in want.items():
        table = view.tables[split]
        assert (table.rowCount(), table.columnCount()) == (3, 3)
        for i in range(2):
            assert table.item(i, 0).text().split("\n")[0] == f"{counts[i, 0]:,}"
            assert table.item(i, 1).text().split("\n")[0] == f"{counts[i, 1]:,}"
            share = counts[i, 0] / counts[i].sum()
            assert table.item(i, 0).text().split("\n")[1] == f"{100 * share:.0f}%"
        recall0 = counts[0, 0] / counts[0].sum()
        precision1 = counts[1, 1] / counts[:, 1].sum() if counts[:, 1].sum() else float("nan")
        assert table.item(0, 2).text() == f"{100 * recall0:.0f}%"
        assert table.item(2, 1).text() == ("–" if np.isnan(precision1) else f"{100 * precision1:.0f}%")

    # A click on each cell rings exactly the points of that cell; the others are dimmed.
    canvas = w.canvas
    ds = w.dataset
    for split, X, y, pred in (("train", t.X_train, t.y_train, pred_train), ("test", t.X_test, t.y_test, pred_test)):
        for i in range(2):
            for j in range(2):
                _click(view.tables[split], i, j)
                cell = (y == i) & (pred == j)
                expected = {(float(a), float(b)) for a, b in ds.X[_rows(ds.X, X[cell])]}
                assert _shown(canvas.rings) == expected and len(expected) == want[split][i, j]
                assert canvas.train_items[0].opacity() < 1
    _click(view.tables["test"], 1, 1)  # the last chosen cell again: cleared
    assert _shown(canvas.rings) == set() and canvas.train_items[0].opacity() == 1

    # The toggle on the canvas crosses every misclassified point, panel open or closed.
    toggle = canvas.findChild(QCheckBox, "markMisclassified")
    assert toggle is not None and toggle.isVisible() and not toggle.isChecked()
    toggle.click()
    splits = ((t.X_train, t.y_train, pred_train), (t.X_test, t.y_test, pred_test))
    wrong = np.concatenate([X[y != p] for X, y, p in splits])
    expected = {(float(a), float(b)) for a, b in ds.X[_rows(ds.X, wrong)]}
    assert len(expected) > 0 and _shown(canvas.crosses) == expected
    w.insight.docks["confusion"].hide()
    w.insight.send_views()
    _train(w, qtbot, w.epoch + 5)
    assert w.presenter.drawn.confusion is not None and len(_shown(canvas.crosses)) > 0
    toggle.click()
    qtbot.waitUntil(lambda: _shown(canvas.crosses) == set(), timeout=3000)
    w.shutdown()


def _rows(all_X, some_X):
    """Indices of the rows of ``some_X`` in ``all_X`` (the trainer's split holds a cast copy)."""
    some = some_X.astype(np.float64)
    lookup = {tuple(r): k for k, r in enumerate(all_X.astype(some_X.dtype).astype(np.float64))}
    return np.array([lookup[tuple(r)] for r in some], dtype=np.int64)
