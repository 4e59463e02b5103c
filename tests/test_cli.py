"""`playground train`: every bad value exits 2 with one line naming the option; --json is always JSON."""

import json
import os

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
