"""A script that builds the window and returns without closing it: Python's exit must be quiet. (The panels
hid as the window was torn down and their handlers drew on deleted items; the training relay's QThread was
destroyed while running, which aborts the process.)"""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    from PySide6.QtWidgets import QApplication
    from playground.ui import MainWindow

    app = QApplication([])
    w = MainWindow()
    w.show()
    app.processEvents()
    print("built", flush=True)
    """
)


def test_leaving_python_without_closing_the_window_is_quiet(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PLAYGROUND_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "built", done.stderr
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
