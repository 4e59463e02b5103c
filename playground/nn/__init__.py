"""The from-scratch engine: pure NumPy, no Qt.

``Network`` (network.py) is the readable reference; ``FusedNetwork`` (fused.py) is the fast training
kernel, checked against it by the tests; ``StackedNetwork`` (stacked.py) trains K networks of one shape
at once (sweeps, the loss landscape)."""

from .activations import ACTIVATIONS, get_activation
from .fused import FusedNetwork
from .gradcheck import check_gradients, numerical_gradients
from .init import INITIALISERS
from .network import Network
from .optimizers import OPTIMIZERS, make_optimizer
from .outputs import OUTPUTS
from .regularization import add_regularization_gradients, regularization_penalty
from .stacked import StackedNetwork, StackedOptimizer
from .trace import StepTrace, trace_step

__all__ = [
    "ACTIVATIONS",
    "INITIALISERS",
    "OPTIMIZERS",
    "OUTPUTS",
    "FusedNetwork",
    "Network",
    "StackedNetwork",
    "StackedOptimizer",
    "StepTrace",
    "add_regularization_gradients",
    "check_gradients",
    "get_activation",
    "make_optimizer",
    "numerical_gradients",
    "regularization_penalty",
    "trace_step",
]
