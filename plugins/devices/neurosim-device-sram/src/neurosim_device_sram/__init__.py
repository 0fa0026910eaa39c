"""neurosim device plugin ``sram``: the SRAM bit cell of NeuroSim V1.4."""

from .device import SRAMDevice, SRAMParams

__all__ = ["SRAMDevice", "SRAMParams"]
