"""The memory-device contract: the cell record every circuit reads and the plugin class that
builds it.

A device plugin registers a :class:`Device` subclass (the class itself, not an instance)::

    @hookimpl
    def neurosim_register_devices(register):
        register("rram", RRAMDevice, description="1T1R / crossbar RRAM")

The engine resolves ``config.device`` and calls the class methods
``apply_device_defaults(config, Device)`` (before NeuroSim's ``Param`` is derived) and
``Device.build_cell(config, param, tech)``; the accuracy and trace paths call
``Device.weight_to_conductance(levels, cell, cell_bits)``. Everything is a class method
because a device holds no state beyond its cited preset (:attr:`Device.params`).

What ``build_cell`` reproduces (NeuroSim V1.4):

* ``ProcessingUnitInitialize`` copies ``Param`` into the global ``MemCell`` (type, access
  device, Ron/Roff, voltages, pulse width, feature size, cell geometry by cell family);
* ``SubArray::Initialize`` then derives, once per chip, the access-device and cell
  resistances of eNVM cells (``resCellAccess = Ron * IR_DROP_TOLERANCE``, the 1T1R access
  width from the transistor on-resistance, ``resMemCell*``) and the SRAM cell capacitance
  ``capSRAMCell``. These depend only on ``Param`` and the technology, so the device computes
  them here and the sub-array never writes to the cell.

Members the C++ never assigns keep the value of its zero-initialised global (0); the few that
other circuits read on eNVM chips are listed under the compat bug
``envm_cell_sram_members_zero``.
"""

from __future__ import annotations

import dataclasses
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np

from .config import Config
from .engine.compat_bugs import register_bug
from .errors import ConfigError, NeuroSimError
from .primitives.constants import (
    IR_DROP_TOLERANCE,
    LINEAR_REGION_RATIO,
    NMOS,
    CellAccessType,
    MemCellType,
)

__all__ = [
    "ACCESS_TYPES",
    "UNIT_SUFFIXES",
    "Device",
    "DeviceError",
    "DeviceParams",
    "EnvmDevice",
    "EnvmParams",
    "MemCell",
    "apply_device_defaults",
    "conductance_range_s",
]

ENVM_SRAM_MEMBERS_BUG = register_bug(
    "envm_cell_sram_members_zero",
    "eNVM/FeFET cells leave MemCell's SRAM members (widthSRAMCellNMOS/PMOS, minSenseVoltage, "
    "and widthAccessCMOS of crossbar cells) at 0, so SRAM-built buffers and the SRAM sigmoid "
    "LUT of an eNVM chip see zero-width transistors and a zero sense margin; corrected: "
    "Param's SRAM values",
)

#: Config ``access_type`` names -> NeuroSim's ``CellAccessType``.
ACCESS_TYPES: dict[str, CellAccessType] = {
    "cmos": CellAccessType.CMOS_ACCESS,
    "bjt": CellAccessType.BJT_ACCESS,
    "diode": CellAccessType.DIODE_ACCESS,
    "none": CellAccessType.NONE_ACCESS,
}

#: Suffixes a numeric preset field must end with (its unit); ``_f`` is feature sizes,
#: ``_ratio`` / ``_count`` mark dimensionless values.
UNIT_SUFFIXES: tuple[str, ...] = ("_ohm", "_v", "_s", "_f", "_m", "_m2", "_a", "_w", "_j",
                                  "_hz", "_k", "_siemens", "_ratio", "_count")


class DeviceError(NeuroSimError):
    """A device cannot be built or used as configured (names the option to change)."""


