"""Training in a process of its own: the child's side of the pipe. No Qt.

The window's process and this one share nothing but a ``multiprocessing`` pipe. Messages to the child are
the typed commands of ``training.commands`` plus ``Drawn(seq)`` (the window has drawn a frame) and
``Stop()``; messages back are ``(kind, payload)`` pairs: ``("frame", Frame)``, ``("state", SavedState)``,
``("failed", message)`` and, last of all, ``("final", Final)``.

A reader thread moves commands from the pipe into the loop's queue as they arrive, so the window never
blocks on a full pipe while an epoch is running, and a ``Stop`` interrupts a long epoch at once. If the
window's process dies, the pipe closes and the child stops by itself.
"""

from __future__ import annotations

import signal
import threading
import traceback
from dataclasses import dataclass

from ..data import Dataset
from .commands import RequestState, Stop
from .config import TrainConfig
from .live import SavedState
from .loop import TrainingLoop
from .trainer import TrainState


@dataclass(frozen=True)
class Drawn:
    """The window has drawn frame ``seq``: the loop may send the next one."""

    seq: int


@dataclass(frozen=True)
class Final:
    """The child's last message: its final state, the saves it never answered, the errors it survived."""

    saved: SavedState
    pending: tuple[RequestState, ...]
    errors: int


def serve(conn, dataset: Dataset, config: TrainConfig, bounds, state: TrainState | None = None) -> None:
    """The child process's main function: run the training loop until ``Stop`` or until the window is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C in a terminal is the window's to handle

    def out(kind: str, payload) -> None:
        try:
            conn.send((kind, payload))
        except OSError:  # the window's process is gone: nobody to train for
            loop.stop()

    loop = TrainingLoop(dataset, config, bounds, out, state)
    reader = threading.Thread(target=_read, args=(conn, loop), name="playground-commands", daemon=True)
    reader.start()
    try:
        loop.run()
    finally:
        try:
            final = Final(loop.live.saved_state("final"), tuple(loop.pending_requests()), loop.errors)
            conn.send(("final", final))
        except OSError:
            pass
        except Exception:  # the final state could not be built: the window keeps its last autosave
            traceback.print_exc()
        conn.close()


def _read(conn, loop: TrainingLoop) -> None:
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the window's process is gone
            loop.stop()
            return
        except Exception:  # a message that would not unpickle: a bug, reported, never fatal
            traceback.print_exc()
            continue
        if isinstance(message, Drawn):
            loop.acknowledge(message.seq)
        elif isinstance(message, Stop):
            loop.stop()
            return
        else:
            loop.send(message)
