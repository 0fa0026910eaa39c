"""The neurosim plugin conformance kit for the ``adc`` implementation ``sar``."""

from __future__ import annotations

from neurosim.testing.conformance import ComponentConformance


class TestSarADC(ComponentConformance):
    kind = "peripheral"
    distribution = "neurosim-peripheral-adc-sar"
    name = "sar"
    role = "adc"
