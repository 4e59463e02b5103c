"""Asking before Reset or New seed throws a run away.

Reset gives the network fresh weights from the same seed; New seed resets it with the next seed (and a new
train/test split). Either way the run's weights are gone (its record stays in Runs: the loss curve, the
figures, the settings). A click meant for Step beside them should not cost a long run, so once the run has
trained the window asks first, in a window-modal box the keyboard answers (Enter: go ahead, Esc: keep the
run). "Don't ask again" holds, for that question, until the window closes; an untrained run is replaced
without a question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QMessageBox

KEPT = "Its loss curve and figures stay in the Runs panel; its weights do not."


@dataclass(frozen=True)
class Question:
    name: str  # the box's objectName
    title: str
    text: str
    go: str  # the button that goes ahead
    replaced: str  # what happens to the run, after "The run so far (epoch N) will be replaced"


QUESTIONS = {
    "new_seed": Question(
        "confirmNewSeed",
        "New seed",
        "Start a new run with the next seed?",
        "New seed",
        "new weights and a new train/test split.",
    ),
    "reset": Question(
        "confirmReset",
        "Reset",
        "Reset the network's weights?",
        "Reset",
        "the weights go back to where this seed starts them (the train/test split stays).",
    ),
}


class RunQuestion(QMessageBox):
    """One of the window's questions (made on the first ask, kept hidden between asks)."""

    def __init__(self, window, question: Question):
        super().__init__(window)
        self.setObjectName(question.name)
        self.question = question
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(question.title)
        self.setText(question.text)
        self.go_button = self.addButton(question.go, QMessageBox.ButtonRole.AcceptRole)
        self.keep = self.addButton("Keep this run", QMessageBox.ButtonRole.RejectRole)
        self.setEscapeButton(self.keep)
        # Kept here: PySide does not hand a check box to the box, so a temporary one is freed under it.
        self.dont_ask = QCheckBox("Don't ask again until the window closes")
        self.setCheckBox(self.dont_ask)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.go: Callable[[], None] | None = None
        self.buttonClicked.connect(self._answered)

    def ask(self, epoch: int, go: Callable[[], None]) -> None:
        self.setInformativeText(f"The run so far (epoch {epoch:,}) will be replaced: {self.question.replaced} {KEPT}")
        self.go = go
        self.setDefaultButton(self.go_button)
        self.open()

    def _answered(self, button) -> None:
        go, self.go = self.go, None
        # The keys go back to the window at once (a hidden box could stay the active window, where Ctrl+Z
        # and the other window shortcuts would not reach).
        self.parentWidget().activateWindow()
        if button is self.go_button and go is not None:
            go()


def confirm(window, kind: str, go: Callable[[], None]) -> None:
    """Run ``go`` (a Reset or a New seed: ``kind`` is a key of ``QUESTIONS``) at once if the run has not
    trained or the user said not to ask this again; else ask first, and run it on the go-ahead. One question
    at a time: a second click while it is open waits."""
    question = QUESTIONS[kind]
    box = window.findChild(RunQuestion, question.name)
    if window.epoch == 0 or (box is not None and box.dont_ask.isChecked()):
        go()
    elif box is None:
        RunQuestion(window, question).ask(window.epoch, go)
    elif not box.isVisible():
        box.ask(window.epoch, go)
