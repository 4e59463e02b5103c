"""The real app, driven like a user: a point drawn with the mouse every 0.2 s (and, by mode, training or
saving every second). Prints ``training-pid <pid>`` first, then ``<monotonic time> <points>`` after each
point, for the kill loop to compare with the autosave it finds after SIGKILL.
Usage: kill_driver.py MODE SAVE_PATH (home from PLAYGROUND_HOME)."""

import sys
import time

from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from playground.ui.app import start

n = [0]
window = None


def draw() -> None:
    canvas = window.canvas
    x, y = -3.0 + (n[0] % 30) * 0.2, -2.0 + (n[0] // 30) * 0.2
    pos = canvas.mapFromScene(canvas.view_box.mapViewToScene(QPointF(x, y)))
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos, 500)
    n[0] += 1
    print(f"{time.monotonic():.3f} {len(window.dataset)}", flush=True)


def main() -> None:
    # Training runs in a child process: a script that opens the window keeps this guard, or
    # multiprocessing would run it again while starting the child (see DESIGN.md).
    global window
    mode, save_path = sys.argv[1], sys.argv[2]
    window = start()
    print(f"training-pid {window.thread.pid}", flush=True)  # the training process, which must die with us
    timer = QTimer()
    timer.timeout.connect(draw)
    timer.start(200)
    if mode == "train":
        window.start_training()
    if mode == "save":
        saver = QTimer()
        saver.timeout.connect(lambda: window.save_session_to(save_path))
        saver.start(1000)
    sys.exit(QApplication.instance().exec())


if __name__ == "__main__":
    main()
