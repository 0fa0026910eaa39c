"""neurosim device plugin ``fefet``: the FeFET synaptic cell of NeuroSim V1.4."""

from .device import FeFETDevice, FeFETParams

__all__ = ["FeFETDevice", "FeFETParams"]
