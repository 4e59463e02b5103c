import base64
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.data import make_preset
from playground.training import TrainConfig, Trainer
from playground.training.session import Session, SessionError, dumps, load_session, loads, save_session


def _trained_session(epochs=30, **cfg):
    ds = make_preset("circle", 200, 0.1, seed=2)
    config = TrainConfig(**cfg)
    trainer = Trainer(ds, config, eval_every=0)
    for _ in trainer.run(epochs):
        pass
    history = {"train": (np.arange(1, 4), np.array([0.7, 0.5, np.nan]))}
    return trainer, Session(ds, config, trainer.state(), history, {"view": [-6, 6, -6, 6]})


def test_round_trip_restores_exact_weights_and_continues_identically(tmp_path):
    trainer, session = _trained_session(batch_size=16)
    path = tmp_path / "s.json"
    save_session(session, path)
    loaded = load_session(path)
    assert loaded.dataset == session.dataset and loaded.config == session.config
    assert loaded.extra == {"view": [-6, 6, -6, 6]}
    e, v = loaded.history["train"]
    assert e.tolist() == [1, 2, 3] and v[1] == 0.5 and np.isnan(v[2])
    resumed = Trainer(loaded.dataset, loaded.config, eval_every=0)
    resumed.restore(loaded.state)
    assert all(np.array_equal(a, b) for a, b in zip(resumed.net.weights, trainer.net.weights))
    # Continuing both for 20 epochs gives the same numbers: optimizer and shuffling state came back too.
    a = [r.train_loss for r in trainer.run(50)]
    b = [r.train_loss for r in resumed.run(50)]
    assert a == b


def test_file_is_json_with_format_and_version(tmp_path):
    _, session = _trained_session()
    doc = json.loads(dumps(session))
    assert doc["format"] == "nn-playground-session" and doc["version"] == 1
    w = doc["state"]["weights"][0]
    raw = base64.b64decode(w["float64le"])
    assert len(raw) == 8 * np.prod(w["shape"])


def _doc():
    return json.loads(dumps(_trained_session(epochs=3)[1]))


@pytest.mark.parametrize(
    "mutate,match",
    [
        (lambda d: d.update(format="other"), "not a playground session"),
        (lambda d: d.update(version=99), "newer playground"),
        (lambda d: d.pop("dataset"), "missing field 'dataset'"),
        (lambda d: d["dataset"].update(x="abc"), "dataset.x should be list"),
        (lambda d: d["dataset"]["label"].__setitem__(0, 9), "labels must lie"),
        (lambda d: d["config"].update(hidden=[8, 8, 8]), "layer_sizes"),
        (lambda d: d["config"].update(activation="swish"), "unknown activation"),
        (lambda d: d["state"]["weights"][0].update(shape=[3, 8]), "bytes of data"),
        (lambda d: d["state"]["weights"][0].update(shape=[100000, 100000]), "declares"),
        (lambda d: d["state"]["weights"][0].update(float64le="!!!"), "base64"),
        (
            lambda d: d["state"]["biases"][0].update(float64le=base64.b64encode(np.full(8, np.nan).tobytes()).decode()),
            "NaN",
        ),
        (lambda d: d["state"].update(epoch="ten"), "state.epoch should be int"),
        (lambda d: d["history"]["train"].update(loss=["x", 1, 2]), "loss holds str"),
    ],
)
def test_bad_documents_are_refused_with_a_reason(mutate, match):
    doc = _doc()
    mutate(doc)
    with pytest.raises(SessionError, match=match) as info:
        loads(json.dumps(doc), "bad.json")
    assert "bad.json" in str(info.value)


def test_truncated_nested_and_binary_files():
    text = dumps(_trained_session(epochs=3)[1])
    with pytest.raises(SessionError, match="line 1: not valid JSON"):
        loads(text[: len(text) // 2], "t.json")
    with pytest.raises(SessionError):
        loads("[" * 100000 + "]" * 100000, "deep.json")
    with pytest.raises(SessionError, match="not UTF-8"):
        loads(b"\xff\xfe\x00garbage", "bin.json")
    with pytest.raises(SessionError, match="NaN is not allowed"):
        loads('{"format": NaN}', "nan.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_corrupted_sessions_give_a_session_or_a_session_error(data):
    doc = _CACHED_DOC
    text = json.dumps(doc)
    choice = data.draw(st.integers(0, 2))
    if choice == 0:  # flip bytes
        raw = bytearray(text.encode())
        for _ in range(data.draw(st.integers(1, 5))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
        payload = bytes(raw)
    elif choice == 1:  # replace a field with a random JSON value
        doc = json.loads(text)
        section = data.draw(st.sampled_from(["dataset", "config", "state", "history", "extra", "version"]))
        doc[section] = data.draw(json_values)
        payload = json.dumps(doc).encode()
    else:  # truncate
        payload = text.encode()[: data.draw(st.integers(0, len(text)))]
    try:
        session = loads(payload, "fuzz.json")
    except SessionError as exc:
        assert "fuzz.json" in str(exc)
    else:
        assert isinstance(session, Session)


_CACHED_DOC = _doc()
