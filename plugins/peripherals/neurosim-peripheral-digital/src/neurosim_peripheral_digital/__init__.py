"""NeuroSim V1.4 digital peripheral circuits for neurosim.

Registered by role (name ``neurosim``): ``dff``, ``adder``, ``adder_tree``, ``shift_add``,
``bit_shifter``, ``comparator``, ``max_pooling``, ``sigmoid``, ``buffer``, ``bus``.
"""

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

__all__ = ["Adder", "AdderTree", "BitShifter", "Buffer", "Bus", "Comparator", "DFF",
           "MaxPooling", "ShiftAdd", "Sigmoid"]
