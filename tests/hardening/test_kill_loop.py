"""SIGKILL the real app at random moments while the user draws (and trains, or saves): the autosave left
behind is always a valid session holding everything drawn up to 2 s before the kill."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from playground.files import load_session

pytestmark = pytest.mark.slow

KILLS_PER_MODE = int(os.environ.get("PLAYGROUND_KILLS", "3"))
DRIVER = Path(__file__).with_name("kill_driver.py")
MAX_LOSS_S = 2.0


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie has ended; it waits only for its parent (the forkserver) to reap it
            if Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z":
                return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def _run_and_kill(home: Path, mode: str, after: float, save: Path) -> tuple[float, list[tuple[float, int]]]:
    env = dict(os.environ, PLAYGROUND_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), mode, str(save)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    log: list[tuple[float, int]] = []
    label, pid = proc.stdout.readline().split()
    assert label == b"training-pid", "the driver did not start"
    first = proc.stdout.readline()  # the window is up and drawing
    assert first, "the driver did not start"
    deadline = time.monotonic() + after
    os.set_blocking(proc.stdout.fileno(), False)
    pending = first
    while time.monotonic() < deadline:
        time.sleep(0.05)
        pending += proc.stdout.read() or b""
    killed_at = time.monotonic()
    proc.send_signal(signal.SIGKILL)
    pending += proc.communicate(timeout=10)[0] or b""
    # The training process notices its window is gone (the pipe closes) and ends by itself.
    assert _gone(int(pid), within=5.0), "the training process outlived its window"
    for line in pending.decode().splitlines():
        t, n = line.split()
        log.append((float(t), int(n)))
    return killed_at, log


@pytest.mark.parametrize("mode", ["draw", "train", "save"])
def test_a_kill_loses_at_most_two_seconds_of_drawing(tmp_path, mode):
    rng = np.random.default_rng(["draw", "train", "save"].index(mode))
    losses = []
    for i in range(KILLS_PER_MODE):
        home = tmp_path / f"home{i}"
        home.mkdir()
        killed_at, log = _run_and_kill(home, mode, float(rng.uniform(3.0, 8.0)), tmp_path / f"s{i}.json")
        session = load_session(home / "autosave.json")  # exists and is complete
        held = len(session.dataset)
        # The newest drawing the autosave lacks, and how long before the kill it was made.
        missing = [t for t, n in log if n > held]
        lost = killed_at - missing[0] if missing else 0.0
        losses.append(lost)
        assert lost <= MAX_LOSS_S, f"{mode}: the kill lost {lost:.1f} s of drawing ({held} of {log[-1][1]} points)"
        assert not [p for p in home.iterdir() if p.name.endswith(".tmp")]
    print(f"{mode}: worst loss {max(losses):.2f} s over {len(losses)} kills")