@dataclass
class MemCell:
    """NeuroSim's ``MemCell`` (``MemCell.h``): one memory cell as every circuit sees it.

    Members follow the naming rule of the porting conventions. Units: resistances in ohm,
    voltages in V, times in s, capacitance in F, ``feature_size`` in m, cell dimensions
    (``width_in_feature_size``, ``height_in_feature_size``) and transistor widths
    (``width_access_cmos``, ``width_sram_cell_nmos/pmos``) in feature sizes F (at 14 nm and
    below a transistor width of 1 means one fin or nanosheet), ``area`` in F^2.

    ``family`` is not in the C++: ``"sram"`` for SRAM bit cells, ``"envm"`` for resistive
    (RRAM, PCM, ...) and FeFET cells, i.e. the two branches every NeuroSim circuit takes on
    ``memCellType``.
    """

    mem_cell_type: MemCellType
    access_type: CellAccessType
    family: str
    process_node: int = 0
    area: float = 0.0
    aspect_ratio: float = 0.0
    width_in_feature_size: float = 0.0
    height_in_feature_size: float = 0.0
    resistance_on: float = 0.0
    resistance_off: float = 0.0
    min_sense_voltage: float = 0.0
    feature_size: float = 0.0
    access_voltage: float = 0.0
    read_voltage: float = 0.0
    write_voltage: float = 0.0
    read_pulse_width: float = 0.0
    write_pulse_width: float = 0.0
    resistance_access: float = 0.0
    nonlinear_iv: bool = False
    nonlinearity: float = 0.0
    resistance_avg: float = 0.0
    res_cell_access: float = 0.0
    res_mem_cell_on: float = 0.0
    res_mem_cell_off: float = 0.0
    res_mem_cell_avg: float = 0.0
    res_mem_cell_on_at_half_vw: float = 0.0
    res_mem_cell_off_at_half_vw: float = 0.0
    res_mem_cell_avg_at_half_vw: float = 0.0
    res_mem_cell_on_at_vw: float = 0.0
    res_mem_cell_off_at_vw: float = 0.0
    res_mem_cell_avg_at_vw: float = 0.0
    cap_sram_cell: float = 0.0
    multiple_cells: int = 0
    max_num_level_ltp: int = 0
    max_num_level_ltd: int = 0
    width_access_cmos: float = 0.0
    width_sram_cell_nmos: float = 0.0
    width_sram_cell_pmos: float = 0.0

    @property
    def is_sram(self) -> bool:
        return self.family == "sram"

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["mem_cell_type"] = self.mem_cell_type.name
        out["access_type"] = self.access_type.name
        return out


@dataclass(frozen=True)
class DeviceParams:
    """Base of a device's parameter preset.

    Every numeric field name ends in its unit (:data:`UNIT_SUFFIXES`). A field whose name is
    a configuration option (``resistance_on_ohm``, ``read_pulse_width_s``, ...) is the
    device's default for that option: :func:`apply_device_defaults` uses it wherever the
    configuration left the option at NeuroSim's ``Param.cpp`` default. Subclasses cite the
    source of each value in their docstring.
    """

    def option_defaults(self) -> dict[str, Any]:
        """The preset's values of configuration options, by option name."""
        options = {f.name for f in fields(Config)}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in options}


@dataclass(frozen=True)
class EnvmParams(DeviceParams):
    """Preset of a resistive (eNVM) or FeFET synaptic cell, read at the on-chip read voltage.

    Defaults are NeuroSim V1.4 ``Param.cpp``'s (Ron = 100 kOhm, Roff = 17 Ron, 10 ns read
    pulse, 1.1 V access-gate voltage, 2 V write voltage, 1T1R cell 4 F x 12 F, crossbar cell
    2 F x 2 F). The read voltage is not a device parameter: NeuroSim fixes it per node
    (``Param.readVoltage``) because its ADC model assumes it.
    """

    resistance_on_ohm: float = 100e3
    resistance_off_ohm: float = 1.7e6
    read_pulse_width_s: float = 10e-9
    access_voltage_v: float = 1.1
    write_voltage_v: float = 2.0
    height_1t1r_f: float = 4.0
    width_1t1r_f: float = 12.0
    height_crossbar_f: float = 2.0
    width_crossbar_f: float = 2.0

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ValueError(f"{type(self).__name__}.{f.name} = {v!r} must be a finite "
                                 "positive number")
        if self.resistance_off_ohm <= self.resistance_on_ohm:
            raise ValueError(f"{type(self).__name__}: resistance_off_ohm must exceed "
                             "resistance_on_ohm")


def apply_device_defaults(config: Config, device: type["Device"]) -> Config:
    """``config`` with the device preset's option values where ``config`` kept NeuroSim's.

    An option counts as "set by the user" when its value differs from the ``Param.cpp``
    default; an option explicitly set to exactly that default is therefore indistinguishable
    from an unset one and takes the device's preset. Presets equal to NeuroSim's defaults
    (``sram``, ``rram``, ``fefet``) change nothing.
    """
    defaults = {f.name: f.default for f in fields(Config)}
    changes = {name: value for name, value in device.params.option_defaults().items()
               if getattr(config, name) == defaults[name] and value != defaults[name]}
    return dataclasses.replace(config, **changes) if changes else config


