"""Session files: the one schema, written and read in one place (playground/files/session.py)."""

import base64
import json
import math
import os

import numpy as np
import pytest
from hang_guard import read_in_thread
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.data import Dataset, make_preset
from playground.files import Session, SessionError, dumps, load_session, loads, save_session
from playground.training import TrainConfig, Trainer
from playground.training.runs import RunRecord
from playground.training.state import DEFAULT_BOUNDS, ViewState


def _trained_session(epochs=30, **cfg):
    ds = make_preset("circle", 200, 0.1, seed=2)
    config = TrainConfig(**cfg)
    trainer = Trainer(ds, config, eval_every=0)
    for _ in trainer.run(epochs):
        pass
    history = {"train": (np.arange(1, 4), np.array([0.7, 0.5, np.nan]))}
    view = ViewState(bounds=(-5.0, 5.0, -4.0, 4.0), current_class=1, show_test=False, log_scale=True)
    run = RunRecord(config, epochs, 0.5, 0.4, math.nan, 0.9, math.nan, np.arange(3), np.array([0.7, 0.5, 0.4]), "a")
    return trainer, Session(ds, config, trainer.state(), history, view, [run])


def test_round_trip_restores_exact_weights_and_continues_identically(tmp_path):
    trainer, session = _trained_session(batch_size=16)
    path = tmp_path / "s.json"
    save_session(session, path)
    loaded = load_session(path)
    assert loaded.dataset == session.dataset and loaded.config == session.config
    assert loaded.view == session.view
    assert [r.to_dict() for r in loaded.runs] == [r.to_dict() for r in session.runs]
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
    assert doc["format"] == "nn-playground-session" and doc["version"] == 2
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


# -- the on-disk layout stays version 1: the view and the runs live under "extra" -----------------


def test_view_and_runs_are_written_under_extra_as_in_version_1():
    _, session = _trained_session(epochs=3)
    extra = json.loads(dumps(session))["extra"]
    assert extra["view"] == [-5.0, 5.0, -4.0, 4.0]
    assert (extra["current_class"], extra["show_test"], extra["discretize"], extra["log_scale"]) == (
        1,
        False,
        False,
        True,
    )
    assert extra["runs"] == [session.runs[0].to_dict()]


def test_a_version_1_file_without_view_or_runs_reads_as_none_and_empty():
    doc = _doc()
    doc["extra"] = {}
    session = loads(json.dumps(doc), "old.json")
    assert session.view is None and session.runs == []


# -- every value is checked before anything is returned --------------------------------------------


def _refused(text_or_doc, name="bad.json") -> str:
    text = text_or_doc if isinstance(text_or_doc, str) else json.dumps(text_or_doc)
    with pytest.raises(SessionError) as info:
        loads(text, name)
    message = str(info.value)
    assert name in message and "\n" not in message
    return message


def test_an_overflowing_number_in_the_config_is_refused_naming_the_field():
    text = json.dumps(_doc()).replace('"l1": 0.0', '"l1": 1e999')
    assert '"l1": 1e999' in text  # JSON 1e999 parses to inf in Python
    assert "config.l1" in _refused(text)


def test_an_overflowing_number_anywhere_is_refused_naming_where():
    doc = _doc()
    doc["extra"]["runs"][0]["seconds"] = 1.5
    text = json.dumps(doc).replace('"seconds": 1.5', '"seconds": 1e999')
    assert "extra.runs[0].seconds" in _refused(text)
    doc = _doc()
    doc["history"]["train"]["loss"][0] = 123.25
    text = json.dumps(doc).replace("123.25", "1e999")
    assert "history.train.loss[0]" in _refused(text)


def test_an_infinite_view_is_ignored_and_the_default_view_used():
    text = json.dumps(_doc()).replace('"view": [-5.0, 5.0, -4.0, 4.0]', '"view": [0, 1, 0, 1e999]')
    assert "1e999" in text
    session = loads(text, "view.json")
    assert session.view.bounds == DEFAULT_BOUNDS
    assert session.view.current_class == 1  # the rest of the view is kept


def test_a_view_field_of_the_wrong_kind_is_refused_naming_it():
    doc = _doc()
    doc["extra"]["current_class"] = "two"
    assert "extra.current_class" in _refused(doc)


@pytest.mark.parametrize(
    "entry",
    [["not", "a", "run"], "x", {"config": "x", "epochs": 3}, {"epochs": 3, "curve": "abc"}],
)
def test_a_runs_entry_of_the_wrong_type_is_refused_naming_it(entry):
    doc = _doc()
    doc["extra"]["runs"] = [entry]
    assert "extra.runs[0]" in _refused(doc)


def test_a_run_with_absurd_epochs_is_refused():
    doc = _doc()
    doc["extra"]["runs"][0]["curve"]["epoch"] = [10**30, 1, 2]
    assert "extra.runs[0].curve" in _refused(doc)
    doc = _doc()
    doc["extra"]["runs"] = [doc["extra"]["runs"][0]] * 201
    assert "at most 200" in _refused(doc)


