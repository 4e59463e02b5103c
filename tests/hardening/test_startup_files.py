"""`playground FILE` in a real process with hostile files: never an abort, the refusal on stderr, and the
last session (the autosave) untouched.

Each case is an app process of its own, which spends most of its life waiting for ``--quit-after``; the
cases of a test are started together (up to ``PARALLEL`` at a time, by a module fixture) instead of one
after another, and each test then checks its own case's run, as before."""

import os
import subprocess
import sys
import time

import pytest

from playground.data import make_preset
from playground.files import Session, load_session, save_session
from playground.training import TrainConfig

pytestmark = pytest.mark.slow

PARALLEL = 4  # app processes at once: their start-ups share the cores, their idle seconds overlap
TIMEOUT_S = 60  # for each run, from its start

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


def _run_together(jobs):
    """Run ``python -m playground ARGS`` once per job ``(args, home, folder)``, up to PARALLEL at a time,
    each with PLAYGROUND_HOME=home and its output in files in ``folder`` (a pipe nobody reads while another
    run is waited for could fill up and stall it). Returns, in order, what ``subprocess.run(...,
    capture_output=True, text=True, timeout=TIMEOUT_S)`` would have returned, or the TimeoutExpired it
    would have raised."""
    results = {}
    pending = list(enumerate(jobs))
    running = {}  # index -> (process, deadline, folder)
    try:
        while pending or running:
            while pending and len(running) < PARALLEL:
                i, (args, home, folder) = pending.pop(0)
                env = dict(os.environ, PLAYGROUND_HOME=str(home), QT_QPA_PLATFORM="offscreen")
                with open(folder / "stdout", "w") as out, open(folder / "stderr", "w") as err:
                    proc = subprocess.Popen(
                        [sys.executable, "-m", "playground", *args], env=env, stdout=out, stderr=err
                    )
                running[i] = (proc, time.monotonic() + TIMEOUT_S, folder)
            time.sleep(0.05)
            for i, (proc, deadline, folder) in list(running.items()):
                if proc.poll() is None and time.monotonic() < deadline:
                    continue
                if proc.returncode is None:  # still running at its deadline
                    proc.kill()
                    proc.wait()
                    results[i] = subprocess.TimeoutExpired(proc.args, TIMEOUT_S)
                else:
                    out, err = ((folder / name).read_text() for name in ("stdout", "stderr"))
                    results[i] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
                del running[i]
    finally:
        for proc, _, _ in running.values():  # interrupted: leave no app behind
            proc.kill()
            proc.wait()
    return [results[i] for i in range(len(jobs))]


class _Batch:
    """The runs of one parametrized test, started together when its first case asks for its own: every case
    of that test the session selected (a case the session did not select runs alone)."""

    def __init__(self, request, test_name: str, prepare):
        self.request = request
        self.test_name = test_name
        self.prepare = prepare  # case name -> its runs in order, each (args, home, folder)
        self.done: dict[str, list] = {}  # case name -> [(result, home)] in order

    def runs(self, name: str) -> list:
        """``[(result, home)]``: what each run of case ``name`` returned (``subprocess.run``'s
        CompletedProcess; a run over its timeout raises TimeoutExpired here, as ``subprocess.run`` did) and
        the home it ran with."""
        if name not in self.done:
            names = [
                item.callspec.params["name"]
                for item in self.request.session.items
                if getattr(item, "module", None) is self.request.module
                and getattr(item, "originalname", None) == self.test_name
                and item.callspec.params["name"] not in self.done
            ]
            if name not in names:
                names = [name]
            plans = {n: self.prepare(n) for n in names}
            for n in names:
                self.done[n] = []
            for round_ in range(max(len(plan) for plan in plans.values())):  # a case's own runs in turn
                cases = [n for n in names if round_ < len(plans[n])]
                results = _run_together([plans[n][round_] for n in cases])
                for n, result in zip(cases, results):
                    self.done[n].append((result, plans[n][round_][1]))
        runs = self.done[name]
        for result, _ in runs:
            if isinstance(result, subprocess.TimeoutExpired):
                raise result
        return runs


@pytest.fixture(scope="module")
def hostile_runs(request, tmp_path_factory):
    def prepare(name):
        folder = tmp_path_factory.mktemp(name.replace(".", "_"))
        home = folder / "home"
        home.mkdir()
        save_session(Session(LAST, TrainConfig(hidden=(5,))), home / "autosave.json")
        path = folder / name
        if name == "zero.json":
            path.symlink_to("/dev/zero")
        elif name == "fifo.csv":
            os.mkfifo(path)
        else:
            path.write_text(CASES[name])
        return [([str(path), "--quit-after", "2"], home, folder)]

    return _Batch(request, "test_playground_with_a_hostile_file_starts_and_keeps_the_last_session", prepare)


@pytest.mark.parametrize("name", list(CASES))
def test_playground_with_a_hostile_file_starts_and_keeps_the_last_session(hostile_runs, name):
    ((proc, home),) = hostile_runs.runs(name)
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


@pytest.fixture(scope="module")
def settings_runs(request, tmp_path_factory):
    def prepare(name):
        folder = tmp_path_factory.mktemp(name)
        home = folder / "home"
        home.mkdir()
        (home / "settings.ini").write_text(SETTINGS[name])
        runs = []
        for i in range(2):  # and at the next start too
            (folder / f"run{i}").mkdir()
            runs.append((["--quit-after", "1.5"], home, folder / f"run{i}"))
        return runs

    return _Batch(request, "test_a_damaged_settings_file_never_aborts_the_app", prepare)


@pytest.mark.parametrize("name", list(SETTINGS))
def test_a_damaged_settings_file_never_aborts_the_app(settings_runs, name):
    for proc, _ in settings_runs.runs(name):
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
