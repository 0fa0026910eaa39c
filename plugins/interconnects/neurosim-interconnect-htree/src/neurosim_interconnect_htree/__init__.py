"""neurosim interconnect plugin ``htree``: NeuroSim V1.4's H-tree between tiles."""

from .htree import HTree

__all__ = ["HTree"]
