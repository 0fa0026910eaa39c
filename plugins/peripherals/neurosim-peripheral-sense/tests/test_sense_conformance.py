"""The neurosim plugin conformance kit, run for every role this distribution registers."""

from __future__ import annotations

from neurosim.testing.conformance import ComponentConformance


class _Sense(ComponentConformance):
    kind = "peripheral"
    distribution = "neurosim-peripheral-sense"
    name = "neurosim"


class TestSenseAmp(_Sense):
    role = "sense_amp"


class TestCurrentSenseAmp(_Sense):
    role = "current_sense_amp"


class TestVoltageSenseAmp(_Sense):
    role = "voltage_sense_amp"


class TestSramNewSA(_Sense):
    role = "sram_new_sa"


class TestReadCircuit(_Sense):
    role = "read_circuit"


class TestMultilevelSAEncoder(_Sense):
    role = "mlsa_encoder"
