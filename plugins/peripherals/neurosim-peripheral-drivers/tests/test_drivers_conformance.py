"""The neurosim plugin conformance kit, run for every role this distribution registers."""

from __future__ import annotations

from neurosim.testing.conformance import ComponentConformance


class _Driver(ComponentConformance):
    kind = "peripheral"
    distribution = "neurosim-peripheral-drivers"
    name = "neurosim"


class TestRowDecoder(_Driver):
    role = "row_decoder"


class TestDecoderDriver(_Driver):
    role = "decoder_driver"


class TestWLDecoderOutput(_Driver):
    role = "wl_decoder_output"


class TestWLNewDecoderDriver(_Driver):
    role = "wl_new_decoder_driver"


class TestMux(_Driver):
    role = "mux"


class TestNewMux(_Driver):
    role = "new_mux"


class TestDeMux(_Driver):
    role = "demux"


class TestSwitchMatrix(_Driver):
    role = "switch_matrix"


class TestNewSwitchMatrix(_Driver):
    role = "new_switch_matrix"


class TestLevelShifter(_Driver):
    role = "level_shifter"


class TestPrecharger(_Driver):
    role = "precharger"


class TestSRAMWriteDriver(_Driver):
    role = "sram_write_driver"
