import json

import pytest

from playground.data import make_preset
from playground.files import Session, SessionError
from playground.files.session import dumps, loads
from playground.training import TrainConfig, Trainer


def test_a_regression_session_round_trips_and_version_1_opens():
    trainer = Trainer(make_preset("multigauss", 50), TrainConfig(hidden=(3,), features=("x1", "x2sq")))
    trainer.step()
    doc = json.loads(dumps(Session(trainer.dataset, trainer.config, trainer.state())))
    assert doc["version"] == 2 and "value" in doc["dataset"] and "label" not in doc["dataset"]
    back = loads(json.dumps(doc))
    assert back.dataset == trainer.dataset and back.dataset.is_regression and back.state.weights[0].shape == (2, 3)
    old = json.loads(dumps(Session(make_preset("xor", 10), TrainConfig())))
    old["version"] = 1
    del old["config"]["features"]
    assert not loads(json.dumps(old)).dataset.is_regression
    doc["dataset"]["label"] = [0] * 50
    with pytest.raises(SessionError, match="both label and value"):
        loads(json.dumps(doc))
    del doc["dataset"]["label"]
    doc["dataset"]["value"][3] = "a"
    with pytest.raises(SessionError, match="dataset.value holds str"):
        loads(json.dumps(doc))
