"""The confusion matrix, its per-class figures, and the frames that carry it (no Qt)."""

import numpy as np
import pytest

from playground.data import make_preset
from playground.training import TrainConfig
from playground.training.commands import Pause, Play, Views
from playground.training.confusion import accuracy, confusion, precision_recall, row_shares
from playground.training.frame import FrameBuilder
from playground.training.live import LiveRun


def test_confusion_counts_rows_true_columns_predicted():
    counts = confusion([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert counts.dtype == np.int64 and counts.sum() == 6
    assert confusion([], [], 4).shape == (4, 4)
    with pytest.raises(ValueError, match="0..1"):
        confusion([0, 2], [0, 1], 2)
    with pytest.raises(ValueError, match="length"):
        confusion([0, 1], [0], 2)


def test_precision_recall_and_shares_are_nan_safe():
    counts = np.array([[3, 1, 0], [0, 0, 0], [1, 0, 0]])  # class 1 never occurs, class 2 never predicted
    precision, recall = precision_recall(counts)
    np.testing.assert_allclose(precision, [3 / 4, 0.0, np.nan])
    np.testing.assert_allclose(recall, [3 / 4, np.nan, 0.0])
    shares = row_shares(counts)
    np.testing.assert_allclose(shares[0], [0.75, 0.25, 0.0])
    assert np.isnan(shares[1]).all()
    assert accuracy(counts) == pytest.approx(3 / 5)
    assert np.isnan(accuracy(np.zeros((2, 2), dtype=int)))


@pytest.mark.parametrize("preset", ["xor", "spiral3"])
def test_frames_carry_the_matrices_only_when_asked(preset):
    live = LiveRun(make_preset(preset, 200, 0.1, seed=0), TrainConfig(hidden=(6,), test_ratio=0.3))
    builder = FrameBuilder()
    assert builder.build(live).confusion is None
    live.handle(Views(confusion=True))
    live.handle(Play())
    for _ in range(20):
        live.advance()
    live.handle(Pause())
    c = builder.build(live).confusion
    assert c is not None
    t, net = live.trainer, live.trainer.net
    k = t.dataset.n_classes
    assert c.n_classes == k and c.epoch == t.epoch == 20
    pred_train = net.head.predict(net.logits(t.X_train))
    pred_test = net.head.predict(net.logits(t.X_test))
    np.testing.assert_array_equal(c.train, confusion(t.y_train, pred_train, k))
    np.testing.assert_array_equal(c.test, confusion(t.y_test, pred_test, k))
    assert c.train.sum() == t.n_train and c.test.sum() == t.X_test.shape[0]
    # Each cell's mask picks exactly the cell's points of the dataset, and the cells tile each split.
    ds = t.dataset
    for split, counts in (("train", c.train), ("test", c.test)):
        for i in range(k):
            for j in range(k):
                mask = c.cell_mask(split, i, j)
                assert mask.sum() == counts[i, j]
                assert (ds.y[mask] == i).all()
                X = ds.X[mask].astype(t.X_train.dtype)
                side_X = t.X_train if split == "train" else t.X_test
                side_pred = pred_train if split == "train" else pred_test
                side_y = t.y_train if split == "train" else t.y_test
                np.testing.assert_array_equal(X, side_X[(side_y == i) & (side_pred == j)])
    np.testing.assert_array_equal(c.misclassified().sum(), c.train.sum() + c.test.sum() - np.trace(c.train + c.test))


def test_fit_figures_are_rmse_and_r2():
    from playground.training.fit import fit_figures

    rmse, r2 = fit_figures([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 6.0])
    assert rmse == pytest.approx(1.0) and r2 == pytest.approx(1 - 4 / 5)
    assert np.isnan(fit_figures([2.0, 2.0], [1.0, 3.0])[1])  # true values that do not vary: nothing to explain
    assert np.isnan(fit_figures([], [])[0])


def test_a_regression_frame_carries_predicted_against_true_values_matching_the_metrics():
    from playground.training.trainer import Trainer

    live = LiveRun(make_preset("multigauss", 200, 0.0, seed=0), TrainConfig(hidden=(6,), learning_rate=0.05))
    live.handle(Views(confusion=True))
    live.handle(Play())
    for _ in range(40):
        live.advance()
    live.handle(Pause())
    frame = FrameBuilder().build(live)
    fit, trainer = frame.fit, live.trainer
    assert frame.confusion is None and fit is not None and fit.epoch == trainer.epoch == 40
    np.testing.assert_array_equal(fit.values, trainer.dataset.y)
    np.testing.assert_array_equal(fit.is_test, trainer.test_mask)
    net = trainer.net
    np.testing.assert_array_equal(fit.predicted[~fit.is_test], net.head.predict(net.logits(trainer.X_train)))
    m = Trainer(trainer.dataset, trainer.config, state=trainer.state()).evaluate()
    assert fit.train_rmse == pytest.approx(m.train_rmse, rel=1e-4) and fit.test_r2 == pytest.approx(m.test_r2, abs=1e-4)
    classes = LiveRun(make_preset("xor", 50, 0.0, seed=0), TrainConfig(hidden=(3,)))
    classes.handle(Views(confusion=True))
    built = FrameBuilder().build(classes)
    assert built.fit is None and built.confusion is not None
