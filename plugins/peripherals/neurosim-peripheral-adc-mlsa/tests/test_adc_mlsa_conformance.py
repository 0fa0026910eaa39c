"""The neurosim plugin conformance kit for the ``adc`` implementation ``mlsa``."""

from __future__ import annotations

from neurosim.testing.conformance import ComponentConformance


class TestMultilevelSenseAmpADC(ComponentConformance):
    kind = "peripheral"
    distribution = "neurosim-peripheral-adc-mlsa"
    name = "mlsa"
    role = "adc"
