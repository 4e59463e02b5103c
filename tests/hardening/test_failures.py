"""Failures the app can meet: each shows a message and keeps the in-memory session."""

import errno
import os

import pytest

from playground.data import make_preset, save_csv
from playground.files import atomic as csvfile
from playground.files import load_session
from playground.ui import MainWindow

pytestmark = pytest.mark.slow


@pytest.fixture
def window(qtbot):
    w = MainWindow(make_preset("moons", 100, 0.1))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.presenter.latest is not None, timeout=5000)
    yield w
    w.shutdown()


def test_full_disk_on_save_keeps_the_old_file_and_the_session(window, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    window.save_session_to(path)
    qtbot.waitUntil(path.exists, timeout=5000)
    old = path.read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(csvfile.os, "fsync", full)
    window.controls.learning_rate.setValue(0.3)
    window.save_session_to(path)
    qtbot.waitUntil(lambda: "No space left on device" in window.notices.problem_text, timeout=5000)
    assert path.read_bytes() == old and load_session(path).config.learning_rate == 0.03
    assert window.config.learning_rate == 0.3 and len(window.dataset) == 100
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]  # no temporary file left behind
    save_dataset_ok = window.files.save_dataset(tmp_path / "d.csv")
    assert not save_dataset_ok and "No space left" in window.notices.problem_text


def test_a_file_deleted_between_listing_and_opening(window, tmp_path):
    path = tmp_path / "gone.csv"
    save_csv(make_preset("xor", 30), path)
    window.sessions.add_recent(path)
    window.files.rebuild_recent_menu()
    path.unlink()
    before = window.dataset
    action = window.files.recent_menu.actions()[0]
    action.trigger()
    assert window.dataset == before
    assert "gone.csv" in window.notices.problem_text and "Nothing was changed" in window.notices.problem_text
    session = tmp_path / "gone.json"
    session.write_text("{}")
    session.unlink()
    assert not window.open_path(session)
    assert "cannot read" in window.notices.problem_text
