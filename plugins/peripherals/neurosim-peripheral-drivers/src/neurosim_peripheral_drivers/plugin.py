"""Registers the drive circuits under their peripheral roles (implementation ``neurosim``)."""

from __future__ import annotations

from neurosim import hookimpl

from .decoder_drivers import DecoderDriver, WLDecoderOutput, WLNewDecoderDriver
from .level_shifter import LevelShifter
from .muxes import DeMux, Mux, NewMux
from .precharger import Precharger
from .row_decoder import RowDecoder
from .sram_write_driver import SRAMWriteDriver
from .switch_matrices import NewSwitchMatrix, SwitchMatrix

#: role -> (class, description)
CIRCUITS = {
    "row_decoder": (RowDecoder, "NeuroSim V1.4 RowDecoder: 2-bit predecoded address decoder"),
    "decoder_driver": (DecoderDriver, "NeuroSim V1.4 DecoderDriver: line transmission gates"),
    "wl_decoder_output": (WLDecoderOutput,
                          "NeuroSim V1.4 WLDecoderOutput: NOR2/INV/TG word-line output stage"),
    "wl_new_decoder_driver": (WLNewDecoderDriver,
                              "NeuroSim V1.4 WLNewDecoderDriver: BNN row-by-row WL driver"),
    "mux": (Mux, "NeuroSim V1.4 Mux: column transmission-gate multiplexer"),
    "new_mux": (NewMux, "NeuroSim V1.4 NewMux: BNN sense-amp / bit-line voltage switch"),
    "demux": (DeMux, "NeuroSim V1.4 DeMux: transmission-gate demultiplexer"),
    "switch_matrix": (SwitchMatrix, "NeuroSim V1.4 SwitchMatrix: row/column TG switch + DFFs"),
    "new_switch_matrix": (NewSwitchMatrix,
                          "NeuroSim V1.4 NewSwitchMatrix: BNN parallel-mode row switch + DFFs"),
    "level_shifter": (LevelShifter, "NeuroSim V1.4 LevelShifter: eNVM write-voltage shifter"),
    "precharger": (Precharger, "NeuroSim V1.4 Precharger: SRAM bit-line precharge"),
    "sram_write_driver": (SRAMWriteDriver, "NeuroSim V1.4 SRAMWriteDriver: bit-line writer"),
}


@hookimpl
def neurosim_register_peripherals(register):
    for role, (cls, description) in CIRCUITS.items():
        register(role, "neurosim", cls, description=description)
