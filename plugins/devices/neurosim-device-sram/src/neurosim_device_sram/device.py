"""The SRAM bit cell as NeuroSim V1.4 models it (``memcelltype = 1``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from neurosim.accuracy.nonideal import NonIdealityPreset
from neurosim.config import Config
from neurosim.devices import Device, DeviceError, DeviceParams, MemCell
from neurosim.primitives.constants import MAX_TRANSISTOR_HEIGHT, NMOS, PMOS, MemCellType


@dataclass(frozen=True)
class SRAMParams(DeviceParams):
    """SRAM sensing preset.

    ``min_sense_voltage_v``: bit-line swing the sense amplifier resolves, 0.1 V
    (NeuroSim V1.4 ``Param.cpp`` ``minSenseVoltage``). The cell geometry is a property of the
    node, not of this preset: ``Param`` sets it per node (10 F x 28 F above 14 nm; Samsung
    14 nm, TSMC 10 nm, TSMC 7 nm (IEDM 2016) and IRDS 5-1 nm cells below; NeuroSim V1.4
    manual, Table V) and so does this plugin's cell.
    """

    min_sense_voltage_v: float = 0.1


def check_cell_bits(config: Config) -> None:
    """An SRAM cell stores one bit: ``cell_bits != 1`` is refused, not forced to 1 as
    NeuroSim V1.4's ``Param.cpp`` does (a value the user set would be ignored silently)."""
    if config.cell_bits != 1:
        raise DeviceError(f"option cell_bits (NeuroSim: cellBit) = {config.cell_bits} with "
                          "device = sram: an SRAM cell stores 1 bit (NeuroSim V1.4 silently "
                          "uses 1); set cell_bits = 1, or choose a multi-level device "
                          "(rram, fefet)")


class SRAMDevice(Device):
    """NeuroSim's SRAM cell: one bit per cell, read through two access transistors.

    Geometry and transistor widths come from ``Param`` (``heightInFeatureSizeSRAM``,
    ``widthInFeatureSizeSRAM``, ``widthSRAMCellNMOS/PMOS``, ``widthAccessCMOS``; widths in F,
    one fin / sheet at 14 nm and below). The cell capacitance switched on a write
    (``SubArray::Initialize``) is the drain capacitance of the access NMOS, the
    pull-down NMOS and the pull-up PMOS plus the gate capacitance of the NMOS and PMOS:
    ``C_cell = C_d(W_acc) + C_d(W_n) + C_d,p(W_p) + C_g(W_n) + C_g(W_p)``, each width scaled by
    ``F`` (``2F`` at 14 nm and below) and drawn at the standard-cell height
    ``MAX_TRANSISTOR_HEIGHT * F``.
    """

    name: ClassVar[str] = "sram"
    family: ClassVar[str] = "sram"
    mem_cell_type: ClassVar[MemCellType] = MemCellType.SRAM
    params: ClassVar[SRAMParams] = SRAMParams()
    description: ClassVar[str] = "SRAM bit cell (NeuroSim V1.4, per-node 6T geometry)"
    #: options of resistive cells that no SRAM circuit reads (NeuroSim V1.4's SRAM branches
    #: never use Ron/Roff, the read pulse, the access/write voltages, the access device or
    #: the 1T1R/crossbar geometry, or the eNVM switch matrix's size ratio): a value set for
    #: them gets a notice, not silence
    inapplicable_options: ClassVar[tuple[str, ...]] = (
        "resistance_on_ohm", "resistance_off_ohm", "read_pulse_width_s", "access_voltage_v",
        "write_voltage_v", "access_type", "height_1t1r_f", "width_1t1r_f",
        "height_crossbar_f", "width_crossbar_f", "newswitchmatrixsizeratio")
    #: accuracy-run defaults with ``device_nonidealities = true``: none
    nonidealities: ClassVar[NonIdealityPreset] = NonIdealityPreset(
        source="an SRAM cell stores a digital bit read by a sense amplifier: no analog "
               "conductance, so no conductance variation, drift or read noise (NeuroSim V1.4 "
               "forces cell_bits = 1 for SRAM; its wrapper applies no non-ideality to SRAM "
               "either); ADC output noise remains a circuit option")

    @classmethod
    def build_cell(cls, config: Config, param: Any, tech: Any) -> MemCell:
        from neurosim.primitives.formula import calculate_drain_cap, calculate_gate_cap

        check_cell_bits(config)
        cell = cls.base_cell(config, param)
        cls.set_geometry(cell, param.height_in_feature_size_sram,
                         param.width_in_feature_size_sram)
        cell.width_sram_cell_nmos = float(param.width_sram_cell_nmos)
        cell.width_sram_cell_pmos = float(param.width_sram_cell_pmos)
        cell.width_access_cmos = float(param.width_access_cmos)
        cell.min_sense_voltage = float(param.min_sense_voltage)

        fs = tech.feature_size
        scale = (2 if tech.nonplanar else 1) * fs
        height = MAX_TRANSISTOR_HEIGHT * fs
        cap_access = calculate_drain_cap(cell.width_access_cmos * scale, NMOS, height, tech)
        cell.cap_sram_cell = (cap_access
                              + calculate_drain_cap(cell.width_sram_cell_nmos * scale, NMOS,
                                                    height, tech)
                              + calculate_drain_cap(cell.width_sram_cell_pmos * scale, PMOS,
                                                    height, tech)
                              + calculate_gate_cap(cell.width_sram_cell_nmos * scale, tech)
                              + calculate_gate_cap(cell.width_sram_cell_pmos * scale, tech))
        return cell

    @classmethod
    def weight_to_conductance(cls, levels: np.ndarray, cell: MemCell,
                              cell_bits: int) -> np.ndarray:
        """Bits to ``1/Roff`` (0) or ``1/Ron`` (1); an SRAM cell holds one bit.

        NeuroSim forces ``cellBit = 1`` for SRAM; the conductances only enter its column
        resistance for eNVM cells, but the trace loader computes them alike.
        """
        if cell_bits != 1:
            raise DeviceError(f"device sram stores 1 bit per cell; got cell_bits = {cell_bits} "
                              "(set cell_bits = 1)")
        return super().weight_to_conductance(levels, cell, 1)
