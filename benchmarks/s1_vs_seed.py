#!/usr/bin/env python3
"""S1 against the seed article's network, for the engine the app trains with (``FusedNetwork``).

``../shared/bench/compare_engine.py`` times ``playground.nn.Network``, which is now the readable reference
definition (plain row-major backprop, no caches: about 1.3x the seed). The trainer uses ``FusedNetwork``,
checked equal to the reference by tests/nn/test_fused.py. This runs that same shared script unchanged,
with its ``Network`` name bound to ``FusedNetwork``, so both figures come from one method.

Run from the project root:  python benchmarks/s1_vs_seed.py [path/to/compare_engine.py]
"""

import importlib.util
import sys
from pathlib import Path

from playground.nn import FusedNetwork

script = Path(
    sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/bench/compare_engine.py"
)
if not script.exists():
    sys.exit(f"s1_vs_seed: {script} not found (pass the path to compare_engine.py)")
spec = importlib.util.spec_from_file_location("compare_engine", script)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module.Network = FusedNetwork
print("engine: FusedNetwork (what the trainer uses)")
module.main()
