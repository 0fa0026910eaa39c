"""neurosim device plugin ``rram``: the RRAM synaptic cell of NeuroSim V1.4."""

from .device import RRAMDevice, RRAMParams

__all__ = ["RRAMDevice", "RRAMParams"]
