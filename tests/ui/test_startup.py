"""Startup never aborts on what it reads, and a refused file never costs the last session (issue 12):
``playground FILE`` with a hostile file, a damaged settings.ini, a damaged autosave."""

import os

import pytest

from playground.data import make_preset
from playground.files import Session, load_session, save_session
from playground.training import TrainConfig
from playground.ui.app import start
from playground.ui.paths import autosave_path

LAST = make_preset("spiral", 333, 0.1, seed=5)


def _start(qtbot, path=None):
    w = start(None if path is None else str(path))
    qtbot.addWidget(w)
    return w


def _hostile(tmp_path, name: str):
    """Files that aborted the app at start or half-applied on open (reliability report C2/C3)."""
    path = tmp_path / name
    good = {"format": "nn-playground-session", "version": 1, "dataset": {"x": [0.5], "y": [0.5], "label": [1]}}
    session = dict(good, config={})
    texts = {
        "labelexp.csv": "x,y,label\n0,0,1e300\n1,1,0\n",
        "biglabel.csv": "x,y,label\n0,0,99999999999999999999999\n1,1,0\n",
        "s_batch.json": {**session, "config": {"batch_size": 10**12}},
        "s_seed.json": {**session, "config": {"seed": 2**64}},
        "s_epochs.json": {**session, "config": {"max_epochs": 10**12}},
        "s_runs_curve_str.json": {**session, "extra": {"runs": [{"epochs": 3, "curve": "abc"}]}},
        "s_runs_bigepoch.json": {**session, "extra": {"runs": [{"epochs": 3, "curve": {"epoch": [10**30]}}]}},
        "s_runs_list.json": {**session, "extra": {"runs": [[1, 2]]}},
        "s_l1_inf.json": '{"format": "nn-playground-session", "version": 1, "dataset": {"x": [0.5], "y": [0.5], '
        '"label": [1]}, "config": {"l1": 1e999}}',
        "s_bigstr.json": {"format": "x" * 5_000_000},
    }
    if name == "zero.json":
        path.symlink_to("/dev/zero")
    elif name == "fifo.csv":
        os.mkfifo(path)
    else:
        import json

        text = texts[name]
        path.write_text(text if isinstance(text, str) else json.dumps(text))
    return path


HOSTILE = [
    "labelexp.csv",
    "biglabel.csv",
    "s_batch.json",
    "s_seed.json",
    "s_epochs.json",
    "s_runs_curve_str.json",
    "s_runs_bigepoch.json",
    "s_runs_list.json",
    "s_l1_inf.json",
    "s_bigstr.json",
    "zero.json",
    "fifo.csv",
]


@pytest.mark.slow  # twelve hostile files through the whole startup: ~9 s
@pytest.mark.parametrize("name", HOSTILE)
def test_a_refused_file_on_the_command_line_restores_the_last_session(qtbot, tmp_path, _private_home, capfd, name):
    save_session(Session(LAST, TrainConfig(hidden=(5,))), autosave_path(_private_home))
    w = _start(qtbot, _hostile(tmp_path, name))
    assert w.dataset == LAST and w.config.hidden == (5,)  # the last session, not the defaults
    assert name in w.notices.problem_text and "restored" in w.notices.problem_text
    err = capfd.readouterr().err
    assert name in err and len(err) < 2000  # said on stderr too, and never a 5 MB line
    assert w.thread.alive
    w.close()
    assert load_session(autosave_path(_private_home)).dataset == LAST  # the defaults never replaced it


def test_a_refused_file_with_no_autosave_starts_with_the_defaults(qtbot, tmp_path, _private_home):
    w = _start(qtbot, _hostile(tmp_path, "labelexp.csv"))
    assert "labelexp.csv" in w.notices.problem_text and len(w.dataset) > 0
    w.close()


SETTINGS = [
    "[General]\ngeometry=@Rect(0 0 100000000 100000000)\n",
    "[General]\nconfig=5\n",
    '[General]\nconfig="[1, 2]"\n',
    '[General]\nconfig="{\\"batch_size\\": 99999999999}"\n',
    '[General]\nconfig="{\\"seed\\": -1}"\n',
    "[General]\nrecent=5\nlayout=@Rect(1 2 3 4)\n",
    "[General]\ngeometry=@ByteArray(garbage)\nconfig=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x1)\n",
]


@pytest.mark.slow  # seven damaged settings files through the whole startup
@pytest.mark.parametrize("text", SETTINGS)
def test_a_damaged_settings_file_never_stops_startup(qtbot, _private_home, text):
    (_private_home / "settings.ini").write_text(text)
    w = _start(qtbot)
    assert w.thread.alive and w.isVisible()
    assert w.config == TrainConfig() or "remembered settings" in w.notices.problem_text
    w.files.recent_menu.aboutToShow.emit()
    w.close()


def test_a_damaged_autosave_is_kept_and_the_ring_restores_the_one_before(qtbot, _private_home):
    path = autosave_path(_private_home)
    save_session(Session(LAST, TrainConfig()), path.with_name("autosave.1.json"))
    path.write_text("{ damaged")
    w = _start(qtbot)
    assert w.dataset == LAST
    assert (_private_home / "autosave-unreadable.json").read_text() == "{ damaged"
    w.close()


def test_the_last_session_is_read_off_the_gui_thread_at_startup(qtbot, _private_home, monkeypatch):
    """Restoring a big autosave must not leave the new window frozen (and unpainted) while it is read."""
    import threading

    import playground.ui.file_actions as file_actions

    readers = []

    def recording_load(path):
        readers.append(threading.get_ident())
        return load_session(path)

    monkeypatch.setattr(file_actions, "load_session", recording_load)
    save_session(Session(LAST, TrainConfig()), autosave_path(_private_home))
    w = _start(qtbot)
    assert w.dataset == LAST
    assert readers and threading.get_ident() not in readers
    w.close()
