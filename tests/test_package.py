import json
import os
import subprocess
import sys

import pytest

PURE_PACKAGES = ["playground.nn", "playground.data", "playground.training", "playground.files"]
QT = ("PySide6", "pyqtgraph", "shiboken6")

# Imports the entry points and every module of the pure packages, then lists what came in from Qt.
NO_QT_PROBE = f"""
import importlib, json, pkgutil, sys
import playground, playground.cli
imported = []
for name in {PURE_PACKAGES!r}:
    package = importlib.import_module(name)
    imported.append(name)
    for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in {QT!r})
print(json.dumps({{"imported": imported, "qt": qt}}))
"""


def test_every_module_of_the_pure_packages_imports_without_qt():
    out = subprocess.run([sys.executable, "-c", NO_QT_PROBE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["qt"] == []
    for package in PURE_PACKAGES:  # the walk found the modules, not only the package __init__
        assert sum(m.startswith(package + ".") for m in result["imported"]) >= 2, (package, result["imported"])


def _run(*args, env_extra=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "playground", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.slow
def test_no_display_gives_one_clear_line():
    out = _run(drop=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0
    assert "no display available" in out.stderr


@pytest.mark.slow
def test_version_and_help():
    out = _run("--version")
    assert out.returncode == 0 and out.stdout.startswith("playground ")
    assert _run("train", "--help").returncode == 0


@pytest.mark.slow
def test_headless_train_json():
    out = _run("train", "--data", "xor", "--epochs", "300", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["epochs"] == 300 and result["test_accuracy"] >= 0.95


@pytest.mark.slow
@pytest.mark.parametrize(
    "args,match",
    [(["--layers", "8,,x"], "layer 2"), (["--data", "nope"], "neither a preset"), (["--lr", "abc"], "lr")],
)
def test_headless_train_bad_options_exit_2_with_one_line(args, match):
    out = _run("train", *args)
    assert out.returncode == 2
    assert match in out.stderr and out.stderr.strip().count("\n") == 0
