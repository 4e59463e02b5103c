"""Answering the window's questions, for the tests of every folder (``tests/ui``, ``tests/hardening``).

pytest imports these test folders in its default "prepend" mode and none is a package: the folder of each
conftest.py and test file goes on ``sys.path``, so this one (``tests/``, beside the root conftest.py) does for
every test run, and a test anywhere imports this module as ``from window_questions import press_reset``."""

from PySide6.QtWidgets import QMessageBox


def press_reset(window) -> None:
    """Reset as a user does: the Reset button, then "Reset" when the window asks (it does once the run has
    trained, as its weights would be lost)."""
    window.buttons.reset.click()
    for box in window.findChildren(QMessageBox, "confirmReset"):
        if box.isVisible():
            box.defaultButton().click()
