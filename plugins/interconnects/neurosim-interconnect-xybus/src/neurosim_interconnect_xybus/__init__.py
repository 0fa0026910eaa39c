"""neurosim interconnect plugin ``xybus``: NeuroSim V1.4's X-Y bus between tiles."""

from .xybus import XYBus

__all__ = ["XYBus"]
