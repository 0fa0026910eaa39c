"""Layout constants (in feature sizes F) and enumerations shared by every circuit model.

Values follow NeuroSim V1.4's ``constant.h`` and ``typedef.h``. The node-dependent layout
rules (cell height, poly pitch, P/N gap of the FinFET / GAA nodes) are node data: each node
plugin's ``node.json`` ``layout`` block, read as ``tech.layout``
(:class:`neurosim.technology.LayoutRules`).
"""

from __future__ import annotations

from enum import IntEnum

# Gate types and transistor types (formula arguments).
INV, NOR, NAND = 0, 1, 2
NMOS, PMOS = 0, 1

MAX_NMOS_SIZE = 100.0
MIN_NMOS_SIZE = 2.0
MAX_TRANSISTOR_HEIGHT = 28.0
MAX_TRANSISTOR_HEIGHT_FINFET = 34.0
MIN_GAP_BET_SAME_TYPE_DIFFS = 1.6
MIN_GAP_BET_P_AND_N_DIFFS = 3.5
MIN_POLY_EXT_DIFF = 1.0
MIN_GAP_BET_FIELD_POLY = 1.6
POLY_WIDTH = 1.0
POLY_WIDTH_FINFET = 1.4
MIN_GAP_BET_GATE_POLY = 2.8
MIN_GAP_BET_GATE_POLY_FINFET = 3.9
MIN_GAP_BET_CONTACT_POLY = 0.7
CONTACT_SIZE = 1.3
MIN_WIDTH_POWER_RAIL = 3.4
M2_PITCH = 3.2
M3_PITCH = 2.8
AVG_RATIO_LEAK_2INPUT_NAND = 0.48
AVG_RATIO_LEAK_3INPUT_NAND = 0.31
AVG_RATIO_LEAK_2INPUT_NOR = 0.95
AVG_RATIO_LEAK_3INPUT_NOR = 0.62
W_SENSE_P = 7.5
W_SENSE_N = 3.75
W_SENSE_ISO = 12.5
W_SENSE_EN = 5.0
W_SENSE_MUX = 9.0
IR_DROP_TOLERANCE = 0.25
LINEAR_REGION_RATIO = 0.2
HEIGHT_WIDTH_RATIO_LIMIT = 5.0
RATIO_READ_THRESHOLD_VS_VOLTAGE = 0.2

class MemCellType(IntEnum):
    SRAM = 0
    RRAM = 1
    FeFET = 2


class CellAccessType(IntEnum):
    CMOS_ACCESS = 0
    BJT_ACCESS = 1
    DIODE_ACCESS = 2
    NONE_ACCESS = 3


class DeviceRoadmap(IntEnum):
    HP = 0
    LSTP = 1


class TransistorType(IntEnum):
    CONVENTIONAL = 0
    FET_2D = 1
    TFET = 2


class AreaModify(IntEnum):
    NONE = 0
    MAGIC = 1
    OVERRIDE = 2


class DecoderMode(IntEnum):
    REGULAR_ROW = 0
    REGULAR_COL = 1


class ReadCircuitMode(IntEnum):
    CMOS = 0
    OSCILLATION = 1


class SpikingMode(IntEnum):
    NONSPIKING = 0
    SPIKING = 1


class BusMode(IntEnum):
    HORIZONTAL = 0
    VERTICAL = 1


# Decoder connection (constant.h).
ROW_MODE = 0  # connect to rows
COL_MODE = 1  # connect to columns
