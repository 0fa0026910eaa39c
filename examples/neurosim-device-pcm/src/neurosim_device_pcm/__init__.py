"""neurosim device plugin ``pcm``: a Ge2Sb2Te5 phase-change synaptic cell."""

from .device import PCMDevice, PCMParams

__all__ = ["PCMDevice", "PCMParams"]
