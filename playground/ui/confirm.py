"""Asking before New seed throws a run away.

New seed resets the network with the next seed: the run's weights are gone (its record stays in Runs: the
loss curve, the figures, the settings). A click meant for Step or Reset beside it should not cost a long
run, so once the run has trained the window asks first, in a window-modal box the keyboard answers (Enter:
new seed, Esc: keep the run). "Don't ask again" holds until the window closes; an untrained run is replaced
without a question.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QMessageBox

BOX_NAME = "confirmNewSeed"


class NewSeedQuestion(QMessageBox):
    """The window's one question (made on the first ask, kept hidden between asks)."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName(BOX_NAME)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle("New seed")
        self.setText("Start a new run with the next seed?")
        self.new_seed = self.addButton("New seed", QMessageBox.ButtonRole.AcceptRole)
        self.keep = self.addButton("Keep this run", QMessageBox.ButtonRole.RejectRole)
        self.setEscapeButton(self.keep)
        # Kept here: PySide does not hand a check box to the box, so a temporary one is freed under it.
        self.dont_ask = QCheckBox("Don't ask again until the window closes")
        self.setCheckBox(self.dont_ask)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.go: Callable[[], None] | None = None
        self.buttonClicked.connect(self._answered)

    def ask(self, epoch: int, go: Callable[[], None]) -> None:
        self.setInformativeText(
            f"The run so far (epoch {epoch:,}) will be replaced: new weights and a new train/test split. "
            "Its loss curve and figures stay in the Runs panel; its weights do not."
        )
        self.go = go
        self.setDefaultButton(self.new_seed)
        self.open()

    def _answered(self, button) -> None:
        go, self.go = self.go, None
        if button is self.new_seed and go is not None:
            go()


def confirm_new_seed(window, go: Callable[[], None]) -> None:
    """Run ``go`` (the new seed) at once if the run has not trained or the user said not to ask again; else
    ask first, and run it on "New seed". One question at a time: a second click while it is open waits."""
    question = window.findChild(NewSeedQuestion, BOX_NAME)
    if window.epoch == 0 or (question is not None and question.dont_ask.isChecked()):
        go()
    elif question is None:
        NewSeedQuestion(window).ask(window.epoch, go)
    elif not question.isVisible():
        question.ask(window.epoch, go)
