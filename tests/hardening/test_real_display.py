"""The real app on a real X server (Xvfb) through the xcb platform, not offscreen."""

import os
import shutil
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow

TITLE = "Neural-network playground"
needed = ["Xvfb", "xwininfo", "import", "convert"]
missing = [tool for tool in needed if shutil.which(tool) is None]


@pytest.mark.skipif(
    bool(missing) and not os.environ.get("CI"), reason=f"needs {', '.join(missing)} (.ci/run installs them)"
)
def test_window_appears_on_xvfb_and_closes_cleanly(tmp_path):
    assert not missing, f"CI must install {missing}"
    display = f":{90 + os.getpid() % 500}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app = None
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
        env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", PLAYGROUND_HOME=str(tmp_path / "home"))
        deadline = time.monotonic() + 20
        while not os.path.exists(f"/tmp/.X11-unix/X{display[1:]}") and time.monotonic() < deadline:
            time.sleep(0.1)
        app = subprocess.Popen(
            [sys.executable, "-m", "playground", "--quit-after", "8"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        found = False
        while time.monotonic() < deadline and app.poll() is None:
            out = subprocess.run(["xwininfo", "-display", display, "-name", TITLE], capture_output=True, text=True)
            if out.returncode == 0 and "Map State: IsViewable" in out.stdout:
                found = True
                break
            time.sleep(0.2)
        assert found, "the window never appeared"
        time.sleep(1.5)  # let it draw
        shot = tmp_path / "screen.png"
        subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True, timeout=30)
        # Not blank: many distinct colours (a blank screen has one).
        colours = subprocess.run(
            ["convert", str(shot), "-format", "%k", "info:"], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert int(colours) > 50, f"the screenshot has only {colours} colours"
        out, err = app.communicate(timeout=30)
        assert app.returncode == 0, err.decode()
        assert b"Destroyed while thread" not in err and b"Fatal" not in err
        assert (tmp_path / "home" / "autosave.json").exists()  # closing saved the session
    finally:
        if app is not None and app.returncode is None:  # a failed check: end the app, close its pipes
            app.kill()
            app.communicate(timeout=10)
        xvfb.terminate()
        xvfb.wait(10)
