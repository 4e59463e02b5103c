"""Kill the real app and check that nothing the user had is lost."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from playground.data import make_preset
from playground.files import Session, load_session, save_session
from playground.training import TrainConfig


def _launch(home, *args):
    env = dict(os.environ, PLAYGROUND_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "playground", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _wait_for(predicate, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_sigkill_loses_nothing_that_was_autosaved(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    dataset = make_preset("moons", 150, 0.2, seed=7)
    config = TrainConfig(hidden=(5, 3), learning_rate=0.1, activation="relu", seed=4)
    source = tmp_path / "start.json"
    save_session(Session(dataset, config), source)
    autosave = home / "autosave.json"

    app = _launch(home, str(source))
    try:
        assert _wait_for(lambda: load_session(autosave).dataset == dataset), "no autosave appeared"
    finally:
        app.send_signal(signal.SIGKILL)
        app.communicate(timeout=10)
    assert app.returncode == -signal.SIGKILL

    again = _launch(home, "--quit-after", "3")
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err.decode()
    restored = load_session(autosave)  # written again on the normal quit, from what was restored
    assert restored.dataset == dataset
    assert restored.config == config


@pytest.mark.slow
def test_kill_during_saves_leaves_old_or_new_file_never_a_torn_one(tmp_path):
    path = tmp_path / "s.json"
    big = make_preset("spiral", 50_000, 0.1, seed=0)
    save_session(Session(big, TrainConfig(seed=0)), path)
    writer = (
        "import sys\n"
        "from playground.data import make_preset\n"
        "from playground.training import TrainConfig\n"
        "from playground.files import Session, save_session\n"
        "big = make_preset('spiral', 50_000, 0.1, seed=0)\n"
        "i = 0\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    i += 1\n"
        "    save_session(Session(big, TrainConfig(seed=i % 1000)), sys.argv[1])\n"
    )
    rng = np.random.default_rng(0)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", writer, str(path)], stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(float(rng.uniform(0.05, 0.6)))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
        session = load_session(path)  # parses completely: old or new, never truncated
        assert session.dataset == big
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "s.json"]
    assert all(name.endswith(".tmp") for name in leftovers)
