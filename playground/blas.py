"""How many threads NumPy's BLAS may use, decided before NumPy loads (it reads the variables once).

The BLAS library's default, one thread per core that spins between calls, takes the core the window paints
on and at playground sizes buys nothing: on 2 cores one thread trained 2-128-128-3 on 5,000 points 2.4 to 3.7
times faster than two (``playground train``). No NumPy here, so the entry points can call it first.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def blas_threads() -> int:
    """Threads for training's BLAS: all cores but two (the window's and training's own), at least 1."""
    return max(1, (os.cpu_count() or 1) - 2)


def limit_blas_threads(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set the BLAS thread variables to ``blas_threads()`` where the user has not set them."""
    for name in BLAS_THREAD_VARIABLES:
        environ.setdefault(name, str(blas_threads()))