def conductance_range_s(cell: MemCell) -> tuple[float, float]:
    """``(G_min, G_max) = (1/Roff, 1/Ron)`` in siemens, NeuroSim's min/maxConductance."""
    return 1.0 / cell.resistance_off, 1.0 / cell.resistance_on


class Device(ABC):
    """A memory-cell technology: its cited preset, its ``MemCell`` and its conductance map.

    Subclasses set the class attributes and implement :meth:`build_cell`; the default
    :meth:`weight_to_conductance` is NeuroSim's linear level-to-conductance map.
    """

    #: Registry name (``config.device``).
    name: ClassVar[str]
    #: ``"sram"`` or ``"envm"``: which branch NeuroSim's circuits take for this cell.
    family: ClassVar[str]
    #: NeuroSim's ``memCellType`` for the cell (SRAM, RRAM or FeFET branch of every circuit).
    mem_cell_type: ClassVar[MemCellType]
    #: Cited parameter preset (a :class:`DeviceParams` subclass instance).
    params: ClassVar[DeviceParams]
    #: One line for ``neurosim plugins``.
    description: ClassVar[str] = ""

    @classmethod
    @abstractmethod
    def build_cell(cls, config: Config, param: Any, tech: Any) -> MemCell:
        """The cell for ``config`` (after :func:`apply_device_defaults`), its NeuroSim
        ``param`` (``neurosim.engine.params.NeuroSimParams``) and ``tech``
        (``neurosim.technology.Technology``)."""

    @classmethod
    def weight_to_conductance(cls, levels: np.ndarray, cell: MemCell,
                              cell_bits: int) -> np.ndarray:
        """Conductance (S) of cells holding integer ``levels`` in ``0 .. 2**cell_bits - 1``.

        NeuroSim's ``LoadInWeightData``: ``G = level / (2^cellBit - 1) * (Gmax - Gmin) + Gmin``
        with ``Gmax = 1/Ron``, ``Gmin = 1/Roff``; a 1-bit cell (every SRAM cell) maps 0 to
        Gmin and 1 to Gmax. Same operation order as the C++, so results are bit-identical.
        A weight below ``algoWeightMin`` gives negative digits (C++ truncating ``%``), down
        to ``-(2^cellBit - 1)``: the same line extended below Gmin, as NeuroSim computes it.
        """
        if int(cell_bits) != cell_bits or cell_bits < 1:
            raise DeviceError(f"cell_bits = {cell_bits!r} must be a positive integer")
        levels = np.asarray(levels)
        top = (1 << int(cell_bits)) - 1
        if levels.size and (levels.min() < -top or levels.max() > top
                            or not np.array_equal(levels, np.floor(levels))):
            bad = levels[(levels < -top) | (levels > top)
                         | (levels != np.floor(levels))].flat[0]
            raise DeviceError(f"{cls.name}: cell level {bad!r} is not an integer in "
                              f"-{top}..{top} (cell_bits = {cell_bits})")
        g_min, g_max = conductance_range_s(cell)
        return levels.astype(np.float64) / top * (g_max - g_min) + g_min

    # -- shared NeuroSim set-up ---------------------------------------------------------------
    @classmethod
    def base_cell(cls, config: Config, param: Any) -> MemCell:
        """The members ``ProcessingUnitInitialize`` copies from ``Param`` for every cell type."""
        try:
            access = ACCESS_TYPES[config.access_type]
        except KeyError:
            raise ConfigError(f"option access_type = {config.access_type!r}: choose one of "
                              + ", ".join(ACCESS_TYPES)) from None
        ron, roff = float(param.resistance_on), float(param.resistance_off)
        return MemCell(
            mem_cell_type=cls.mem_cell_type,
            access_type=access,
            family=cls.family,
            process_node=int(config.tech_node_nm),
            resistance_on=ron,
            resistance_off=roff,
            resistance_avg=(ron + roff) / 2,
            read_voltage=float(param.read_voltage),
            read_pulse_width=float(param.read_pulse_width),
            access_voltage=float(param.access_voltage),
            resistance_access=float(param.resistance_access),
            feature_size=float(param.featuresize),
            write_voltage=float(param.write_voltage),
        )

    @staticmethod
    def set_geometry(cell: MemCell, height_f: float, width_f: float) -> None:
        """Cell height and width (F), and the derived area (F^2) and aspect ratio (H/W)."""
        cell.height_in_feature_size = float(height_f)
        cell.width_in_feature_size = float(width_f)
        cell.area = cell.height_in_feature_size * cell.width_in_feature_size
        cell.aspect_ratio = cell.height_in_feature_size / cell.width_in_feature_size


