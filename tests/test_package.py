import json
import os
import subprocess
import sys

import pytest

PURE = ["playground", "playground.nn", "playground.data", "playground.training", "playground.cli"]


def test_pure_packages_import_no_qt():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in PURE)
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
        + "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _run(*args, env_extra=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "playground", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_no_display_gives_one_clear_line():
    out = _run(drop=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0
    assert "no display available" in out.stderr


def test_version_and_help():
    out = _run("--version")
    assert out.returncode == 0 and out.stdout.startswith("playground ")
    assert _run("train", "--help").returncode == 0


def test_headless_train_json():
    out = _run("train", "--data", "xor", "--epochs", "300", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["epochs"] == 300 and result["test_accuracy"] >= 0.95


@pytest.mark.parametrize(
    "args,match",
    [(["--layers", "8,,x"], "layer 2"), (["--data", "nope"], "neither a preset"), (["--lr", "abc"], "lr")],
)
def test_headless_train_bad_options_exit_2_with_one_line(args, match):
    out = _run("train", *args)
    assert out.returncode == 2
    assert match in out.stderr and out.stderr.strip().count("\n") == 0
