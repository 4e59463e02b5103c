import os

# Headless unless a real display is given; must happen before any QApplication exists.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import functools  # noqa: E402
import sys  # noqa: E402
import weakref  # noqa: E402

import pytest  # noqa: E402

# --- QThread tracking -------------------------------------------------------------------------------
# `threading.active_count()` does not see a QThread, so leak checks built on it cannot fail. Instead,
# every `QThread.start` called from Python during the session is recorded here (weakly: tracking must
# not keep a thread object alive or change when Qt deletes it), and `running_qthreads()` reports the
# recorded threads that are still running.

_started_qthreads: list[weakref.ref] = []


def _install_qthread_tracker() -> None:
    try:
        from PySide6.QtCore import QThread
    except ImportError:  # the pure tests still run without Qt
        return
    original = QThread.start
    if getattr(original, "_playground_tracked", False):
        return

    @functools.wraps(original)
    def start(self, *args, **kwargs):
        _started_qthreads.append(weakref.ref(self))
        return original(self, *args, **kwargs)

    start._playground_tracked = True  # type: ignore[attr-defined]
    QThread.start = start


def running_qthreads(since: int = 0) -> list:
    """The QThreads started (via ``QThread.start``) at or after record number ``since`` and still running.

    A thread whose Python wrapper is gone or whose C++ object Qt has deleted is not running (a QThread
    deleted while running aborts the process, so it cannot be missed silently)."""
    try:
        import shiboken6
    except ImportError:
        return []
    running = []
    for ref in _started_qthreads[since:]:
        thread = ref()
        if thread is None or not shiboken6.isValid(thread) or any(t is thread for t in running):
            continue
        if thread.isRunning():
            running.append(thread)
    return running


def pytest_configure(config):
    _install_qthread_tracker()
    # Every window starts a training process from the forkserver, which imports NumPy and the engine once
    # (a few tenths of a second): start it now, so that it does so while pytest collects, as the app does
    # while Qt loads. Windows (not pytest) still start their own processes, exactly as in the app.
    from playground.training.launch import warm_up

    warm_up()


@pytest.fixture
def qthreads():
    """``qthreads()`` lists the QThreads started during this test that are still running.

    Leak check: ``qtbot.waitUntil(lambda: qthreads() == [], timeout=5000)`` after closing the window."""
    since = len(_started_qthreads)
    return functools.partial(running_qthreads, since)


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """Every test gets its own app home: autosave, settings and recent files never touch the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PLAYGROUND_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _gui_thread_gc_and_no_quit_dialog(request, monkeypatch):
    """For tests with a QApplication, as in the app: Python's cyclic collector runs on the GUI thread only
    (``playground.ui.gui_gc``), and the question asked on quit when a session cannot be saved is answered
    "quit anyway" instead of blocking on a real dialog (tests that mean to answer it set
    ``window.sessions.ask_on_quit``)."""
    if "qapp" not in request.fixturenames:
        return
    request.getfixturevalue("qapp")
    from playground.ui.gui_gc import collect_on_gui_thread

    collect_on_gui_thread()
    monkeypatch.setattr(sys.modules["playground.ui.session_controller"], "ask_where_to_save", lambda message: None)
