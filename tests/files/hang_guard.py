"""Read a file in a thread so that a hang (a FIFO nobody writes to) fails the test instead of blocking the suite."""

import os
import threading


def read_in_thread(path, read, timeout: float = 5.0) -> dict:
    """Run ``read(path)`` in a thread: ``{"value": ...}`` or ``{"error": exc}``; asserts it did not hang."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = read(path)
        except Exception as exc:  # noqa: BLE001 - reported to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    hung = thread.is_alive()
    if hung and path.is_fifo():  # let the stuck reader go: open the other end and close it
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(timeout)
    assert not hung, f"reading {path.name} hung"
    return outcome
