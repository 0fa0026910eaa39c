"""Entry point of ``neurosim-peripheral-adc-mlsa``: registers ``adc`` implementation ``mlsa``."""

from __future__ import annotations

from neurosim import hookimpl

from .multilevel_sense_amp import MultilevelSenseAmp


@hookimpl
def neurosim_register_peripherals(register):
    register("adc", "mlsa", MultilevelSenseAmp,
             description="NeuroSim V1.4 MultilevelSenseAmp: flash ADC of levelOutput-1 "
                         "current/voltage sense amplifiers")
