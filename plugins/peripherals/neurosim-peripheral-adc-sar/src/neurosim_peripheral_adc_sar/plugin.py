"""Entry point of ``neurosim-peripheral-adc-sar``: registers the ``adc`` implementation ``sar``."""

from __future__ import annotations

from neurosim import hookimpl

from .sar_adc import SarADC


@hookimpl
def neurosim_register_peripherals(register):
    register("adc", "sar", SarADC,
             description="NeuroSim V1.4 SarADC: successive-approximation ADC per column group")
