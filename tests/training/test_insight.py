import math

import numpy as np

from playground.data import make_preset
from playground.nn import Network
from playground.training import TrainConfig, Trainer
from playground.training.insight import (
    HealthHistory,
    LayerStats,
    findings,
    hidden_space,
    neuron_maps,
)


def test_neuron_maps_match_the_forward_pass():
    net = Network([2, 3, 2, 1], activation="tanh", seed=0)
    maps = neuron_maps(net, (-6, 6, -6, 6), 10)
    assert [m.shape for m in maps] == [(3, 10, 10), (2, 10, 10), (1, 10, 10)]
    # Cell (row 0, col 0) is the point (-5.4, -5.4).
    A = net.forward_layers(np.array([[-5.4, -5.4]]))
    assert np.allclose(maps[0][:, 0, 0], A[1][0], atol=1e-6)
    assert np.allclose(maps[2][0, 0, 0], A[3][0, 0], atol=1e-6)


def test_hidden_space_mesh_and_points():
    net = Network([2, 4, 1], activation="tanh", seed=0)
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    mesh, points = hidden_space(net, 1, 0, 2, (-6, 6, -6, 6), X, lines=5, samples=10)
    assert mesh.shape == (10 * 11, 2) and np.isnan(mesh[10]).all()
    A = net.forward_layers(X)[1]
    assert np.allclose(points, A[:, [0, 2]])


def _recorded(config, epochs=50):
    ds = make_preset("xor", 200, 0.0, seed=0)
    trainer = Trainer(ds, config, eval_every=0)
    for _ in trainer.run(epochs):
        pass
    return trainer, trainer.step(record=True).stats.layers


def test_layer_stats_from_a_recorded_step():
    trainer, stats = _recorded(TrainConfig(hidden=(8, 8), activation="tanh", optimizer="sgd", learning_rate=0.1))
    assert len(stats) == 3
    for s in stats:
        assert s.grad_norm > 0 and s.weight_norm > 0 and 0 < s.update_ratio < 1
    # For SGD the update is lr * gradient.
    W = trainer.net.weights[0]
    assert math.isclose(stats[0].update_ratio, 0.1 * stats[0].grad_norm / np.linalg.norm(W), rel_tol=1e-3)


def test_dead_relus_are_found_and_explained():
    trainer, _ = _recorded(TrainConfig(hidden=(8, 8), activation="relu", init="he", learning_rate=0.01), 5)
    trainer.net.biases[0][:] = -100.0  # every unit of layer 1 now outputs 0 for all inputs
    stats = trainer.step(record=True).stats.layers
    assert stats[0].dead == 1.0
    history = HealthHistory()
    history.add(trainer.epoch, stats, 0.69)
    found = findings(history, trainer.config, "relu")
    assert any(f.title == "Dead ReLUs" and "100%" in f.evidence and "layer 1" in f.evidence for f in found)


def test_vanishing_and_exploding_gradients_and_small_learning_rate():
    def stats(grads, ratio=1e-6):
        return [LayerStats(g, 1.0, ratio, math.nan, math.nan) for g in grads]

    h = HealthHistory()
    h.add(100, stats([1e-7, 1e-4, 1e-2]), 0.6)
    titles = [f.title for f in findings(h, TrainConfig(activation="sigmoid"), "sigmoid")]
    assert titles == ["Vanishing gradients"]
    h.add(101, stats([1e5, 1.0, 1.0]), 0.6)
    found = findings(h, TrainConfig(learning_rate=3.0), "tanh")
    assert found[0].title == "Exploding gradients" and "epoch 101" in found[0].evidence
    assert "3" in found[0].advice
    slow = HealthHistory()
    for e in range(0, 1001, 50):
        slow.add(e, stats([0.1, 0.1, 0.1]), 0.6931 - e * 1e-8)
    assert [f.title for f in findings(slow, TrainConfig(learning_rate=1e-5), "tanh")] == ["Learning rate too small"]


def test_a_healthy_run_has_no_findings():
    trainer, stats = _recorded(TrainConfig(hidden=(8, 8), activation="tanh"), 100)
    h = HealthHistory()
    h.add(trainer.epoch, stats, 0.1)
    assert findings(h, trainer.config, "tanh") == []


def test_run_records_round_trip_and_sweeps():
    from playground.training.commands import Sweep
    from playground.training.live import LiveRun
    from playground.training.runs import RunRecord, parse_sweep_values, sweep_config

    ds = make_preset("xor", 200, 0.0, seed=0)
    base = TrainConfig(hidden=(8, 8))
    values = parse_sweep_values("learning_rate", "0.001, 0.1")
    live = LiveRun(ds, base)
    live.handle(Sweep(tuple((f"lr {v}", sweep_config(base, "learning_rate", v)) for v in values), 100))
    while live.sweeping:
        live.advance()
    runs = live.runs
    assert runs[1].train_loss < runs[0].train_loss  # a tenfold larger rate learns faster here
    assert runs[0].epochs == 100 and len(runs[0].curve_epochs) == 100
    again = RunRecord.from_dict(runs[1].to_dict())
    assert again.config == runs[1].config and again.train_loss == runs[1].train_loss
    assert np.array_equal(again.curve_losses, runs[1].curve_losses)
    assert sweep_config(base, "width", 16).hidden == (16, 16)
    assert sweep_config(base, "activation", "relu").activation == "relu"
    import pytest

    with pytest.raises(ValueError, match="'fast' is not a valid"):
        parse_sweep_values("learning_rate", "0.1, fast")


def test_findings_are_quiet_about_unmeasured_or_broken_numbers():
    nan = math.nan
    h = HealthHistory()
    for e in range(0, 1001, 100):
        h.add(e, [LayerStats(0.1, 1.0, nan, nan, nan)] * 2, 0.6)  # probed while paused: no update ratio
    assert findings(h, TrainConfig(), "tanh") == []
    h.add(1100, [LayerStats(nan, 1.0, nan, nan, nan)] * 2, 0.6)
    found = findings(h, TrainConfig(), "tanh")
    assert found[0].title == "Exploding gradients" and "not a finite number" in found[0].evidence


def test_an_exact_zero_gradient_is_named_not_divided_by():
    def found(grads):
        h = HealthHistory()
        h.add(7, [LayerStats(g, 1.0, 1e-3, math.nan, math.nan) for g in grads], 0.6)
        (finding,) = findings(h, TrainConfig(activation="relu"), "relu")
        return finding.text()

    one = found([0.0, 1e-4, 0.05])
    assert "No gradient reaches layer 1:" in one and "exactly 0" in one and "times smaller" not in one, one
    two = found([0.0, 0.0, 0.05])
    assert "No gradient reaches layers 1–2:" in two and "e+" not in two, two
    assert "No gradient reaches layer 1:" in found([0.0, 0.05])  # one hidden layer: no "vanishing", still no flow
    tiny = found([1e-7, 1e-4, 1e-2])  # a small but real gradient is still compared
    assert "times smaller" in tiny and "No gradient" not in tiny
