"""Input features in what is saved: the session (and sessions from before features), the model archive and
the code export."""

import io
import json

import numpy as np
import pytest

from playground.data import make_preset
from playground.data.features import FEATURE_NAMES, feature_matrix
from playground.files import ExportedModel, Session, SessionError, code_export, npz_bytes, numpy_script
from playground.files.session import dumps, loads
from playground.training import TrainConfig, Trainer

FEATURES = ("x1", "x2sq", "x1x2", "sinx2")


def _trained(features=FEATURES):
    trainer = Trainer(make_preset("circle", 80, 0.0, seed=0), TrainConfig(hidden=(3,), features=features))
    for _ in range(5):
        trainer.step()
    return trainer


def test_a_session_keeps_the_features_and_the_network_they_feed():
    trainer = _trained()
    text = dumps(Session(trainer.dataset, trainer.config, trainer.state()))
    doc = json.loads(text)
    assert doc["config"]["features"] == list(FEATURES) and doc["state"]["layer_sizes"] == [4, 3, 1]
    back = loads(text)
    assert back.config.features == FEATURES
    restored = Trainer(back.dataset, back.config, eval_every=0, state=back.state)
    X = np.random.default_rng(0).uniform(-6, 6, (20, 2))
    np.testing.assert_array_equal(restored.net.forward(restored.inputs(X)), trainer.net.forward(trainer.inputs(X)))


def test_a_session_from_before_features_opens_with_x1_x2():
    trainer = _trained(("x1", "x2"))
    doc = json.loads(dumps(Session(trainer.dataset, trainer.config, trainer.state())))
    del doc["config"]["features"]
    back = loads(json.dumps(doc))
    assert back.config.features == ("x1", "x2") and back.state.weights[0].shape == (2, 3)


def test_a_session_whose_weights_do_not_fit_its_features_is_refused_naming_both():
    trainer = _trained()
    doc = json.loads(dumps(Session(trainer.dataset, trainer.config, trainer.state())))
    doc["config"]["features"] = ["x1", "x2"]
    with pytest.raises(SessionError, match=r"layer_sizes.*expected \[2, 3, 1\]"):
        loads(json.dumps(doc))
    doc["config"]["features"] = ["x1", "cosx"]
    with pytest.raises(SessionError, match="config.features: .*unknown input feature 'cosx'"):
        loads(json.dumps(doc))


def test_the_model_archive_names_its_features():
    trainer = _trained()
    state = trainer.state()
    raw = npz_bytes(state.weights, state.biases, "tanh", state.epoch, features=trainer.config.features)
    with np.load(io.BytesIO(raw), allow_pickle=False) as archive:
        architecture = json.loads(str(archive["architecture"]))
    assert architecture["features"] == list(FEATURES) and architecture["layer_sizes"][0] == 4
    with pytest.raises(ValueError, match="takes 4 inputs, but there are 2 features"):
        npz_bytes(state.weights, state.biases, "tanh", state.epoch)


def test_the_numpy_script_computes_the_features_itself_and_predicts_like_the_engine():
    trainer = _trained()
    model = ExportedModel.from_state(trainer.state(), trainer.config, trainer.net.output_name)
    assert model.features == FEATURES
    namespace: dict = {"__name__": "exported"}
    exec(compile(numpy_script(model, "m.py"), "m.py", "exec"), namespace)  # the script imports numpy only
    X = np.random.default_rng(1).uniform(-6, 6, (30, 2))
    np.testing.assert_allclose(namespace["predict"](X), trainer.net.forward(trainer.inputs(X)), rtol=1e-5, atol=1e-6)


def test_the_scripts_features_are_the_engines():
    assert tuple(code_export.FEATURES) == FEATURE_NAMES
    X = np.array([[0.7, -1.3]])
    model = ExportedModel((np.eye(7, 1),), (np.zeros(1),), "tanh", "linear", features=FEATURE_NAMES)
    namespace: dict = {"__name__": "exported"}
    exec(compile(numpy_script(model, "m.py"), "m.py", "exec"), namespace)
    np.testing.assert_allclose(namespace["input_features"](X), feature_matrix(X, FEATURE_NAMES), rtol=1e-15)
