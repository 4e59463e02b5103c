"""`playground train`: every bad value exits 2 with one line naming the option; --json is always JSON."""

import json
import os

import numpy as np
import pytest

from playground.cli import main
from playground.files import load_session


def _refused(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as info:
        main(["train", *argv])
    assert info.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    "option,value",
    [
        ("--points", "1e11"),
        ("--points", "100000000000"),
        ("--points", "0"),
        ("--points", "-5"),
        ("--l1", "inf"),
        ("--l1", "nan"),
        ("--l1", "-1"),
        ("--l2", "nan"),
        ("--l2", "1e309"),
        ("--noise", "nan"),
        ("--noise", "1e308"),
        ("--lr", "0"),
        ("--lr", "inf"),
        ("--test-ratio", "1"),
        ("--test-ratio", "nan"),
        ("--batch-size", "-1"),
        ("--batch-size", "1000000000000"),
        ("--epochs", "0"),
        ("--epochs", "100000000000"),
        ("--epochs", "abc"),
        ("--seed", "-1"),
        ("--seed", "99999999999"),
        ("--save", ""),
        ("--layers", "8,,8"),
        ("--features", "x1,x3"),
        ("--features", ""),
        ("--features", "x1,x1"),
    ],
)
def test_a_bad_value_exits_2_with_one_line_naming_the_option(capsys, option, value):
    quick = [] if option == "--epochs" else ["--epochs", "1"]  # should it be accepted, it trains briefly
    line = _refused(capsys, option, value, *quick)
    assert line.startswith(f"playground train: error: argument {option}"), line


def test_a_huge_value_is_not_echoed(capsys):
    line = _refused(capsys, "--lr", "9" * 1_000_000)
    assert "--lr" in line and len(line) < 300


