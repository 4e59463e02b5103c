import numpy as np

from playground.nn import Network
from playground.training.history import LossHistory
from playground.training.surface import evaluate_surface, grid, level_segments


def test_level_segments_trace_a_circle():
    pts_grid = grid((-2, 2, -2, 2), 81)
    values = (1.0 / (1.0 + np.hypot(*pts_grid.T))).reshape(81, 81)  # 0.5 exactly on the unit circle
    pts = level_segments(values, (-2, 2, -2, 2), 0.5)
    assert pts.shape[0] > 100 and pts.shape[0] % 2 == 0
    assert np.allclose(np.hypot(*pts.T), 1.0, atol=0.01)


def test_level_segments_of_a_flat_field_are_empty():
    assert level_segments(np.zeros((10, 10)), (0, 1, 0, 1)).shape == (0, 2)


def test_surface_shapes_for_binary_and_multiclass():
    s = evaluate_surface(Network([2, 4, 1], seed=0), (-6, 6, -6, 6), 50)
    assert s.values.shape == (50, 50) and s.values.dtype == np.float32 and s.classes is None
    m = evaluate_surface(Network([2, 4, 3], output="softmax", seed=0), (-6, 6, -6, 6), 40)
    assert m.classes.shape == (40, 40) and np.all(m.values >= 1 / 3 - 1e-6)


def test_loss_history_stays_bounded():
    h = LossHistory(capacity=1000)
    for start in range(0, 1_000_000, 1000):
        e = np.arange(start + 1, start + 1001)
        h.extend(e, 1.0 / e)
    epochs, values = h.data()
    assert len(epochs) <= 1000
    assert epochs[-1] > 990_000 and np.all(np.diff(epochs) > 0)
    assert np.allclose(values, 1.0 / epochs)


def test_grid_samples_cell_centres_row_major():
    g = grid((0, 4, 0, 2), 4)
    assert g.shape == (16, 2)
    assert g[:4, 0].tolist() == [0.5, 1.5, 2.5, 3.5] and g[:4, 1].tolist() == [0.25] * 4
    assert g[4, 1] == 0.75


def test_level_segments_are_quiet_on_saturated_plateaus():
    # Equal neighbours (a saturated output) divide by zero in the interpolation; it must not warn
    # (warnings are errors in the tests, and in the window they came from the worker thread).
    values = np.ones((20, 20), dtype=np.float32)
    values[:, :10] = 0.0
    pts = level_segments(values, (0, 1, 0, 1), 0.5)
    assert pts.shape[0] == 2 * 19 and np.allclose(pts[:, 0], 0.5)
