"""The test tooling itself: the QThread leak check can fail, and CI runs the README's test command."""

import re
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_qthread_tracker_reports_a_leaked_thread_until_it_stops(qapp, qthreads):
    from PySide6.QtCore import QThread

    stop = threading.Event()

    class Spinner(QThread):
        def run(self):
            while not stop.wait(0.005):
                pass

    assert qthreads() == []
    thread = Spinner()
    thread.start()  # deliberately leaked: no stop, no wait
    try:
        assert qthreads() == [thread]
    finally:
        stop.set()
        assert thread.wait(5000)
    assert qthreads() == []


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = "python -m pip install -q -e '.[test]' && python -m pytest -q"
    assert command in readme
    assert re.search(rf"^{re.escape(command)}( |$)", ci, re.MULTILINE)
    cycles = re.search(r"^export PLAYGROUND_STRESS_CYCLES=(\d+)", ci, re.MULTILINE)
    assert cycles and int(cycles.group(1)) > 50  # CI stresses harder than the edit loop
    assert "rm -rf .venv" not in ci


@pytest.mark.parametrize("tool", ["mypy", "import-linter"])
def test_ci_tools_are_in_the_test_extra(tool):
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    extra = re.search(r"^test = \[(.*)\]$", pyproject, re.MULTILINE)
    assert extra and f'"{tool}' in extra.group(1)