@pytest.mark.parametrize(
    "key,value", [("batch_size", 10**12), ("max_epochs", 10**12), ("seed", 10**12), ("seed", -1), ("seed", 2**64)]
)
def test_settings_outside_the_limits_are_refused_naming_the_field(key, value):
    doc = _doc()
    doc["config"][key] = value
    assert f"config.{key}" in _refused(doc)


@pytest.mark.parametrize("epoch", [-1, 10**30, 2**63])
def test_absurd_epochs_in_the_state_are_refused(epoch):
    doc = _doc()
    doc["state"]["epoch"] = epoch
    assert "state.epoch" in _refused(doc)


def test_labels_out_of_range_are_refused_without_warnings():
    doc = _doc()
    doc["dataset"]["label"][0] = 1e20
    assert "dataset.label[0]" in _refused(doc)


def test_a_huge_string_is_not_echoed_in_the_message():
    doc = _doc()
    doc["format"] = "x" * 10_000_000
    assert len(_refused(doc)) < 400


@pytest.mark.slow
def test_too_many_weight_arrays_are_refused_before_decoding():
    doc = _doc()
    doc["state"]["weights"] = doc["state"]["weights"] * 100_000
    assert "state.weights" in _refused(doc)


# -- files that are not files ---------------------------------------------------------------------


def _load_in_thread(path, load):
    return read_in_thread(path, load)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_session_is_refused_at_once(tmp_path):
    path = tmp_path / "x.json"
    os.mkfifo(path)
    outcome = _load_in_thread(path, load_session)
    assert isinstance(outcome.get("error"), SessionError)
    assert "x.json" in str(outcome["error"]) and "is a pipe" in str(outcome["error"])


def test_a_folder_named_like_a_session_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "x.json"
    path.mkdir()
    outcome = _load_in_thread(path, load_session)
    assert isinstance(outcome.get("error"), SessionError)
    assert "x.json" in str(outcome["error"]) and "is a folder" in str(outcome["error"])


def test_chunked_encoding_writes_exactly_what_one_json_dumps_would():
    """A big session is encoded a chunk at a time (so saving never holds the GIL for seconds); the file is
    byte for byte the same as a single json.dumps of the document."""
    from playground.files.session import ENCODE_CHUNK, session_to_dict

    for n in (0, 10, ENCODE_CHUNK, 2 * ENCODE_CHUNK + 7):
        s = Session(make_preset("spiral", max(n, 10), 0.1, seed=0) if n else Dataset(), TrainConfig())
        assert dumps(s) == json.dumps(session_to_dict(s), allow_nan=False, separators=(",", ":"))


def _with_checkpoints():
    from playground.training.checkpoints import Checkpoint

    _, s = _trained_session(12)
    blocks = [np.vstack([W, b[None]]) for W, b in zip(s.state.weights, s.state.biases)]
    kept = tuple(Checkpoint(e, tuple(b * (e + 1) for b in blocks)) for e in (1, 4, 12))
    return Session(s.dataset, s.config, s.state, s.history, s.view, s.runs, kept)


def test_checkpoints_round_trip_exactly_and_older_files_have_none():
    s = _with_checkpoints()
    back = loads(dumps(s))
    assert [c.epoch for c in back.checkpoints] == [1, 4, 12]
    for a, b in zip(back.checkpoints, s.checkpoints):
        for x, y in zip(a.blocks, b.blocks):
            np.testing.assert_array_equal(x, np.asarray(y, np.float64))
    assert back.as_load().checkpoints == back.checkpoints
    doc = json.loads(dumps(s))
    del doc["state"]["checkpoints"]  # as a file written before Rewind
    assert loads(json.dumps(doc)).checkpoints == ()


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda cps: cps[2].update(epoch=10**6), r"state\.checkpoints\[2\]\.epoch .* at most the run's"),
        (lambda cps: cps[1].update(epoch=0), r"state\.checkpoints\[1\]\.epoch .* not after the one before"),
        (lambda cps: cps[0]["blocks"].pop(), r"state\.checkpoints\[0\]\.blocks holds 2 arrays; the network has 3"),
        (lambda cps: cps[0].update(blocks="x"), r"state\.checkpoints\[0\]\.blocks"),
    ],
)
def test_bad_checkpoints_are_refused_naming_the_snapshot(mutate, match):
    doc = json.loads(dumps(_with_checkpoints()))
    mutate(doc["state"]["checkpoints"])
    with pytest.raises(SessionError, match=match):
        loads(json.dumps(doc))


def test_checkpoints_of_another_shape_are_refused():
    doc = json.loads(dumps(_with_checkpoints()))
    block = doc["state"]["checkpoints"][0]["blocks"][0]
    block["shape"] = [block["shape"][1], block["shape"][0]]
    with pytest.raises(SessionError, match=r"state\.checkpoints\[0\]\.blocks do not match"):
        loads(json.dumps(doc))