class EnvmDevice(Device):
    """A resistive (RRAM, PCM, ...) or FeFET cell read through a 1T1R access transistor
    (``access_type = cmos``) or directly in a crossbar (any other access type).

    1T1R (``SubArray::Initialize``): the access transistor is sized so that its resistance
    is ``IR_DROP_TOLERANCE`` (25 %) of Ron in the linear region,
    ``R_access = 0.25 Ron``, ``W_access = R_on(1 F wide NMOS; 2 F at <= 14 nm) *
    LINEAR_REGION_RATIO / R_access`` (in F; fins at <= 14 nm), and must fit the cell width.
    ``R_cell,on/off = R_access + Ron/off``; the average cell resistance with ``n`` rows read
    in parallel is ``n / (n/2 / (Ron + R_access) + n/2 / (Roff + R_access))``.
    Crossbar: ``R_cell = Ron/off`` at every bias, ``R_access = 0``.
    """

    family: ClassVar[str] = "envm"
    params: ClassVar[EnvmParams] = EnvmParams()

    @classmethod
    def build_cell(cls, config: Config, param: Any, tech: Any) -> MemCell:
        from .primitives.formula import calculate_on_resistance

        cell = cls.base_cell(config, param)
        one_t_one_r = cell.access_type == CellAccessType.CMOS_ACCESS
        if one_t_one_r:
            cls.set_geometry(cell, param.height_in_feature_size1_t1_r,
                             param.width_in_feature_size1_t1_r)
        else:
            cls.set_geometry(cell, param.height_in_feature_size_crossbar,
                             param.width_in_feature_size_crossbar)
        if not config.compat_bugs:
            cell.width_sram_cell_nmos = float(param.width_sram_cell_nmos)
            cell.width_sram_cell_pmos = float(param.width_sram_cell_pmos)
            cell.min_sense_voltage = float(param.min_sense_voltage)
            cell.width_access_cmos = float(param.width_access_cmos)

        fs = tech.feature_size
        ron, roff = cell.resistance_on, cell.resistance_off
        n = int(param.num_row_parallel)
        if one_t_one_r:
            cell.res_cell_access = ron * IR_DROP_TOLERANCE
            unit = (2 if tech.nonplanar else 1) * fs
            cell.width_access_cmos = (calculate_on_resistance(unit, NMOS, param.temp, tech)
                                      * LINEAR_REGION_RATIO / cell.res_cell_access)
            width_f = cell.width_access_cmos
            if tech.nonplanar:  # a number of fins: convert to F
                width_f = ((cell.width_access_cmos - 1) * tech.pitch_fin + tech.width_fin) / fs
            if width_f > cell.width_in_feature_size:
                raise DeviceError(
                    f"device {cls.name}: the 1T1R access transistor needs {width_f:.2f} F "
                    f"(to be {IR_DROP_TOLERANCE:g} x Ron = {cell.res_cell_access:g} ohm) but "
                    f"the cell is width_1t1r_f = {cell.width_in_feature_size:g} F wide; "
                    "increase width_1t1r_f (widthInFeatureSize1T1R) or resistance_on_ohm "
                    "(NeuroSim exits here too)")
            cell.res_mem_cell_on = cell.res_cell_access + ron
            cell.res_mem_cell_off = cell.res_cell_access + roff
        else:
            cell.res_mem_cell_on = ron
            cell.res_mem_cell_off = roff
            cell.res_mem_cell_on_at_half_vw = ron
            cell.res_mem_cell_off_at_half_vw = roff
            cell.res_mem_cell_on_at_vw = ron
            cell.res_mem_cell_off_at_vw = roff
            cell.res_mem_cell_avg_at_half_vw = cell.resistance_avg
            cell.res_mem_cell_avg_at_vw = cell.resistance_avg
        rca = cell.res_cell_access
        cell.res_mem_cell_avg = 1 / (1 / (ron + rca) * n / 2.0 + 1 / (roff + rca) * n / 2.0) * n
        return cell

