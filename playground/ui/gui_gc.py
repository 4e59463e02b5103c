"""Python's cyclic garbage collector on the GUI thread only.

Left alone, the collector runs on whichever thread happens to allocate when a generation fills up: often
the training thread. If the garbage holds PySide or pyqtgraph objects (a closed window in a reference
cycle), their C++ destructors then run on that thread, take Qt's object mutex and wait for the GIL, while
the GUI thread holds the GIL and waits for that mutex: a deadlock. pyqtgraph's ``GarbageCollector``
disables automatic collection and collects from a QTimer on the GUI thread instead; this module installs
one for the whole process, once.
"""

from __future__ import annotations

import gc

COLLECT_INTERVAL_S = 0.5

_collector = None


def collect_on_gui_thread():
    """Install the GUI-thread collector (idempotent; call on the GUI thread with a QApplication)."""
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _collector = GarbageCollector(interval=COLLECT_INTERVAL_S)
    elif gc.isenabled():  # someone turned automatic collection back on
        gc.disable()
    return _collector
