"""NeuroSim V1.4 sensing circuits of a synaptic sub-array, as neurosim peripheral plugins.

Latch sense amplifier, current and voltage sense amplifiers (the comparators of the
multilevel-S/A ADC), the SRAM macro's multilevel S/A, the integrate-and-fire read circuit and
the multilevel S/A encoder. Each class is registered under its peripheral role with the name
``neurosim`` (see :mod:`neurosim_peripheral_sense.plugin`).
"""

from .current_sense_amp import CurrentSenseAmp
from .mlsa_encoder import MultilevelSAEncoder
from .read_circuit import ReadCircuit
from .sense_amp import SenseAmp
from .sram_new_sa import SramNewSA
from .voltage_sense_amp import VoltageSenseAmp

__all__ = ["CurrentSenseAmp", "MultilevelSAEncoder", "ReadCircuit", "SenseAmp", "SramNewSA",
           "VoltageSenseAmp"]
