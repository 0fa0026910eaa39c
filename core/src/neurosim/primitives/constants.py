"""Layout constants (in feature sizes F) and enumerations shared by every circuit model.

Values follow NeuroSim V1.4's ``constant.h`` and ``typedef.h``; the node-dependent layout
rules (cell height, poly pitch, P/N gap) are looked up with :func:`layout_rule`.
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

# Node-specific layout rules of NeuroSim V1.4 (FinFET / GAA nodes), in F.
MAX_TRANSISTOR_HEIGHT_NM = {14: 41.142, 10: 33.0, 7: 34.285, 5: 36.0, 3: 48.0, 2: 57.0, 1: 80.0}
MIN_GAP_BET_P_AND_N_DIFFS_NM = {14: 9.71, 10: 10.0, 7: 11.85, 5: 12.8, 3: 15.0, 2: 20.0, 1: 15.0}
OUTER_HEIGHT_REGION_NM = {14: 10.285, 10: 8.2, 7: 12.28, 5: 19.4, 3: 12.666, 2: 22.0, 1: 40.0}
CPP_NM = {14: 5.571, 10: 6.4, 7: 8.1428, 5: 10.2, 3: 16.0, 2: 22.5, 1: 40.0}
POLY_WIDTH_NM = {14: 1.857, 10: 2.2, 7: 3.14, 5: 4.0, 3: 6.0, 2: 7.0, 1: 12.0}
M2_PITCH_NM = {14: 4.57, 10: 4.4, 7: 5.71, 5: 6.0, 3: 8.0, 2: 10.0, 1: 16.0}
M3_PITCH_NM = {14: 4.57, 10: 4.4, 7: 5.71, 5: 6.0, 3: 8.0, 2: 10.0, 1: 16.0}


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


def layout_rule(table: dict[int, float], feature_size: float,
                default: float | None = None) -> float | None:
    """The entry of a per-node table (e.g. :data:`CPP_NM`) for ``feature_size`` in m.

    A node matches when ``feature_size == n * 1e-9`` exactly, the comparison NeuroSim's C++
    makes (``tech.featureSize == 14 * 1e-9``); other feature sizes give ``default``.
    """
    for node_nm, value in table.items():
        if feature_size == node_nm * 1e-9:
            return value
    return default
