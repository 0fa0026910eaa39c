"""Entry point of ``neurosim-peripheral-sense``: registers the sensing circuits by role."""

from __future__ import annotations

from neurosim import hookimpl

from .current_sense_amp import CurrentSenseAmp
from .mlsa_encoder import MultilevelSAEncoder
from .read_circuit import ReadCircuit
from .sense_amp import SenseAmp
from .sram_new_sa import SramNewSA
from .voltage_sense_amp import VoltageSenseAmp

_CIRCUITS = (
    ("sense_amp", SenseAmp, "latch voltage sense amplifier per column"),
    ("current_sense_amp", CurrentSenseAmp, "current sense amplifier (Cadence-fitted)"),
    ("voltage_sense_amp", VoltageSenseAmp, "precharged voltage sense amplifier"),
    ("sram_new_sa", SramNewSA, "multilevel S/A of the SRAM compute macro"),
    ("read_circuit", ReadCircuit, "integrate-and-fire read circuit with spike counter"),
    ("mlsa_encoder", MultilevelSAEncoder, "thermometer-to-binary encoder of the MLSA ADC"),
)


@hookimpl
def neurosim_register_peripherals(register):
    for role, cls, description in _CIRCUITS:
        register(role, "neurosim", cls, description=f"NeuroSim V1.4 {cls.__name__}: {description}")
