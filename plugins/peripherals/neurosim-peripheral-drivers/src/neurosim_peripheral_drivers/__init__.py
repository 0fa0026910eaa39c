"""NeuroSim V1.4 drive circuits of a synaptic sub-array, as neurosim peripheral plugins.

Row decoders, decoder drivers, (de)multiplexers, switch matrices, level shifters, the SRAM
bit-line precharger and write driver. Each class is registered under its peripheral role with
the name ``neurosim`` (see :mod:`neurosim_peripheral_drivers.plugin`).
"""

from .decoder_drivers import DecoderDriver, WLDecoderOutput, WLNewDecoderDriver
from .level_shifter import LevelShifter
from .muxes import DeMux, Mux, NewMux
from .precharger import Precharger
from .row_decoder import RowDecoder
from .sram_write_driver import SRAMWriteDriver
from .switch_matrices import NewSwitchMatrix, SwitchMatrix

__all__ = [
    "DeMux", "DecoderDriver", "LevelShifter", "Mux", "NewMux", "NewSwitchMatrix", "Precharger",
    "RowDecoder", "SRAMWriteDriver", "SwitchMatrix", "WLDecoderOutput", "WLNewDecoderDriver",
]
