"""Asking before an action throws a trained run away: Reset, New seed, File → New session, opening a session.

Reset gives the network fresh weights from the same seed; New seed resets it with the next seed (and a new
train/test split); a new session starts on an empty canvas. Each time the run's weights are gone (its record
stays in Runs: the loss curve, the figures, the settings). Opening a session replaces the weights and the
Runs panel too, and nothing keeps them (the autosave is soon the opened session's). A click meant for Step
beside Reset should not cost a long run, so once the run has trained the window asks first, in a
window-modal box the keyboard answers (Enter: go ahead, Esc: keep the run). "Don't ask again", ticked when
going ahead, holds for that question until the window closes; ticked when keeping the run, it is taken
back. An untrained run is replaced without a question.

"Trained" means the run's present: while the timeline shows an earlier moment (even epoch 0), the run
still reaches its latest epoch, and that is what would be lost.
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
    kept: str = KEPT  # what remains of it


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
    "new_session": Question(
        "confirmNewSession",
        "New session",
        "Start a new session on an empty canvas?",
        "New session",
        "no points and new weights (Undo brings the points back).",
    ),
    "open_session": Question(
        "confirmOpenSession",
        "Open session",
        "Open the session?",
        "Open",
        "the session's points, settings, weights and runs take its place.",
        "Nothing keeps this run's weights or the Runs panel: save the session first to keep them.",
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
        self.go_button = self.addButton(question.go, QMessageBox.ButtonRole.AcceptRole)
        self.keep = self.addButton("Keep this run", QMessageBox.ButtonRole.RejectRole)
        self.setEscapeButton(self.keep)
        # Kept here: PySide does not hand a check box to the box, so a temporary one is freed under it.
        self.dont_ask = QCheckBox("Don't ask again until the window closes")
        self.setCheckBox(self.dont_ask)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.go: Callable[[], None] | None = None
        self.buttonClicked.connect(self._answered)

    def ask(self, epoch: int, go: Callable[[], None], text: str = "") -> None:
        q = self.question
        self.setText(text or q.text)
        self.setInformativeText(f"The run so far (epoch {epoch:,}) will be replaced: {q.replaced} {q.kept}")
        self.go = go
        self.setDefaultButton(self.go_button)
        self.open()

    def _answered(self, button) -> None:
        go, self.go = self.go, None
        # The keys go back to the window at once (a hidden box could stay the active window, where Ctrl+Z
        # and the other window shortcuts would not reach).
        self.parentWidget().activateWindow()
        if button is not self.go_button:
            self.dont_ask.setChecked(False)  # "don't ask again" is a promise to go ahead, never to keep
        elif go is not None:
            go()


def present_epoch(window) -> int:
    """The epoch the run has reached (the window may be showing an earlier moment): the newest frame's word."""
    return window.presenter.present_epoch


def confirm(window, kind: str, go: Callable[[], None], text: str = "") -> None:
    """Run ``go`` (``kind`` is a key of ``QUESTIONS``) at once if the run has not trained or the user said not
    to ask this again; else ask first (``text`` instead of the question's own, e.g. naming a file), and run
    it on the go-ahead. One question at a time: a second click while it is open waits."""
    question = QUESTIONS[kind]
    box = window.findChild(RunQuestion, question.name)
    epoch = present_epoch(window)
    if epoch == 0 or (box is not None and box.dont_ask.isChecked()):
        go()
    elif box is None:
        RunQuestion(window, question).ask(epoch, go, text)
    elif not box.isVisible():
        box.ask(epoch, go, text)