def test_save_into_a_folder_or_a_missing_folder_is_refused_before_training(capsys, tmp_path):
    assert "--save" in _refused(capsys, "--save", str(tmp_path))
    assert "--save" in _refused(capsys, "--save", str(tmp_path / "missing" / "s.json"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["x.csv", "x.json"])
def test_data_that_is_a_fifo_is_refused(capsys, tmp_path, name):
    path = tmp_path / name
    os.mkfifo(path)
    line = _refused(capsys, "--data", str(path), "--epochs", "1")
    assert name in line and "is a pipe" in line


@pytest.mark.parametrize("name", ["x.csv", "x.json"])
def test_data_that_is_a_folder_is_refused(capsys, tmp_path, name):
    path = tmp_path / name
    path.mkdir()
    line = _refused(capsys, "--data", str(path), "--epochs", "1")
    assert name in line and "is a folder" in line


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_data_that_is_a_device_is_refused(capsys, tmp_path):
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    assert "is a device" in _refused(capsys, "--data", str(link), "--epochs", "1")


def test_json_is_valid_even_without_test_points(capsys):
    assert main(["train", "--data", "xor", "--points", "40", "--epochs", "3", "--test-ratio", "0", "--json"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out, parse_constant=lambda token: pytest.fail(f"{token} in --json output"))
    assert figures["epochs"] == 3 and figures["test_loss"] is None and figures["train_loss"] > 0


def test_a_trained_session_is_saved_and_opens(capsys, tmp_path):
    path = tmp_path / "s.json"
    assert main(["train", "--data", "circle", "--points", "60", "--epochs", "5", "--save", str(path)]) == 0
    session = load_session(path)
    assert len(session.dataset) == 60 and session.state.epoch == 5
    assert session.history["train"][0].tolist() == [1, 2, 3, 4, 5]
    assert "epochs 5" in capsys.readouterr().out


def test_an_unknown_feature_is_named_in_one_line(capsys):
    line = _refused(capsys, "--features", "x1,x1cube", "--epochs", "1")
    assert "'x1cube'" in line and "x1sq" in line  # names it, and the features there are


def test_the_circle_with_squares_and_no_hidden_layer_is_learned_and_with_x1_x2_it_is_not(capsys, tmp_path):
    path = tmp_path / "circle.json"
    common = ["--data", "circle", "--layers", "", "--lr", "0.1", "--epochs", "300", "--json"]
    assert main(["train", *common, "--features", "x2sq,x1sq", "--save", str(path)]) == 0
    solved = json.loads(capsys.readouterr().out)
    assert main(["train", *common, "--features", "x1,x2"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert solved["test_accuracy"] >= 0.95 and plain["test_accuracy"] < 0.8
    session = load_session(path)
    assert session.config.features == ("x1sq", "x2sq") and session.state.weights[0].shape == (2, 1)


# -- regression ---------------------------------------------------------------------------------------


def test_a_regression_preset_prints_rmse_and_r2_instead_of_accuracy(capsys):
    assert main(["train", "--data", "plane", "--points", "200", "--epochs", "200", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert {"train_rmse", "test_rmse", "test_r2"} <= set(figures) and "test_accuracy" not in figures
    assert figures["test_r2"] > 0.99
    assert main(["train", "--data", "multigauss", "--points", "100", "--epochs", "5"]) == 0
    line = capsys.readouterr().out
    assert "test RMSE" in line and "test R²" in line and "acc" not in line


def test_a_smooth_function_from_a_values_csv_is_fitted_to_r2_of_at_least_0_9(capsys, tmp_path):
    # The check against scikit-learn's MLPRegressor (not a dependency) in its other form: R² >= 0.9.
    rng = np.random.default_rng(0)
    X = rng.uniform(-6, 6, (400, 2))
    values = np.sin(X[:, 0] / 2) * np.cos(X[:, 1] / 3)
    rows = "".join(f"{a!r},{b!r},{v!r}\n" for (a, b), v in zip(X.tolist(), values.tolist()))
    (tmp_path / "values.csv").write_text("x,y,value\n" + rows)
    argv = ["train", "--data", str(tmp_path / "values.csv"), "--layers", "8,8", "--epochs", "300", "--json"]
    assert main(argv) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["test_r2"] >= 0.9 and figures["test_rmse"] < 0.15


# -- headless resume ----------------------------------------------------------------------------------

QUICK = ["--data", "moons", "--points", "80", "--batch-size", "16"]  # mini-batches: the shuffle state matters


def _params(session):
    state = session.state
    arrays = [*state.weights, *state.biases]
    for value in state.optimizer.values():
        arrays.extend(value if isinstance(value, list) else [])
    return arrays


@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_200_epochs_saved_then_100_resumed_equal_300_in_one_go_bit_for_bit(capsys, tmp_path, optimizer):
    first, resumed, whole = tmp_path / "first.json", tmp_path / "resumed.json", tmp_path / "whole.json"
    assert main(["train", *QUICK, "--optimizer", optimizer, "--epochs", "200", "--save", str(first)]) == 0
    assert main(["train", str(first), "--epochs", "100", "--save", str(resumed), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["epochs"] == 300
    assert main(["train", *QUICK, "--optimizer", optimizer, "--epochs", "300", "--save", str(whole)]) == 0
    a, b = load_session(resumed), load_session(whole)
    assert a.state.epoch == b.state.epoch == 300
    assert len(_params(a)) == len(_params(b)) > 6  # weights, biases and the optimizer's slots
    for x, y in zip(_params(a), _params(b)):
        assert np.array_equal(x, y)
    assert a.state.optimizer.get("t") == b.state.optimizer.get("t")
    assert a.state.rng_state == b.state.rng_state
    assert a.history["train"][0].tolist() == list(range(1, 301))  # the saved curve goes on


def test_resume_options_override_the_session_and_say_so(capsys, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert main(["train", *QUICK, "--epochs", "5", "--save", str(first)]) == 0
    capsys.readouterr()
    assert main(["train", str(first), "--lr", "0.01", "--l2", "0.001", "--epochs", "3", "--save", str(second)]) == 0
    err = capsys.readouterr().err
    assert "--lr 0.01 replaces the session's learning rate 0.03" in err
    assert "--l2 0.001 replaces the session's l2 0.0" in err
    saved = load_session(second)
    assert saved.config.learning_rate == 0.01 and saved.config.l2 == 0.001 and saved.state.epoch == 8


def test_without_epochs_a_resume_trains_to_the_sessions_epoch_limit(capsys, tmp_path):
    from playground.files import Session, save_session

    first = tmp_path / "first.json"
    assert main(["train", *QUICK, "--epochs", "5", "--save", str(first)]) == 0
    s = load_session(first)
    save_session(Session(s.dataset, s.config.with_changes(max_epochs=12), s.state, s.history), first)
    capsys.readouterr()
    assert main(["train", str(first), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["epochs"] == 12 and "from epoch 5 for 7 epochs" in out.err


@pytest.mark.parametrize(
    "extra,named",
    [
        (["--layers", "4"], "--layers"),
        (["--features", "x1sq"], "--features"),
        (["--seed", "3"], "--seed"),
        (["--data", "xor"], "--data"),
    ],
)
def test_resume_refuses_options_that_would_change_the_network_or_data(capsys, tmp_path, extra, named):
    first = tmp_path / "first.json"
    assert main(["train", *QUICK, "--epochs", "2", "--save", str(first)]) == 0
    capsys.readouterr()
    assert named in _refused(capsys, str(first), *extra)


def test_data_from_a_session_still_means_its_data_only(capsys, tmp_path):
    first, fresh = tmp_path / "first.json", tmp_path / "fresh.json"
    assert main(["train", *QUICK, "--epochs", "20", "--save", str(first)]) == 0
    assert main(["train", "--data", str(first), "--epochs", "3", "--save", str(fresh)]) == 0
    a, b = load_session(first), load_session(fresh)
    assert b.state.epoch == 3 and np.array_equal(a.dataset.X, b.dataset.X)
    assert b.config.batch_size == 0  # the session's settings were not taken


def test_an_unreadable_session_to_resume_is_one_line(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nn-playground-session", "version": 1}', encoding="utf-8")
    line = _refused(capsys, str(bad))
    assert "bad.json" in line and "dataset" in line


# -- export ----------------------------------------------------------------------------------------------

COMPARE = r"""
import sys
sys.modules["playground"] = None
import numpy as np, model
np.save("out.npy", model.predict(np.load("X.npy")))
"""


def _export_refused(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as info:
        main(["export", *argv])
    assert info.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_export_a_script_and_a_model_from_a_session(capsys, tmp_path):
    import subprocess
    import sys

    from playground.nn import Network
    from playground.training import Trainer

    session_path = tmp_path / "s.json"
    assert main(["train", "--data", "spiral3", "--points", "90", "--epochs", "30", "--save", str(session_path)]) == 0
    assert main(["export", str(session_path), str(tmp_path / "model.py")]) == 0
    assert main(["export", str(session_path), str(tmp_path / "model.npz")]) == 0
    assert main(["export", str(session_path), str(tmp_path / "torch_model.py"), "--torch"]) == 0
    assert "wrote" in capsys.readouterr().out
    session = load_session(session_path)
    X = np.random.default_rng(0).uniform(-6, 6, (40, 2))
    np.save(tmp_path / "X.npy", X)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    run = subprocess.run(
        [sys.executable, "-E", "-c", COMPARE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    got = np.load(tmp_path / "out.npy")
    # The session's network: its saved weights in float64 (exact), and the engine it trained with (float32).
    reference = Network([2, 8, 8, 3], activation="tanh", output="softmax")
    for target, source in zip([*reference.weights, *reference.biases], [*session.state.weights, *session.state.biases]):
        target[...] = source
    np.testing.assert_allclose(got, reference.forward(X), rtol=1e-12, atol=1e-12)
    engine = Trainer(session.dataset, session.config, eval_every=0, state=session.state).net
    np.testing.assert_allclose(got, engine.forward(X.astype(np.float32)), rtol=1e-5, atol=1e-6)
    with np.load(tmp_path / "model.npz", allow_pickle=False) as archive:
        assert json.loads(str(archive["architecture"]))["epoch"] == 30
        assert np.array_equal(archive["weights_2"], session.state.weights[2])
    compile((tmp_path / "torch_model.py").read_text(), "torch_model.py", "exec")


def test_export_refuses_an_unknown_kind_or_an_unreadable_session(capsys, tmp_path):
    session_path = tmp_path / "s.json"
    assert main(["train", "--data", "xor", "--points", "40", "--epochs", "2", "--save", str(session_path)]) == 0
    capsys.readouterr()
    assert "name it .py" in _export_refused(capsys, str(session_path), str(tmp_path / "model.txt"))
    assert "--torch" in _export_refused(capsys, str(session_path), str(tmp_path / "m.npz"), "--torch")
    assert "--width" in _export_refused(capsys, str(session_path), str(tmp_path / "m.py"), "--width", "300")
    assert "--width" in _export_refused(capsys, str(session_path), str(tmp_path / "m.png"), "--width", "20")
    assert "missing.json" in _export_refused(capsys, str(tmp_path / "missing.json"), str(tmp_path / "m.py"))
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert "not valid JSON" in _export_refused(capsys, str(tmp_path / "broken.json"), str(tmp_path / "m.py"))
    assert not (tmp_path / "m.py").exists()


@pytest.mark.slow
def test_export_pictures_from_a_session(capsys, tmp_path):
    session_path = tmp_path / "s.json"
    assert main(["train", "--data", "circle", "--points", "60", "--epochs", "5", "--save", str(session_path)]) == 0
    assert main(["export", str(session_path), str(tmp_path / "pic.png"), "--width", "400"]) == 0
    for name in ("pic.png", "pic-loss.png"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG") and int.from_bytes(data[16:20], "big") == 400  # IHDR width


# -- settings at start ----------------------------------------------------------------------------------


def test_settings_text_at_start_is_checked_then_handed_to_the_window(capsys, monkeypatch):
    import playground.ui.app

    started = {}
    monkeypatch.setattr(
        playground.ui.app, "run", lambda path, quit_after=None, settings=None: started.update(settings=settings) or 0
    )
    assert main(["--settings", "pg1,preset=spiral:300:0.1,hidden=4-4,lr=0.01"]) == 0
    assert started["settings"].config.hidden == (4, 4) and started["settings"].preset.name == "spiral"
    with pytest.raises(SystemExit) as info:
        main(["--settings", "pg1,lr=fast"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "argument --settings" in err and "'lr=fast'" in err


THREADS_PROBE = """
import os, sys
from playground.cli import main
assert "numpy" not in sys.modules  # the variables must be set before NumPy loads
code = main(["train", "--data", "xor", "--points", "40", "--epochs", "2", "--json"])
print(len(os.listdir("/proc/self/task")), os.environ.get("OPENBLAS_NUM_THREADS"), file=sys.stderr)
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc")
def test_train_gives_blas_the_trainings_threads_unless_the_user_chose(tmp_path):
    """``playground train`` limits BLAS's spinning threads as the window's training process does (on 2 cores:
    one, no helper threads); a thread count the user set stays."""
    import subprocess
    import sys

    from playground.blas import BLAS_THREAD_VARIABLES, blas_threads

    def threads(**chosen):
        env = {k: v for k, v in os.environ.items() if k not in BLAS_THREAD_VARIABLES and not k.startswith("PYTHON")}
        env.update(chosen)
        run = subprocess.run(
            [sys.executable, "-c", THREADS_PROBE], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert run.returncode == 0, run.stderr
        count, variable = run.stderr.strip().splitlines()[-1].split()
        return int(count), variable

    assert threads() == (blas_threads(), str(blas_threads()))
    assert threads(OPENBLAS_NUM_THREADS="2") == (2, "2")


@pytest.mark.slow
def test_a_missing_file_still_opens_the_window_which_says_so(tmp_path):
    """Started from a desktop entry there is no terminal: refusing with a message on stderr looked like nothing
    happened. The window opens (empty) and names the problem; the terminal is told too."""
    import subprocess
    import sys

    missing = tmp_path / "missing.csv"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PLAYGROUND_HOME=str(tmp_path / "home"))
    run = subprocess.run(
        [sys.executable, "-m", "playground", str(missing), "--quit-after", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert f"{missing}: no such file" in run.stderr
    assert "Could not open the dataset" in run.stderr and "Nothing was changed" in run.stderr
