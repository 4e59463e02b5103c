import os

# Headless unless a real display is given; must happen before any QApplication exists.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """Every test gets its own app home: autosave, settings and recent files never touch the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PLAYGROUND_HOME", str(home))
    return home
