"""How training processes start: from a ``forkserver`` that has already imported NumPy and the engine (a new
run starts in tens of milliseconds, and no child inherits the window's Qt threads); where there is none,
``spawn``. No Qt here: ``warm_up`` runs before the window's imports, so the server's own start-up (NumPy
and the engine, a few tenths of a second) overlaps theirs instead of delaying the first window.
"""

from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing
import os
import sys
import types

from ..blas import BLAS_THREAD_VARIABLES, blas_threads

_context: multiprocessing.context.BaseContext | None = None


def process_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context training processes start from (created once)."""
    global _context
    if _context is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            server = multiprocessing.get_context("forkserver")
            # numpy.random is imported lazily by NumPy, at a run's first seeded generator: in the server, once.
            server.set_forkserver_preload(["playground.training.process", "numpy.random"])
            _context = server
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


@contextlib.contextmanager
def main_module_left_alone():
    """``multiprocessing`` runs the parent's main *script* again in every child (as ``__mp_main__``), so a
    script that opens the window without an ``if __name__ == "__main__"`` guard would open another one in
    the training process. The child needs nothing from it: while one starts, present an empty module of
    the engine's (``training.child_main``) as the main module, which the child imports instead."""
    main = sys.modules.get("__main__")
    saved_env = {name: os.environ.get(name) for name in BLAS_THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(BLAS_THREAD_VARIABLES, str(blas_threads())))
    stand_in = types.ModuleType("__main__")
    stand_in.__spec__ = importlib.util.find_spec("playground.training.child_main")
    sys.modules["__main__"] = stand_in
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def warm_up() -> None:
    """Start the forkserver now (it imports the engine in the background); the first child is then quick."""
    ctx = process_context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        with main_module_left_alone():
            forkserver.ensure_running()
