"""Registers the digital peripheral circuits under their roles, as implementation ``neurosim``."""

from __future__ import annotations

from neurosim import hookimpl

from .adder import Adder
from .adder_tree import AdderTree
from .bit_shifter import BitShifter
from .buffer import Buffer
from .bus import Bus
from .comparator import Comparator
from .dff import DFF
from .max_pooling import MaxPooling
from .shift_add import ShiftAdd
from .sigmoid import Sigmoid

#: role -> (class, description)
CIRCUITS = {
    "dff": (DFF, "D flip-flop bank (NeuroSim V1.4 DFF)"),
    "adder": (Adder, "NAND2 ripple-carry adder bank (NeuroSim V1.4 Adder)"),
    "adder_tree": (AdderTree, "adder tree over sub-array partial sums (NeuroSim V1.4 AdderTree)"),
    "shift_add": (ShiftAdd, "shift-and-add accumulator (NeuroSim V1.4 ShiftAdd)"),
    "bit_shifter": (BitShifter, "DFF bit shifter / ReLU unit (NeuroSim V1.4 BitShifter)"),
    "comparator": (Comparator, "ripple magnitude comparator (NeuroSim V1.4 Comparator)"),
    "max_pooling": (MaxPooling, "comparator-tree max pooling (NeuroSim V1.4 MaxPooling)"),
    "sigmoid": (Sigmoid, "SRAM/RRAM look-up-table sigmoid (NeuroSim V1.4 Sigmoid)"),
    "buffer": (Buffer, "SRAM or register-file buffer (NeuroSim V1.4 Buffer)"),
    "bus": (Bus, "repeated bus between sub-arrays (NeuroSim V1.4 Bus)"),
}


@hookimpl
def neurosim_register_peripherals(register):
    for role, (cls, description) in CIRCUITS.items():
        register(role, "neurosim", cls, description=description)
