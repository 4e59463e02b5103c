"""`playground FILE` in a real process with hostile files: never an abort, the refusal on stderr, and the
last session (the autosave) untouched."""

import os
import subprocess
import sys

import pytest

from playground.data import make_preset
from playground.files import Session, load_session, save_session
from playground.training import TrainConfig

pytestmark = pytest.mark.slow

LAST = make_preset("spiral", 333, 0.1, seed=5)
SESSION = '{"format": "nn-playground-session", "version": 1, "dataset": {"x": [0.5], "y": [0.5], "label": [1]}, '
CASES = {
    "labelexp.csv": "x,y,label\n0,0,1e300\n1,1,0\n",
    "biglabel.csv": "x,y,label\n0,0,99999999999999999999999\n1,1,0\n",
    "s_batch.json": SESSION + '"config": {"batch_size": 1000000000000}}',
    "s_runs_curve_str.json": SESSION + '"config": {}, "extra": {"runs": [{"epochs": 3, "curve": "abc"}]}}',
    "s_view_inf.json": SESSION + '"config": {}, "extra": {"view": [0, 1, 0, 1e999]}}',
    "s_l1_inf.json": SESSION + '"config": {"l1": 1e999}}',
    "zero.json": None,
    "fifo.csv": None,
}


@pytest.mark.parametrize("name", list(CASES))
def test_playground_with_a_hostile_file_starts_and_keeps_the_last_session(tmp_path, name):
    home = tmp_path / "home"
    home.mkdir()
    save_session(Session(LAST, TrainConfig(hidden=(5,))), home / "autosave.json")
    path = tmp_path / name
    if name == "zero.json":
        path.symlink_to("/dev/zero")
    elif name == "fifo.csv":
        os.mkfifo(path)
    else:
        path.write_text(CASES[name])
    env = dict(os.environ, PLAYGROUND_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "playground", str(path), "--quit-after", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    session = load_session(home / "autosave.json")
    if name == "s_view_inf.json":  # accepted: an unusable view is replaced by the default one
        assert len(session.dataset) == 1
    else:
        assert name in proc.stderr and len(proc.stderr) < 2000
        assert session.dataset == LAST and session.config.hidden == (5,)


SETTINGS = {
    "geometry": "[General]\ngeometry=@Rect(0 0 100000000 100000000)\n",
    "config5": "[General]\nconfig=5\n",
    "configlist": '[General]\nconfig="[1, 2]"\n',
    "bigbatch": '[General]\nconfig="{\\"batch_size\\": 99999999999}"\n',
}


@pytest.mark.parametrize("name", list(SETTINGS))
def test_a_damaged_settings_file_never_aborts_the_app(tmp_path, name):
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.ini").write_text(SETTINGS[name])
    env = dict(os.environ, PLAYGROUND_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    for _ in range(2):  # and at the next start too
        proc = subprocess.run(
            [sys.executable, "-m", "playground", "--quit-after", "1.5"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
