"""The .npz model export: np.load alone is enough to run the network."""

import json

import numpy as np
import pytest

from playground.data import make_preset
from playground.files import export_npz, output_kind
from playground.nn import Network
from playground.training import TrainConfig, Trainer


def _predict(archive, X):
    """The network's output from the archive's arrays alone, as its architecture entry describes."""
    arch = json.loads(str(archive["architecture"]))
    hidden = {
        "tanh": np.tanh,
        "sigmoid": lambda Z: 1 / (1 + np.exp(-Z)),
        "relu": lambda Z: np.maximum(Z, 0),
        "linear": lambda Z: Z,
    }[arch["activation"]]
    n_layers = len(arch["layer_sizes"]) - 1
    A = X
    for i in range(n_layers):
        Z = A @ archive[f"weights_{i}"] + archive[f"biases_{i}"]
        A = hidden(Z) if i < n_layers - 1 else Z
    if arch["output"] == "sigmoid":
        return 1 / (1 + np.exp(-A))
    E = np.exp(A - A.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("preset,output,units", [("circle", "sigmoid", 1), ("spiral3", "softmax", 3)])
def test_export_round_trips_and_predicts_like_the_network(tmp_path, preset, output, units):
    ds = make_preset(preset, 200, 0.1, seed=1)
    config = TrainConfig(hidden=(6, 5), activation="tanh", dtype="float64")
    trainer = Trainer(ds, config, eval_every=0)
    for _ in trainer.run(15):
        pass
    state = trainer.state()
    path = tmp_path / "model.npz"
    export_npz(path, state, config)
    with np.load(path, allow_pickle=False) as archive:
        arch = json.loads(str(archive["architecture"]))
        assert arch["layer_sizes"] == [2, 6, 5, units] and arch["output"] == output
        assert arch["activation"] == "tanh" and arch["epoch"] == 15
        for i, (W, b) in enumerate(zip(state.weights, state.biases)):
            assert np.array_equal(archive[f"weights_{i}"], W) and np.array_equal(archive[f"biases_{i}"], b)
        predicted = _predict(archive, ds.X)
    net = Network([2, 6, 5, units], activation="tanh", output=output, seed=0)
    for target, source in zip([*net.weights, *net.biases], [*state.weights, *state.biases]):
        target[...] = source
    np.testing.assert_allclose(predicted, net.forward(ds.X), rtol=1e-10, atol=1e-12)
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]  # written atomically, no temp file left


def test_the_output_kind_comes_from_the_one_rule():
    assert output_kind(1) == "sigmoid" and output_kind(4) == "softmax"
    with pytest.raises(ValueError):
        output_kind(2)
