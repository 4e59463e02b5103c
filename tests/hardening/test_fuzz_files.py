"""The measure of issue 12: hostile CSV and session files through File → Open, `playground FILE` (the app's
startup, in process) and `playground train --data`. Every case ends in a clear message (or a valid
result), the previous session untouched, and no thread left running."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.cli import main
from playground.data import make_preset
from playground.files import Session, load_session, save_session
from playground.training import TrainConfig
from playground.ui import MainWindow
from playground.ui.paths import autosave_path

pytestmark = pytest.mark.slow

HEAD = '{"format": "nn-playground-session", "version": 1, '
ONE = '"dataset": {"x": [0.5], "y": [0.5], "label": [1]}'
FIXED = {  # the hostile kinds of the reliability report
    "labelexp.csv": b"x,y,label\n0,0,1e300\n",
    "biglabel.csv": b"x,y,label\n0,0,99999999999999999999999\n",
    "bigint.csv": b"x,y,label\n" + b"9" * 5000 + b",0,0\n",
    "nan.csv": b"x,y,label\nnan,0,0\n",
    "inf.json": (HEAD + ONE + ', "config": {"l2": 1e999}}').encode(),
    "batch.json": (HEAD + ONE + ', "config": {"batch_size": 1000000000000}}').encode(),
    "seed.json": (HEAD + ONE + ', "config": {"seed": -1}}').encode(),
    "epoch.json": (HEAD + ONE + ', "config": {}, "state": {"epoch": 1000000000000000000000000000000}}').encode(),
    "runs.json": (
        HEAD + ONE + ', "config": {}, "extra": {"runs": [{"epochs": 1, "curve": {"epoch": ["x"]}}]}}'
    ).encode(),
    "bigstr.json": b'{"format": "' + b"x" * 3_000_000 + b'"}',
}
SPECIAL = ["fifo.csv", "fifo.json", "zero.csv", "urandom.json", "loop.json", "dangling.csv", "folder.json", "huge.csv"]


def _make(tmp_path, name: str, payload: bytes | None = None):
    path = tmp_path / name
    if path.exists() or path.is_symlink():
        return path
    if payload is not None:
        path.write_bytes(payload)
    elif name in FIXED:
        path.write_bytes(FIXED[name])
    elif name.startswith("fifo"):
        os.mkfifo(path)
    elif name.startswith("zero"):
        path.symlink_to("/dev/zero")
    elif name.startswith("urandom"):
        path.symlink_to("/dev/urandom")
    elif name.startswith("loop"):
        path.symlink_to(path)
    elif name.startswith("dangling"):
        path.symlink_to(tmp_path / "nowhere")
    elif name.startswith("folder"):
        path.mkdir()
    elif name.startswith("huge"):
        with open(path, "wb") as fh:
            fh.truncate(2**30)  # sparse: 1 GiB that costs nothing
    return path


@st.composite
def hostile(draw):
    kind = draw(st.sampled_from(["fixed", "special", "csv", "json", "bytes"]))
    if kind == "fixed":
        return draw(st.sampled_from(sorted(FIXED))), None
    if kind == "special":
        return draw(st.sampled_from(SPECIAL)), None
    if kind == "csv":
        cell = st.one_of(st.floats(), st.integers(-(10**30), 10**30), st.text(max_size=5))
        rows = draw(st.lists(st.tuples(cell, cell, cell), max_size=20))
        return "h.csv", ("x,y,label\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows)).encode()
    if kind == "json":
        leaf = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=5)
        value = draw(
            st.recursive(
                leaf,
                lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                max_leaves=12,
            )
        )
        field = draw(st.sampled_from(["dataset", "config", "state", "history", "extra"]))
        doc = {
            "format": "nn-playground-session",
            "version": 1,
            "dataset": {"x": [0.5], "y": [0.5], "label": [1]},
            "config": {},
        }
        doc[field] = value
        return "h.json", json.dumps(doc).encode()
    return draw(st.sampled_from(["b.csv", "b.json"])), draw(st.binary(max_size=300))


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def test_file_open_fuzz(qtbot, tmp_path, qthreads):
    w = MainWindow(make_preset("moons", 80, 0.1, seed=0), TrainConfig(hidden=(4,)))
    qtbot.addWidget(w)
    w.show()
    counter = iter(range(10**6))

    @FUZZ
    @given(case=hostile())
    def check(case):
        name, payload = case
        folder = tmp_path / f"c{next(counter)}"
        folder.mkdir()
        path = _make(folder, name, payload)
        data, config = w.dataset, w.config
        if w.open_path(path):
            w.model.undo()
            w.apply_config(config)
        else:
            assert w.dataset == data and w.config == config
            assert path.name in w.notices.problem_text and len(w.notices.problem_text) < 1500
        assert w.thread.alive and w.thread.errors == 0

    check()
    w.close()
    qtbot.waitUntil(lambda: qthreads() == [], timeout=5000)


def test_playground_file_fuzz(qtbot, tmp_path, _private_home, qthreads, capfd):
    from playground.ui.app import start

    last = make_preset("spiral", 120, 0.1, seed=5)
    counter = iter(range(10**6))

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=hostile())
    def check(case):
        name, payload = case
        save_session(Session(last, TrainConfig(hidden=(5,))), autosave_path(_private_home))
        folder = tmp_path / f"c{next(counter)}"
        folder.mkdir()
        path = _make(folder, name, payload)
        w = start(str(path))
        qtbot.addWidget(w)
        refused = w.files.refusal != ""
        if refused:
            assert w.dataset == last and path.name in capfd.readouterr().err
        w.close()
        qtbot.waitUntil(lambda: qthreads() == [], timeout=5000)
        if refused:
            assert load_session(autosave_path(_private_home)).dataset == last

    check()


def test_train_data_fuzz(tmp_path, capsys):
    counter = iter(range(10**6))

    @FUZZ
    @given(case=hostile())
    def check(case):
        name, payload = case
        folder = tmp_path / f"c{next(counter)}"
        folder.mkdir()
        path = _make(folder, name, payload)
        try:
            code = main(["train", "--data", str(path), "--epochs", "1", "--json"])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        assert code in (0, 1, 2), code
        if code == 2:
            lines = err.strip().splitlines()
            assert len(lines) == 1 and len(lines[0]) < 1500, err[:500]
        if code == 0:
            json.loads(out)

    check()
