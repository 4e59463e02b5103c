"""A neural-network playground: draw data, build a network, watch it learn."""

__version__ = "0.1.0"
