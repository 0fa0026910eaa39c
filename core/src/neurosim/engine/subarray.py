"""One compute-in-memory subarray: the memory array and the circuits around it (NeuroSim V1.4
``SubArray.cpp``), evaluated for every input vector at once.

Supported designs: SRAM and eNVM (RRAM, FeFET) cells, 1T1R (CMOS access) or cross-point
arrays, conventional sequential (row-by-row) and conventional parallel read (all or
``numRowParallel`` rows at once, ``numAdd`` partial sums), with a multilevel sense amplifier
(MLSA, current or voltage mode) or a SAR ADC, and the buffered word lines of the 2 nm / 1 nm
nodes. The BNN / XNOR operation modes are not ported (rejected with a clear message).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..primitives import formula
from ..primitives.constants import (
    CPP_NM,
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MAX_TRANSISTOR_HEIGHT_NM,
    MIN_GAP_BET_FIELD_POLY,
    MIN_GAP_BET_GATE_POLY,
    MIN_GAP_BET_GATE_POLY_FINFET,
    MIN_POLY_EXT_DIFF,
    NMOS,
    OUTER_HEIGHT_REGION_NM,
    PMOS,
    POLY_WIDTH,
    POLY_WIDTH_FINFET,
    AreaModify,
    CellAccessType,
    DecoderMode,
    MemCellType,
    SpikingMode,
)
from ..primitives.function_unit import FunctionUnit
from .array_activity import ColumnModel, activity_row_read, column_model_from_context

NONE, MAGIC, OVERRIDE = AreaModify.NONE, AreaModify.MAGIC, AreaModify.OVERRIDE
ROW_MODE, COL_MODE = 0, 1  # SwitchMatrix / DecoderDriver modes (NeuroSim typedef.h)


def _cmax(a, b):
    """C++ ``MAX`` macro on scalars or per-vector arrays."""
    return np.maximum(a, b) if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) else (
        a if a > b else b)


def _seq_sum(values: np.ndarray) -> float:
    """Left-to-right sum (the C++ ``+=`` loop over input vectors)."""
    values = np.asarray(values, dtype=float)
    return float(np.cumsum(values)[-1]) if values.size else 0.0


def _fdiv(a: float, b: float) -> float:
    """C++ double division: a zero divisor gives inf / nan instead of an exception."""
    if b == 0:
        return math.copysign(math.inf, a) if a != 0 else math.nan
    return a / b


def _per_vector(circuit: Any, name: str) -> Any:
    """A circuit's per-vector result when it evaluated several vectors, else the scalar."""
    v = getattr(circuit, name + "_per_vector", None)
    return np.asarray(v, dtype=float) if v is not None else getattr(circuit, name)


@dataclass
class VectorSums:
    """What ``ProcessingUnitCalculatePerformance`` accumulates over the input vectors of one
    subarray (C++ loop over k): sums of the per-vector read latency / energy and their
    ADC / accumulation / other parts, the largest per-vector latency (the clock-pass result)
    and the leakage of the last vector."""

    max_read_latency_s: float = 0.0
    read_latency_s: float = 0.0
    read_latency_adc_s: float = 0.0
    read_latency_accum_s: float = 0.0
    read_latency_other_s: float = 0.0
    read_dynamic_energy_j: float = 0.0
    read_dynamic_energy_adc_j: float = 0.0
    read_dynamic_energy_accum_j: float = 0.0
    read_dynamic_energy_other_j: float = 0.0
    leakage_w: float = 0.0
    leakage_sram_in_use_w: float = 0.0

    # names used by the processing-unit model
    @property
    def clk_period(self) -> float:
        return self.max_read_latency_s

    @property
    def read_latency(self) -> float:
        return self.read_latency_s

    @property
    def read_latency_adc(self) -> float:
        return self.read_latency_adc_s

    @property
    def read_latency_accum(self) -> float:
        return self.read_latency_accum_s

    @property
    def read_latency_other(self) -> float:
        return self.read_latency_other_s

    @property
    def read_dynamic_energy(self) -> float:
        return self.read_dynamic_energy_j

    @property
    def read_dynamic_energy_adc(self) -> float:
        return self.read_dynamic_energy_adc_j

    @property
    def read_dynamic_energy_accum(self) -> float:
        return self.read_dynamic_energy_accum_j

    @property
    def read_dynamic_energy_other(self) -> float:
        return self.read_dynamic_energy_other_j

    @property
    def leakage(self) -> float:
        return self.leakage_w

    @property
    def leakage_sram_in_use(self) -> float:
        return self.leakage_sram_in_use_w


class SubArray(FunctionUnit):
    """Memory array + row drivers/switch matrices + column mux + ADC (MLSA or SAR) + partial
    sum adders and shift-adders (NeuroSim ``SubArray``).

    Models: wire RC of rows/columns (0.2 fF/um, Metal0/Metal1 resistivity), SRAM bit-line
    Elmore delay, eNVM column RC ``tau = C_col * R_avg``, Horowitz-delay drivers (in the
    circuit plugins), the repeater chain of buffered word lines at 2/1 nm (Elmore delay of
    each section), and NeuroSim's cycle-count latencies in synchronous mode.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        c = ctx.circuit
        self.initialized = False
        self.read_dynamic_energy_array = 0.0
        self.write_dynamic_energy_array = 0.0
        self.wllevelshifter = c("level_shifter")(ctx)
        self.sllevelshifter = c("level_shifter")(ctx)
        self.bllevelshifter = c("level_shifter")(ctx)
        self.wl_decoder = c("row_decoder")(ctx)
        self.wl_new_decoder_driver = c("wl_new_decoder_driver")(ctx)
        self.wl_new_switch_matrix = c("new_switch_matrix")(ctx)
        self.mux = c("mux")(ctx)
        self.mux_decoder = c("row_decoder")(ctx)
        self.sl_switch_matrix = c("switch_matrix")(ctx)
        self.wl_switch_matrix = c("switch_matrix")(ctx)
        self.precharger = c("precharger")(ctx)
        self.sense_amp = c("sense_amp")(ctx)
        self.wl_decoder_driver = c("decoder_driver")(ctx)
        self.sram_write_driver = c("sram_write_driver")(ctx)
        self.dff = c("dff")(ctx)
        self.adder = c("adder")(ctx)
        self.shift_add_input = c("shift_add")(ctx)
        self.shift_add_weight = c("shift_add")(ctx)
        self.saradc = ctx.config.adc == "sar"
        adc = c("adc")(ctx)
        # exactly one of the two converters exists; the other stays an empty unit (zero
        # area / energy), as the unused C++ member object does
        self.multilevel_sense_amp = FunctionUnit(ctx) if self.saradc else adc
        self.sar_adc = adc if self.saradc else FunctionUnit(ctx)
        self.multilevel_sa_encoder = c("mlsa_encoder")(ctx)
        # write activity is never assigned in NeuroSim (members left uninitialised); only the
        # unreported write figures depend on it, so it is 0 here
        self.activity_row_write = 0.0
        self.activity_col_write = 0.0
        self.activity_row_read = 0.0
        self.width_inv_n = self.width_inv_p = 0.0
        self.w_inv = self.h_inv = self.drivecapin = self.drivecapout = 0.0
        self.sectionres = self.targetdriveres = 0.0
        self.res_cell_access = self.cap_cell_access = 0.0
        self.col_delay = 0.0
        self.read_latency_adc = self.read_latency_accum = self.read_latency_other = 0.0
        self.read_dynamic_energy_adc = self.read_dynamic_energy_accum = 0.0
        self.read_dynamic_energy_other = 0.0
        self.leakage_sram_in_use = 0.0
        self.area_adc = self.area_accum = self.area_other = self.area_array = 0.0
        self.height_array = self.width_array = 0.0
        self._column_model: ColumnModel | None = None

    # ------------------------------------------------------------------------------------
    def configure_from_param(self) -> None:
        """Copy the design options from Param (``ProcessingUnitInitialize`` assignments)."""
        ctx, p = self.ctx, self.ctx.param
        mode = int(ctx.config.operation_mode)
        if mode not in (1, 2):
            raise ConfigError(f"operation_mode = {mode}: the BNN/XNOR modes (3-6) are not "
                              "supported by this subarray model; use 1 or 2")
        self.conventional_sequential = mode == 1
        self.conventional_parallel = mode == 2
        self.num_row = int(p.num_row_sub_array)
        self.num_col = int(p.num_col_sub_array)
        self.level_output = int(p.level_output)
        self.num_col_muxed = int(p.num_col_muxed)
        self.clk_freq = float(p.clk_freq)
        self.relax_array_cell_height = bool(p.relax_array_cell_height)
        self.relax_array_cell_width = bool(p.relax_array_cell_width)
        self.num_read_pulse = int(p.num_bit_input)
        self.avg_weight_bit = int(p.cell_bit)
        self.num_cell_per_synapse = int(p.num_col_per_synapse)
        self.current_mode = bool(p.current_mode)
        self.validated = bool(p.validated)
        self.spiking_mode = SpikingMode.NONSPIKING
        self.num_row_parallel = int(p.num_row_parallel)
        self.num_add = self.num_row // self.num_row_parallel  # int division inside ceil
        if self.num_col_muxed > self.num_col:
            self.num_col_muxed = self.num_col
        n = self.num_col
        self.num_read_cell_per_operation_fpga = n
        self.num_write_cell_per_operation_fpga = n
        self.num_read_cell_per_operation_memory = n
        self.num_write_cell_per_operation_memory = n // 8
        self.num_read_cell_per_operation_neuro = n
        self.num_write_cell_per_operation_neuro = n
        self.fpga = False

    def initialize_for_pe(self) -> None:
        """What ``ProcessingUnitInitialize`` does to the subarray: options, ``Initialize``
        with Param's geometry and ``CalculateArea``."""
        self.configure_from_param()
        p = self.ctx.param
        self.initialize(int(p.num_row_sub_array), int(p.num_col_sub_array),
                        float(p.unit_length_wire_resistance))
        self.calculate_area()

    # ------------------------------------------------------------------------------------
    def _fin(self) -> int:
        """NeuroSim's ``(featureSize <= 14 nm) ? 2 : 1`` width factor of FinFET/GAA nodes."""
        return 2 if self.ctx.tech.feature_size <= 14e-9 else 1

    def initialize(self, num_row: int, num_col: int, unit_wire_res: float) -> None:
        """``SubArray::Initialize``: array geometry, wire parasitics and the peripherals."""
        ctx, tech, cell, p = self.ctx, self.ctx.tech, self.ctx.cell, self.ctx.param
        if not hasattr(self, "conventional_parallel"):
            self.configure_from_param()
        self.num_row, self.num_col, self.unit_wire_res = int(num_row), int(num_col), unit_wire_res
        num_row, num_col = self.num_row, self.num_col
        fs = tech.feature_size
        node = int(tech.feature_size_in_nano)
        fin = self._fin()
        temp = ctx.input.temperature
        min_cell_height = MAX_TRANSISTOR_HEIGHT
        min_cell_width = (MIN_GAP_BET_GATE_POLY + POLY_WIDTH) * 2
        if node in MAX_TRANSISTOR_HEIGHT_NM and fs == node * 1e-9:
            min_cell_height *= MAX_TRANSISTOR_HEIGHT_NM[node] / MAX_TRANSISTOR_HEIGHT
            if node == 14:
                min_cell_width *= ((POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET)
                                   / (MIN_GAP_BET_GATE_POLY + POLY_WIDTH))
            else:
                min_cell_width *= CPP_NM[node] / (MIN_GAP_BET_GATE_POLY + POLY_WIDTH)
        # (the C++ also rescales an unused isolation-region width here)
        _ = OUTER_HEIGHT_REGION_NM, MIN_POLY_EXT_DIFF, MIN_GAP_BET_FIELD_POLY
        cell_type = MemCellType(cell.mem_cell_type)
        self.is_sram = cell_type == MemCellType.SRAM
        self.cmos_access = CellAccessType(cell.access_type) == CellAccessType.CMOS_ACCESS
        if self.is_sram:
            if self.relax_array_cell_width:
                self.length_row = num_col * max(cell.width_in_feature_size, min_cell_height) * fs
            else:
                self.length_row = num_col * cell.width_in_feature_size * fs
            if self.relax_array_cell_height:
                self.length_col = num_row * max(cell.height_in_feature_size, min_cell_width) * fs
            else:
                self.length_col = num_row * cell.height_in_feature_size * fs
            p.arraywidthunit = cell.width_in_feature_size * fs
            p.arrayheight = num_row * cell.height_in_feature_size * cell.feature_size
        else:
            ch, cw = cell.height_in_feature_size, cell.width_in_feature_size
            cfs = cell.feature_size
            if self.cmos_access:
                self.length_row = num_col * (max(cw, min_cell_width * 2) if
                                             self.relax_array_cell_width else cw) * fs
                self.length_col = num_row * (max(ch, min_cell_height) if
                                             self.relax_array_cell_height else ch) * fs
            else:
                self.length_row = num_col * (max(cw * cfs, min_cell_width * 2 * fs) if
                                             self.relax_array_cell_width else cw * cfs)
                self.length_col = num_row * (max(ch * cfs, min_cell_height * fs) if
                                             self.relax_array_cell_height else ch * cfs)
            p.arraywidthunit = cw * cfs
            p.arrayheight = num_row * ch * cfs
        self.cap_row1 = self.length_row * 0.2e-15 / 1e-6
        self.cap_row2 = self.length_row * 0.2e-15 / 1e-6
        self.cap_col = self.length_col * 0.2e-15 / 1e-6
        self.res_row = self.length_row * p.metal1_unitwireresis
        self.res_col = self.length_col * p.metal0_unitwireresis
        p.columncap = self.cap_col
        clk = self.clk_freq
        ncm = self.num_col_muxed
        nread = self.num_read_cell_per_operation_neuro
        if self.is_sram:
            wacc = cell.width_access_cmos * fin * fs
            self.res_cell_access = formula.calculate_on_resistance(wacc, NMOS, temp, tech)
            self.cap_cell_access = formula.calculate_drain_cap(wacc, NMOS,
                                                               MAX_TRANSISTOR_HEIGHT * fs, tech)
            p.unitcap = self.cap_row1 / p.num_col_sub_array
            p.unitres = self.res_row / p.num_col_sub_array
            if fs <= 14e-9:
                self.cap_col += tech.cap_draintotal * cell.width_access_cmos * tech.effective_width * num_row
            else:
                self.cap_col += formula.calculate_drain_cap(
                    wacc, NMOS, MAX_TRANSISTOR_HEIGHT * fs, tech) * num_row
            p.columncap = self.cap_col
            if self.conventional_sequential:
                self.cap_row1 += 2 * formula.calculate_gate_cap(wacc, tech) * num_col
                self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, int(math.ceil(math.log2(num_row))),
                                           False, False)
                self.sense_amp.initialize(num_col, False, cell.min_sense_voltage,
                                          self.length_row / num_col, clk, nread)
                adder_bit = int(math.ceil(math.log2(num_row))) + 1
                num_adder = num_col // self.num_cell_per_synapse
                self.dff.initialize(adder_bit * num_col, clk)
                self.adder.initialize(adder_bit - 1, num_col, clk)
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.initialize(num_adder, adder_bit, clk, self.spiking_mode,
                                                     self.num_cell_per_synapse)
                if self.num_read_pulse > 1:
                    self.shift_add_input.initialize(num_adder, adder_bit + self.num_cell_per_synapse,
                                                    clk, self.spiking_mode, self.num_read_pulse)
            else:  # conventional parallel
                self.cap_row1 += formula.calculate_gate_cap(wacc, tech) * num_col
                res = self.res_row
                if p.buffernumber > 0:
                    self._size_buffers()
                    res = self.sectionres
                self.wl_switch_matrix.initialize(
                    ROW_MODE, num_row, res, True, False, self.activity_row_read,
                    self.activity_col_write, self.num_write_cell_per_operation_memory,
                    self.num_write_cell_per_operation_neuro, 1, clk)
                if ncm > 1:
                    p.res_cell_access = self.res_cell_access
                    self.mux.initialize(num_col // ncm, ncm,
                                        _fdiv(self.res_cell_access, self.num_row_parallel // 2), self.fpga)
                    self.mux_decoder.initialize(DecoderMode.REGULAR_ROW, int(math.ceil(math.log2(ncm))),
                                                True, False)
                self._initialize_adc(True)
                self._initialize_partial_sums()
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.initialize(
                        num_col // ncm, int(math.log2(self.level_output) + math.ceil(
                            math.log2(self.num_add))), clk, self.spiking_mode,
                        self.num_cell_per_synapse)
                if self.num_read_pulse > 1:
                    self.shift_add_input.initialize(
                        num_col // ncm, int(math.log2(self.level_output) + math.ceil(
                            math.log2(self.num_add))) + self.num_cell_per_synapse, clk,
                        self.spiking_mode, self.num_read_pulse)
            self.precharger.initialize(num_col, self.res_col, self.activity_col_write, nread,
                                       self.num_write_cell_per_operation_neuro)
            self.sram_write_driver.initialize(num_col, self.activity_col_write,
                                              self.num_write_cell_per_operation_neuro)
        else:
            if self.cmos_access:
                wacc = cell.width_access_cmos * fin * fs
                self.cap_row2 += formula.calculate_gate_cap(wacc, tech) * num_col
                p.unitcap = self.cap_row2 / p.num_col_sub_array
                p.unitres = self.res_row / p.num_col_sub_array
                self.cap_col += formula.calculate_drain_cap(
                    wacc, NMOS, MAX_TRANSISTOR_HEIGHT * fs, tech) * num_row
                p.columncap = self.cap_col
            if cell.write_voltage > 1.5:
                self.wllevelshifter.initialize(num_row, self.activity_row_read, clk)
                self.bllevelshifter.initialize(num_row, self.activity_row_read, clk)
                self.sllevelshifter.initialize(num_col, self.activity_col_write, clk)
            wm, wn = self.num_write_cell_per_operation_memory, self.num_write_cell_per_operation_neuro
            if self.conventional_sequential:
                num_adder = num_col // ncm
                res_tg = cell.res_mem_cell_on
                adder_bit = int(math.ceil(math.log2(num_row))) + self.avg_weight_bit
                self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, int(math.ceil(math.log2(num_row))),
                                           False, False)
                if self.cmos_access:
                    self.wl_new_decoder_driver.initialize(num_row)
                else:
                    self.wl_decoder_driver.initialize(ROW_MODE, num_row, num_col)
                self.sl_switch_matrix.initialize(COL_MODE, num_col, res_tg, True, False,
                                                 self.activity_row_read, self.activity_col_write,
                                                 wm, wn, 1, clk)
                if ncm > 1:
                    self.mux.initialize(num_adder, ncm, res_tg, self.fpga)
                    self.mux_decoder.initialize(DecoderMode.REGULAR_ROW, int(math.ceil(math.log2(ncm))),
                                                True, False)
                levels = int(math.pow(2, self.avg_weight_bit))
                if self.saradc:
                    self.sar_adc.initialize(num_col // ncm, levels, clk, nread)
                else:
                    self.multilevel_sense_amp.initialize(num_col // ncm, levels, clk, nread, False,
                                                         self.current_mode)
                    if self.avg_weight_bit > 1:
                        self.multilevel_sa_encoder.initialize(levels, num_col // ncm)
                self.dff.initialize(adder_bit * num_adder, clk)
                self.adder.initialize(adder_bit - 1, num_adder, clk)
                shift = (self.num_cell_per_synapse - 1) * self.avg_weight_bit + 1
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.initialize(num_adder, adder_bit, clk, self.spiking_mode,
                                                     shift)
                if self.num_read_pulse > 1:
                    self.shift_add_input.initialize(num_adder, adder_bit + shift, clk,
                                                    self.spiking_mode, self.num_read_pulse)
            else:  # conventional parallel
                res_tg = cell.res_mem_cell_avg / self.num_row_parallel
                if self.cmos_access:
                    self.wl_new_switch_matrix.initialize(num_row, self.activity_row_read, clk)
                    if p.buffernumber > 0:
                        self._size_buffers()
                else:
                    self.wl_switch_matrix.initialize(ROW_MODE, num_row, res_tg * num_row / num_col,
                                                     True, False, self.activity_row_read,
                                                     self.activity_col_write, wm, wn, 1, clk)
                self.sl_switch_matrix.initialize(COL_MODE, num_col, res_tg * num_row, True, False,
                                                 self.activity_row_read, self.activity_col_write,
                                                 wm, wn, 1, clk)
                if ncm > 1:
                    self.mux.initialize(num_col // ncm, ncm, res_tg, self.fpga)
                    self.mux_decoder.initialize(DecoderMode.REGULAR_ROW, int(math.ceil(math.log2(ncm))),
                                                True, False)
                self._initialize_adc(True)
                self._initialize_partial_sums()
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.initialize(num_col // ncm, int(math.log2(self.level_output)),
                                                     clk, self.spiking_mode,
                                                     self.num_cell_per_synapse)
                if self.num_read_pulse > 1:
                    self.shift_add_input.initialize(
                        num_col // ncm, int(math.log2(self.level_output) + self.num_cell_per_synapse),
                        clk, self.spiking_mode, self.num_read_pulse)
        self._column_model = None
        self.initialized = True

    def _size_buffers(self) -> None:
        """Repeaters on the word line (2 nm / 1 nm): section resistance and inverter sizes."""
        tech, p, temp = self.ctx.tech, self.ctx.param, self.ctx.input.temperature
        fs, fin = tech.feature_size, self._fin()
        self.sectionres = self.res_row / (p.buffernumber + 1)
        self.targetdriveres = formula.calculate_on_resistance(fin * fs * p.buffersizeratio, NMOS,
                                                              temp, tech)
        self.width_inv_n = (formula.calculate_on_resistance(fin * fs, NMOS, temp, tech)
                            / self.targetdriveres * fs)
        self.width_inv_p = (formula.calculate_on_resistance(fin * fs, PMOS, temp, tech)
                            / self.targetdriveres * fs)
        if fs <= 14e-9:
            self.width_inv_n = 2 * math.ceil(self.width_inv_n / fs) * fs
            self.width_inv_p = 2 * math.ceil(self.width_inv_p / fs) * fs

    def _initialize_adc(self, parallel: bool) -> None:
        ncm, clk = self.num_col_muxed, self.clk_freq
        nread = self.num_read_cell_per_operation_neuro
        if self.saradc:
            self.sar_adc.initialize(self.num_col // ncm, self.level_output, clk, nread)
        else:
            self.multilevel_sense_amp.initialize(self.num_col // ncm, self.level_output, clk, nread,
                                                 parallel, self.current_mode)
            self.multilevel_sa_encoder.initialize(self.level_output, self.num_col // ncm)

    def _initialize_partial_sums(self) -> None:
        adder_bit = int(math.log2(self.level_output) + math.ceil(math.log2(self.num_add)))
        num_adder = self.num_col // self.num_col_muxed
        if self.num_add > 1:
            self.dff.initialize(adder_bit * num_adder, self.clk_freq)
            self.adder.initialize(adder_bit - 1, num_adder, self.clk_freq)

    # ------------------------------------------------------------------------------------
    def calculate_area(self) -> None:
        """``SubArray::CalculateArea``: bounding box of the array with its peripherals
        stacked below (column circuits) and beside it (row circuits)."""
        if not self.initialized:
            raise RuntimeError("SubArray.calculate_area called before initialize")
        tech, p, cell = self.ctx.tech, self.ctx.param, self.ctx.cell
        self.height_array = self.length_col
        self.width_array = self.length_row
        self.area_array = self.height_array * self.width_array
        wa, ha = self.width_array, self.height_array
        ncm = self.num_col_muxed
        if self.is_sram:
            self.precharger.calculate_area(0, wa, NONE)
            self.sram_write_driver.calculate_area(0, wa, NONE)
            if self.conventional_sequential:
                self.wl_decoder.calculate_area(ha, 0, NONE)
                self.sense_amp.calculate_area(0, wa, MAGIC)
                self.adder.calculate_area(0, wa, NONE)
                self.dff.calculate_area(0, wa, NONE)
                if self.num_read_pulse > 1:
                    self.shift_add_input.calculate_area(0, wa, NONE)
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.calculate_area(0, wa, NONE)
                self.height = (self.precharger.height + self.sram_write_driver.height + ha
                               + self.sense_amp.height + self.adder.height + self.dff.height * 2
                               + self.shift_add_input.height + self.shift_add_weight.height)
                self.width = self.wl_decoder.width + wa
                self.area = self.height * self.width
                self.used_area = (self.area_array + self.wl_decoder.area + self.precharger.area
                                  + self.sram_write_driver.area + self.sense_amp.area
                                  + self.adder.area + self.dff.area * 2
                                  + self.shift_add_input.area + self.shift_add_weight.area)
                self.empty_area = self.area - self.used_area
                self.area_adc = self.sense_amp.area + self.precharger.area
                self.area_accum = (self.adder.area + self.dff.area * 2 + self.shift_add_input.area
                                   + self.shift_add_weight.area)
                self.area_other = self.wl_decoder.area + self.sram_write_driver.area
                return
            self.wl_switch_matrix.calculate_area(ha, 0, NONE)
            self._area_mux_adc_accum(wa)
            buffer_area = self._buffer_area()
            muxed = ncm > 1
            add = self.num_add > 1
            self.height = (self.precharger.height + self.sram_write_driver.height + ha
                           + self.multilevel_sense_amp.height + self.multilevel_sa_encoder.height
                           + self.shift_add_input.height + self.shift_add_weight.height
                           + ((self.adder.height + self.dff.height) if add else 0)
                           + (self.mux.height if muxed else 0) + self.sar_adc.height)
            self.width = (max(self.wl_switch_matrix.width, self.mux_decoder.width if muxed else 0)
                          + wa + buffer_area / self.length_col)
            self.area = self.height * self.width
            self.used_area = (self.area_array + self.wl_switch_matrix.area + self.precharger.area
                              + self.sram_write_driver.area + self.multilevel_sense_amp.area
                              + self.multilevel_sa_encoder.area + self.shift_add_input.area
                              + self.shift_add_weight.area
                              + ((self.adder.area + self.dff.area) if add else 0)
                              + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
                              + self.sar_adc.area + buffer_area)
            self.empty_area = self.area - self.used_area
            self.area_adc = (self.multilevel_sense_amp.area + self.precharger.area
                             + self.multilevel_sa_encoder.area + self.sar_adc.area)
            self.area_accum = (self.shift_add_input.area + self.shift_add_weight.area
                               + ((self.adder.area + self.dff.area) if add else 0))
            self.area_other = (self.wl_switch_matrix.area + self.sram_write_driver.area
                               + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
                               + buffer_area)
            return
        # eNVM / FeFET
        hv = cell.write_voltage > 1.5
        if hv:
            self.wllevelshifter.calculate_area(ha, 0, NONE)
            self.bllevelshifter.calculate_area(ha, 0, NONE)
            self.sllevelshifter.calculate_area(0, wa, NONE)
        ls_area = (self.wllevelshifter.area + self.bllevelshifter.area
                   + self.sllevelshifter.area) if hv else 0
        ls_width = (self.wllevelshifter.width + self.bllevelshifter.width) if hv else 0
        ls_height = self.sllevelshifter.height if hv else 0
        muxed = ncm > 1
        if self.conventional_sequential:
            self.wl_decoder.calculate_area(ha, 0, NONE)
            if self.cmos_access:
                self.wl_new_decoder_driver.calculate_area(ha, 0, NONE)
            else:
                self.wl_decoder_driver.calculate_area(ha, 0, NONE)
            self.sl_switch_matrix.calculate_area(0, wa, NONE)
            self._area_mux(wa)
            if self.saradc:
                self.sar_adc.calculate_unit_area()
                self.sar_adc.calculate_area(0, wa, NONE)
            else:
                self.multilevel_sense_amp.calculate_area(0, wa, NONE)
                if self.avg_weight_bit > 1:
                    self.multilevel_sa_encoder.calculate_area(0, wa, NONE)
            self.dff.calculate_area(0, wa, NONE)
            self.adder.calculate_area(0, wa, NONE)
            if self.num_read_pulse > 1:
                self.shift_add_input.calculate_area(0, wa, NONE)
            if self.num_cell_per_synapse > 1:
                self.shift_add_weight.calculate_area(0, wa, NONE)
            self.height = (ls_height + self.sl_switch_matrix.height + ha
                           + (self.mux.height if muxed else 0) + self.multilevel_sense_amp.height
                           + self.multilevel_sa_encoder.height + self.adder.height
                           + self.dff.height + self.shift_add_input.height
                           + self.shift_add_weight.height + self.sar_adc.height)
            self.width = max(ls_width + self.wl_decoder.width + self.wl_new_decoder_driver.width
                             + self.wl_decoder_driver.width,
                             self.mux_decoder.width if muxed else 0) + wa
            self.area = self.height * self.width
            self.used_area = (self.area_array + ls_area + self.wl_decoder.area
                              + self.wl_decoder_driver.area + self.wl_new_decoder_driver.area
                              + self.sl_switch_matrix.area
                              + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
                              + self.multilevel_sense_amp.area + self.multilevel_sa_encoder.area
                              + self.adder.area + self.dff.area + self.shift_add_input.area
                              + self.shift_add_weight.area + self.sar_adc.area)
            self.empty_area = self.area - self.used_area
            self.area_adc = (self.multilevel_sense_amp.area + self.multilevel_sa_encoder.area
                             + self.sar_adc.area)
            self.area_accum = (self.adder.area + self.dff.area + self.shift_add_input.area
                               + self.shift_add_weight.area)
            self.area_other = (ls_area + self.wl_decoder.area + self.wl_new_decoder_driver.area
                               + self.wl_decoder_driver.area + self.sl_switch_matrix.area
                               + ((self.mux.area + self.mux_decoder.area) if muxed else 0))
            return
        if self.cmos_access:
            self.wl_new_switch_matrix.calculate_area(ha, 0, NONE)
        else:
            self.wl_switch_matrix.calculate_area(ha, 0, NONE)
        self.sl_switch_matrix.calculate_area(0, wa, NONE)
        self._area_mux_adc_accum(wa)
        buffer_area = self._buffer_area()
        add = self.num_add > 1
        self.height = (ls_height + self.sl_switch_matrix.height + ha
                       + (self.mux.height if muxed else 0) + self.multilevel_sense_amp.height
                       + self.multilevel_sa_encoder.height + self.shift_add_weight.height
                       + self.shift_add_input.height
                       + ((self.adder.height + self.dff.height) if add else 0)
                       + self.sar_adc.height)
        self.width = (max(ls_width + self.wl_new_switch_matrix.width + self.wl_switch_matrix.width,
                          self.mux_decoder.width if muxed else 0)
                      + wa + buffer_area / self.length_col)
        self.used_area = (self.area_array + ls_area + self.wl_switch_matrix.area
                          + self.wl_new_switch_matrix.area + self.sl_switch_matrix.area
                          + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
                          + self.multilevel_sense_amp.area + self.multilevel_sa_encoder.area
                          + self.shift_add_weight.area + self.shift_add_input.area
                          + ((self.adder.area + self.dff.area) if add else 0)
                          + self.sar_adc.area + buffer_area)
        self.area_adc = (self.multilevel_sense_amp.area + self.multilevel_sa_encoder.area
                         + self.sar_adc.area)
        self.area_accum = (self.shift_add_weight.area + self.shift_add_input.area
                           + ((self.adder.area + self.dff.area) if add else 0))
        self.area_other = (ls_area + self.wl_new_switch_matrix.area + self.wl_switch_matrix.area
                           + self.sl_switch_matrix.area
                           + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
                           + buffer_area)
        self.area = self.height * self.width
        self.empty_area = self.area - self.used_area

    def _area_mux(self, wa: float) -> None:
        if self.num_col_muxed > 1:
            self.mux.calculate_area(0, wa, NONE)
            self.mux_decoder.calculate_area(0, 0, NONE)
            min_mux_height = max(self.mux_decoder.height, self.mux.height)
            self.mux.calculate_area(min_mux_height, wa, OVERRIDE)

    def _area_mux_adc_accum(self, wa: float) -> None:
        """Column mux, ADC and accumulation circuits of the parallel-read designs."""
        self._area_mux(wa)
        if self.saradc:
            self.sar_adc.calculate_unit_area()
            self.sar_adc.calculate_area(0, wa, NONE)
        else:
            self.multilevel_sense_amp.calculate_area(0, wa, NONE)
            self.multilevel_sa_encoder.calculate_area(0, wa, NONE)
        if self.num_read_pulse > 1:
            self.shift_add_input.calculate_area(0, wa, NONE)
        if self.num_cell_per_synapse > 1:
            self.shift_add_weight.calculate_area(0, wa, NONE)
        if self.num_add > 1:
            self.adder.calculate_area(0, wa, NONE)
            self.dff.calculate_area(0, wa, NONE)

    def _buffer_area(self) -> float:
        """Word-line repeaters: two inverters per buffer per row."""
        tech, p = self.ctx.tech, self.ctx.param
        if p.buffernumber > 0:
            _, self.h_inv, self.w_inv = formula.calculate_gate_area(
                INV, 1, self.width_inv_n, self.width_inv_p, tech.feature_size * MAX_TRANSISTOR_HEIGHT,
                tech)
            self.drivecapin, self.drivecapout = formula.calculate_gate_capacitance(
                INV, 1, self.width_inv_n, self.width_inv_p, tech.feature_size * MAX_TRANSISTOR_HEIGHT,
                tech)
        else:
            self.w_inv = self.h_inv = 0.0
        return self.h_inv * self.w_inv * p.buffernumber * 2 * p.num_row_sub_array

    def area_tree(self):
        """Area of one subarray split into array / ADC / accumulation / other / empty."""
        from .contributions import Contribution, leaf
        parts = [leaf("array", self.area_array), leaf("ADC", self.area_adc),
                 leaf("accumulation", self.area_accum), leaf("other", self.area_other),
                 leaf("empty (bounding box)", self.area - self.area_array - self.area_adc
                      - self.area_accum - self.area_other)]
        return Contribution("subarray", self.area, parts, "sum")

    # ------------------------------------------------------------------------------------
    def _buffer_latency(self, cap_row: float) -> float:
        """Elmore delay of the repeated word line (repeater sections of ``sectionnum`` cells)."""
        p = self.ctx.param
        buffnum = p.buffernumber
        sectionnum = p.num_col_sub_array / (buffnum + 1)
        unitcap = cap_row / p.num_col_sub_array
        unitres = self.res_row / p.num_col_sub_array
        p.unitcap, p.unitres, p.drivecapin = unitcap, unitres, self.drivecapin
        r, cin, cout = self.targetdriveres, self.drivecapin, self.drivecapout
        t1 = (r * cout * 0.69 + unitcap * sectionnum * (0.69 * r + 0.38 * unitres * sectionnum)
              + (unitcap * sectionnum * 0.69 + 0.69 * r) * cin)
        t2 = r * cout * 0.69 + unitcap * sectionnum * (0.69 * r + 0.38 * unitres * sectionnum)
        t3 = (cout + cin) * r * 0.69
        latency = 0.0
        for it in range(buffnum - 1, -1, -1):
            latency += (t2 + t3) if it == 0 else (t1 + t3)
        return latency

    def _adc_latency(self, column_resistance) -> Any:
        """Converter latency of each vector (``self._adc_lat``: per vector or scalar)."""
        if self.saradc:
            self.sar_adc.calculate_latency(1)
            self._adc_lat = _per_vector(self.sar_adc, "read_latency")
        else:
            self.multilevel_sense_amp.calculate_latency(column_resistance, 1, 1)
            self.multilevel_sa_encoder.calculate_latency(1e20, 1)
            self._adc_lat = _per_vector(self.multilevel_sense_amp, "read_latency")
        return self._adc_lat

    def calculate_latency(self, ramp_input: float, column_resistance: Any,
                          calculate_clk_freq: bool) -> None:
        """``SubArray::CalculateLatency`` for the current ``activity_row_read`` (a scalar, or
        one value per input vector together with a 2-D ``column_resistance``)."""
        if not self.initialized:
            raise RuntimeError("SubArray.calculate_latency called before initialize")
        tech, p, cell = self.ctx.tech, self.ctx.param, self.ctx.cell
        act = self.activity_row_read
        beta = p.beta if self.validated else 1
        nrow, ncol, ncm, clk = self.num_row, self.num_col, self.num_col_muxed, self.clk_freq
        ncs, nrp = self.num_cell_per_synapse, self.num_read_pulse
        nwop = int(math.ceil(ncol * self.activity_col_write / self.num_write_cell_per_operation_neuro))
        self.read_latency = 0.0
        self.read_latency_adc = 0.0
        self.read_latency_accum = 0.0
        self.read_latency_other = 0.0
        self.write_latency = 0.0
        sync = bool(p.synchronous)
        mux_lat = lambda: (self.mux.read_latency + self.mux_decoder.read_latency) if ncm > 1 else 0  # noqa: E731
        if self.is_sram:
            nrop = int(math.ceil(ncol / self.num_read_cell_per_operation_neuro))
            if self.conventional_sequential:
                if calculate_clk_freq or not sync:
                    self.wl_decoder.calculate_latency(1e20, self.cap_row1, 0, self.res_row, ncol, 1,
                                                      nrow * self.activity_row_write)
                    self.precharger.calculate_latency(1e20, self.cap_col, 1,
                                                      nwop * nrow * self.activity_row_write)
                    self.sense_amp.calculate_latency(1)
                    self._sram_col_delay()
                    if calculate_clk_freq:
                        lat = 0.0
                        lat += self.wl_decoder.read_latency
                        lat += self.precharger.read_latency
                        lat += self.col_delay
                        lat += self.sense_amp.read_latency
                        lat *= beta
                        self.read_latency = lat
                if not calculate_clk_freq:
                    self.adder.calculate_latency(1e20, self.dff.cap_tg_drain, 1)
                    self.dff.calculate_latency(1e20, 1)
                    if ncs > 1:
                        self.shift_add_weight.calculate_latency(1)
                    if nrp > 1:
                        self.shift_add_input.calculate_latency(1)
                    if sync:
                        self.read_latency_adc = nrop * nrow * act
                        self.read_latency_accum = self.read_latency_accum + nrop * (nrow * act - 1) * (
                            math.ceil(self.adder.read_latency * clk) - 1)
                        self.read_latency_accum = self.read_latency_accum + _cmax(
                            math.ceil((self.shift_add_weight.adder.read_latency * (ncs - 1)
                                       + self.shift_add_input.adder.read_latency) * clk)
                            - (self.read_latency_adc + self.read_latency_accum), 0)
                    else:
                        self.read_latency_adc = ((self.precharger.read_latency + self.col_delay
                                                  + self.sense_amp.read_latency)
                                                 * nrop * nrow * act * beta)
                        self.read_latency_other = self.wl_decoder.read_latency * nrow * act * beta
                        self.read_latency_accum = _cmax(
                            self.adder.read_latency * (nrop * nrow * act - 1)
                            + self.shift_add_weight.adder.read_latency * (ncs - 1)
                            + self.shift_add_input.adder.read_latency
                            - self.read_latency_adc - self.read_latency_other, 0)
                    self.read_latency = (self.read_latency_adc + self.read_latency_accum
                                         + self.read_latency_other)
                return
            # conventional parallel
            if calculate_clk_freq or not sync:
                bufferlatency = 0.0
                if p.buffernumber > 0:
                    buffnum = p.buffernumber
                    sectionnum = p.num_col_sub_array / (buffnum + 1)
                    bufferlatency = self._buffer_latency(self.cap_row1)
                    self.wl_switch_matrix.calculate_latency(
                        1e20, self.cap_row1 / (buffnum + 1) + self.drivecapin,
                        p.unitres * sectionnum, 1, 2 * nwop * nrow * self.activity_row_write)
                else:
                    self.wl_switch_matrix.calculate_latency(1e20, self.cap_row1, self.res_row, 1,
                                                            2 * nwop * nrow * self.activity_row_write)
                self.precharger.calculate_latency(1e20, self.cap_col, 1,
                                                  nwop * nrow * self.activity_row_write)
                adc_lat = self._adc_latency(column_resistance)
                if ncm > 1:
                    self.mux.calculate_latency(0, 0, 1)
                    self.mux_decoder.calculate_latency(
                        1e20, self.mux.cap_tg_gate_n * (ncol // ncm),
                        self.mux.cap_tg_gate_p * (ncol // ncm), 0, 0, 1, 0)
                self._sram_col_delay()
                if calculate_clk_freq:
                    lat = 0.0
                    lat += max(self.wl_switch_matrix.read_latency + bufferlatency, mux_lat())
                    lat += self.precharger.read_latency
                    lat = lat + (adc_lat if not self.saradc else 0.0)
                    p.rowdelay = self.wl_switch_matrix.read_latency + bufferlatency
                    p.muxdelay = self.mux.read_latency + self.mux_decoder.read_latency
                    p.ad_clatency = float(np.max(self._adc_parts()[0]))
                    lat = lat + self.multilevel_sa_encoder.read_latency
                    lat = lat + (adc_lat if self.saradc else 0.0)
                    self.read_latency = lat * beta
            if not calculate_clk_freq:
                self._parallel_cycles(sync, beta, self.precharger.read_latency + self.col_delay,
                                      self.wl_switch_matrix.read_latency, mux_lat)
            return
        # eNVM / FeFET
        if self.conventional_sequential:
            tau = self.cap_col * cell.res_mem_cell_avg
            _, col_ramp = formula.horowitz(tau, 0, 1e20)
            self.col_delay = tau * 0.2
            if calculate_clk_freq or not sync:
                self.wl_decoder.calculate_latency(1e20, self.cap_row2, 0, self.res_row, ncol, 1,
                                                  2 * nwop * nrow * self.activity_row_write)
                if self.cmos_access:
                    self.wl_new_decoder_driver.calculate_latency(
                        self.wl_decoder.ramp_output, self.cap_row2, self.res_row, 1,
                        2 * nwop * nrow * self.activity_row_write)
                else:
                    self.wl_decoder_driver.calculate_latency(
                        self.wl_decoder.ramp_output, self.cap_row1, self.cap_row1, self.res_row, 1,
                        2 * nwop * nrow * self.activity_row_write)
                if ncm > 1:
                    self.mux.calculate_latency(col_ramp, 0, 1)
                    self.mux_decoder.calculate_latency(
                        1e20, self.mux.cap_tg_gate_n * (ncol // ncm),
                        self.mux.cap_tg_gate_p * (ncol // ncm), 0, 0, 1, 0)
                if self.saradc:
                    self.sar_adc.calculate_latency(1)
                    adc_lat = self._adc_lat = _per_vector(self.sar_adc, "read_latency")
                else:
                    self.multilevel_sense_amp.calculate_latency(column_resistance, 1, 1)
                    adc_lat = self._adc_lat = _per_vector(self.multilevel_sense_amp, "read_latency")
                    if self.avg_weight_bit > 1:
                        self.multilevel_sa_encoder.calculate_latency(1e20, 1)
                row_lat = (self.wl_decoder.read_latency + self.wl_new_decoder_driver.read_latency
                           + self.wl_decoder_driver.read_latency)
                if calculate_clk_freq:
                    lat = 0.0
                    lat += max(row_lat, mux_lat())
                    lat += self.col_delay
                    lat = lat + (adc_lat if not self.saradc else 0.0)
                    lat = lat + self.multilevel_sa_encoder.read_latency
                    lat = lat + (adc_lat if self.saradc else 0.0)
                    self.read_latency = lat * beta
            if not calculate_clk_freq:
                self.adder.calculate_latency(1e20, self.dff.cap_tg_drain, 1)
                self.dff.calculate_latency(1e20, 1)
                if ncs > 1:
                    self.shift_add_weight.calculate_latency(1)
                if nrp > 1:
                    self.shift_add_input.calculate_latency(1)
                if sync:
                    self.read_latency_adc = nrow * act * ncm
                    self._sync_accum(nrow * act - 1)
                else:
                    mlsa_l, sar_l = self._adc_parts()
                    adc_l = mlsa_l + self.multilevel_sa_encoder.read_latency + sar_l
                    self.read_latency_adc = (adc_l + self.col_delay) * (nrow * act * ncm) * beta
                    row_lat = (self.wl_decoder.read_latency + self.wl_new_decoder_driver.read_latency
                               + self.wl_decoder_driver.read_latency)
                    self.read_latency_other = _cmax(row_lat * nrow * act, mux_lat()) * ncm * beta
                    self.read_latency_accum = _cmax(
                        self.adder.read_latency * ncm * (nrow * act - 1)
                        + self.shift_add_weight.adder.read_latency * (ncs - 1) * (ncm // ncs)
                        + self.shift_add_input.adder.read_latency * (ncm // ncs)
                        - self.read_latency_adc - self.read_latency_other, 0)
                self.read_latency = (self.read_latency_adc + self.read_latency_accum
                                     + self.read_latency_other)
            return
        # eNVM conventional parallel
        tau = self.cap_col * _fdiv(cell.res_mem_cell_avg, self.num_row_parallel // 2)
        _, col_ramp = formula.horowitz(tau, 0, 1e20)
        self.col_delay = tau * 0.2
        if calculate_clk_freq or not sync:
            bufferlatency = 0.0
            if self.cmos_access:
                if p.buffernumber > 0:
                    buffnum = p.buffernumber
                    sectionnum = p.num_col_sub_array / (buffnum + 1)
                    bufferlatency = self._buffer_latency(self.cap_row2)
                    self.wl_new_switch_matrix.calculate_latency(
                        1e20, self.cap_row2 / (buffnum + 1) + self.drivecapin,
                        p.unitres * sectionnum, 1, 2 * nwop * nrow * self.activity_row_write)
                else:
                    self.wl_new_switch_matrix.calculate_latency(
                        1e20, self.cap_row2, self.res_row, 1, 2 * nwop * nrow * self.activity_row_write)
            else:
                self.wl_switch_matrix.calculate_latency(1e20, self.cap_row1, self.res_row, 1,
                                                        2 * nwop * nrow * self.activity_row_write)
            if ncm > 1:
                self.mux.calculate_latency(col_ramp, 0, 1)
                self.mux_decoder.calculate_latency(
                    1e20, self.mux.cap_tg_gate_n * (ncol // ncm),
                    self.mux.cap_tg_gate_p * (ncol // ncm), 0, 0, 1, 0)
            adc_lat = self._adc_latency(column_resistance)
            if calculate_clk_freq:
                row = (self.wl_new_switch_matrix.read_latency + self.wl_switch_matrix.read_latency
                       + bufferlatency)
                lat = 0.0
                lat += max(row, mux_lat())
                lat = lat + (adc_lat if not self.saradc else 0.0)
                lat = lat + self.multilevel_sa_encoder.read_latency
                lat = lat + (adc_lat if self.saradc else 0.0)
                self.read_latency = lat * beta
                p.rowdelay = row
                p.muxdelay = self.mux.read_latency + self.mux_decoder.read_latency
                p.ad_clatency = float(np.max(self._adc_parts()[0]))
        if not calculate_clk_freq:
            self._parallel_cycles(sync, beta, self.col_delay,
                                  self.wl_new_switch_matrix.read_latency
                                  + self.wl_switch_matrix.read_latency, mux_lat)

    def _adc_parts(self):
        """(MLSA, SAR) per-vector latencies of the last ``_adc_latency`` call."""
        lat = getattr(self, "_adc_lat", 0.0)
        return (0.0, lat) if self.saradc else (lat, 0.0)

    def _sram_col_delay(self) -> None:
        """SRAM bit-line Elmore delay to a swing of half the sense margin."""
        tech, cell = self.ctx.tech, self.ctx.cell
        res_pull_down = formula.calculate_on_resistance(
            cell.width_sram_cell_nmos * self._fin() * tech.feature_size, NMOS,
            self.ctx.input.temperature, tech)
        nrow = self.num_row
        bl_cap_per_cell = self.cap_col / nrow + self.cap_cell_access
        bl_res_per_cell = self.res_col / nrow
        elmore_bl = ((self.res_cell_access + res_pull_down) * bl_cap_per_cell * nrow
                     + bl_cap_per_cell * bl_res_per_cell * nrow * (nrow + 1) / 2)
        self.col_delay = elmore_bl * math.log(tech.vdd / (tech.vdd - cell.min_sense_voltage / 2))

    def _sync_accum(self, adds_per_col) -> None:
        """Accumulation cycles not hidden behind the ADC (synchronous mode)."""
        ncm, ncs, clk = self.num_col_muxed, self.num_cell_per_synapse, self.clk_freq
        acc = 0.0
        acc = acc + ncm * adds_per_col * (math.ceil(self.adder.read_latency * clk) - 1)
        if ncs > 1:
            acc = acc + (ncs - 1) * (ncm // ncs) * _cmax(
                math.ceil(self.shift_add_weight.adder.read_latency * clk)
                - (self.read_latency_adc + acc) / ncm, 0)
        if self.num_read_pulse > 1:
            acc = acc + (ncm // ncs) * _cmax(
                math.ceil(self.shift_add_input.adder.read_latency * clk)
                - (self.read_latency_adc + acc) / (ncm // ncs), 0)
        self.read_latency_accum = acc

    def _parallel_cycles(self, sync: bool, beta: float, sense_extra: float, row_latency: float,
                         mux_lat) -> None:
        """Second-pass latency of the parallel-read designs (cycle counts when synchronous)."""
        ncm, ncs, nadd = self.num_col_muxed, self.num_cell_per_synapse, self.num_add
        if nadd > 1:
            self.adder.calculate_latency(1e20, self.dff.cap_tg_drain, 1)
            self.dff.calculate_latency(1e20, 1)
        if ncs > 1:
            self.shift_add_weight.calculate_latency(1)
        if self.num_read_pulse > 1:
            self.shift_add_input.calculate_latency(1)
        if sync:
            self.read_latency_adc = ncm * nadd
            clk = self.clk_freq
            acc = 0.0
            if nadd > 1:
                acc += ncm * (nadd - 1) * (math.ceil(self.adder.read_latency * clk) - 1)
            if ncs > 1:
                acc += (ncs - 1) * (ncm // ncs) * max(
                    math.ceil(self.shift_add_weight.adder.read_latency * clk)
                    - (self.read_latency_adc + acc) / ncm, 0)
            if self.num_read_pulse > 1:
                acc += (ncm // ncs) * max(
                    math.ceil(self.shift_add_input.adder.read_latency * clk)
                    - (self.read_latency_adc + acc) / (ncm // ncs), 0)
            self.read_latency_accum = acc
        else:
            mlsa_l, sar_l = self._adc_parts()
            adc_l = mlsa_l + self.multilevel_sa_encoder.read_latency + sar_l
            if self.is_sram:
                self.read_latency_adc = (sense_extra + adc_l) * ncm * beta * nadd
            else:
                self.read_latency_adc = (adc_l + sense_extra) * ncm * beta * nadd
            self.read_latency_other = max(row_latency * nadd, mux_lat()) * ncm * beta
            self.read_latency_accum = max(
                self.adder.read_latency * ncm * (nadd - 1)
                + self.shift_add_weight.adder.read_latency * (ncs - 1) * (ncm // ncs)
                + self.shift_add_input.adder.read_latency * (ncm // ncs)
                - self.read_latency_adc - self.read_latency_other, 0)
        self.read_latency = self.read_latency_adc + self.read_latency_accum + self.read_latency_other

    # ------------------------------------------------------------------------------------
    def _adc_power(self, column_resistance, num_read) -> Any:
        """ADC energy of the vectors in ``column_resistance`` (per vector when 2-D)."""
        adc = self.sar_adc if self.saradc else self.multilevel_sense_amp
        res = np.asarray(column_resistance, dtype=float)
        if res.ndim == 2 and res.shape[0] > 1:
            adc.calculate_power(res, num_read)
            per = getattr(adc, "read_dynamic_energy_per_vector", None)
            if per is not None:
                return np.asarray(per, dtype=float)
            out = np.empty(res.shape[0])  # an ADC without the vector API: one call per vector
            for k in range(res.shape[0]):
                adc.calculate_power(res[k], num_read)
                out[k] = adc.read_dynamic_energy
            return out
        adc.calculate_power(res.reshape(-1) if res.ndim == 2 else res, num_read)
        return adc.read_dynamic_energy

    def calculate_power(self, column_resistance: Any) -> None:
        """``SubArray::CalculatePower`` for the current ``activity_row_read`` (scalar). With a
        2-D ``column_resistance`` (vectors x columns, all of this activity) the energies are
        per-vector arrays."""
        if not self.initialized:
            raise RuntimeError("SubArray.calculate_power called before initialize")
        tech, p, cell = self.ctx.tech, self.ctx.param, self.ctx.cell
        temp = self.ctx.input.temperature
        act = float(self.activity_row_read)
        nrow, ncol, ncm, nadd = self.num_row, self.num_col, self.num_col_muxed, self.num_add
        ncs, nrp = self.num_cell_per_synapse, self.num_read_pulse
        nreadcell = self.num_read_cell_per_operation_neuro
        vdd = tech.vdd
        self.read_dynamic_energy = 0.0
        self.write_dynamic_energy = 0.0
        self.read_dynamic_energy_array = 0.0
        nrop = ncol / nreadcell if ncol > nreadcell else 1
        nwcell = self.num_write_cell_per_operation_neuro
        nwop_f = (ncol * self.activity_col_write / nwcell
                  if ncol * self.activity_col_write > nwcell else 1)
        arw = self.activity_row_write
        muxed = ncm > 1
        if self.is_sram:
            fs, fin = tech.feature_size, self._fin()
            leak = formula.calculate_gate_leakage(
                INV, 1, cell.width_sram_cell_nmos * fin * fs, cell.width_sram_cell_pmos * fin * fs,
                temp, tech) * vdd * 2
            self.leakage_sram_in_use = leak
            leakage = leak * nrow * ncol
            if self.conventional_sequential:
                self.wl_decoder.calculate_power(nrow * act, nrow * arw)
                self.precharger.calculate_power(nrop * nrow * act, nwop_f * nrow * arw)
                self.sram_write_driver.calculate_power(nwop_f * nrow * arw)
                self.adder.calculate_power(nrop * nrow * act, nreadcell // ncs)
                self.dff.calculate_power(nrop * nrow * act,
                                         nreadcell // ncs * (math.ceil(math.log2(nrow)) / 2 + 1),
                                         p.validated)
                self.sense_amp.calculate_power(nrop * nrow * act)
                if ncs > 1:
                    self.shift_add_weight.calculate_power(ncs - 1)
                if nrp > 1:
                    self.shift_add_input.calculate_power(1)
                self.read_dynamic_energy_array = self.cap_row1 * vdd * vdd * nrow * act
                e = 0.0
                e += self.wl_decoder.read_dynamic_energy
                e += self.precharger.read_dynamic_energy
                e += self.read_dynamic_energy_array
                e += self.adder.read_dynamic_energy
                e += self.dff.read_dynamic_energy
                e += self.sense_amp.read_dynamic_energy
                e += self.shift_add_weight.read_dynamic_energy + self.shift_add_input.read_dynamic_energy
                self.read_dynamic_energy = e
                self.read_dynamic_energy_adc = (self.precharger.read_dynamic_energy
                                                + self.read_dynamic_energy_array
                                                + self.sense_amp.read_dynamic_energy)
                self.read_dynamic_energy_accum = (self.adder.read_dynamic_energy
                                                  + self.dff.read_dynamic_energy
                                                  + self.shift_add_weight.read_dynamic_energy
                                                  + self.shift_add_input.read_dynamic_energy)
                self.read_dynamic_energy_other = self.wl_decoder.read_dynamic_energy
                leakage += self.wl_decoder.leakage
                leakage += self.precharger.leakage
                leakage += self.sram_write_driver.leakage
                leakage += self.sense_amp.leakage
                leakage += self.dff.leakage
                leakage += self.adder.leakage
                leakage += self.shift_add_weight.leakage + self.shift_add_input.leakage
                self.leakage = leakage
                self.leakage_sram_in_use *= (nrow - 1) * ncol
                return
            # SRAM conventional parallel
            self.wl_switch_matrix.calculate_power(ncm, 2 * nwop_f * nrow * arw, act,
                                                  self.activity_col_write)
            self.precharger.calculate_power(ncm * nadd, nwop_f * nrow * arw)
            self.sram_write_driver.calculate_power(nwop_f * nrow * arw)
            p.reference_energy_peri = self.cap_row1 / p.num_col_sub_array * vdd * vdd * nrow
            if muxed:
                self.mux.calculate_power(ncm)
                self.mux_decoder.calculate_power(ncm, 1)
            adc_e = self._parallel_adc_power(column_resistance)
            self._partial_sum_power()
            arr = self.cap_row1 * vdd * vdd * nrow * act
            arr += (self.drivecapin + self.drivecapout) * vdd * vdd * p.buffernumber * 2 * nrow * act
            arr *= ncm
            self.read_dynamic_energy_array = arr
            e = 0.0
            e += self.wl_switch_matrix.read_dynamic_energy
            e += arr
            e = e + (adc_e if not self.saradc else 0.0)
            e += self.multilevel_sa_encoder.read_dynamic_energy
            e += self.mux.read_dynamic_energy if muxed else 0
            e += self.mux_decoder.read_dynamic_energy if muxed else 0
            e += self.adder.read_dynamic_energy
            e += self.dff.read_dynamic_energy
            e += self.shift_add_weight.read_dynamic_energy + self.shift_add_input.read_dynamic_energy
            e = e + (adc_e if self.saradc else 0.0)
            self.read_dynamic_energy = e
            mlsa_e = adc_e if not self.saradc else 0.0
            sar_e = adc_e if self.saradc else 0.0
            self.read_dynamic_energy_adc = (arr + mlsa_e + self.multilevel_sa_encoder.read_dynamic_energy
                                            + sar_e)
            self.read_dynamic_energy_accum = (self.shift_add_weight.read_dynamic_energy
                                              + self.shift_add_input.read_dynamic_energy
                                              + self.adder.read_dynamic_energy
                                              + self.dff.read_dynamic_energy)
            self.read_dynamic_energy_other = (self.wl_switch_matrix.read_dynamic_energy
                                              + ((self.mux.read_dynamic_energy
                                                  + self.mux_decoder.read_dynamic_energy)
                                                 if muxed else 0))
            leakage += self.wl_switch_matrix.leakage
            leakage += self.precharger.leakage
            leakage += self.sram_write_driver.leakage
            leakage += self.multilevel_sense_amp.leakage
            leakage += self.multilevel_sa_encoder.leakage
            leakage += self.shift_add_weight.leakage + self.shift_add_input.leakage
            leakage += self.dff.leakage
            leakage += self.adder.leakage
            leakage += self.mux.leakage if muxed else 0
            leakage += self.mux_decoder.leakage if muxed else 0
            self.leakage = leakage
            self.leakage_sram_in_use *= (nrow * ncol - self.num_row_parallel * (ncol // ncm))
            return
        # eNVM / FeFET
        self.leakage_sram_in_use = 0.0
        num_read_cells = float(int(math.ceil(ncol / ncm)))
        nwop = int(math.ceil(ncol * self.activity_col_write / nwcell))
        cap_bl = self.length_col * 0.2e-15 / 1e-6
        if self.conventional_sequential:
            num_write_cells = float(ncol)
            self.wl_decoder.calculate_power(nrow * act * ncm, 2 * nwop * nrow * arw)
            if self.cmos_access:
                self.wl_new_decoder_driver.calculate_power(nrow * act * ncm, 2 * nwop * nrow * arw)
            else:
                self.wl_decoder_driver.calculate_power(num_read_cells, num_write_cells,
                                                       nrow * act * ncm, 2 * nwop * nrow * arw)
            self.sl_switch_matrix.calculate_power(0, 2 * nwop * nrow * arw, act,
                                                  self.activity_col_write)
            if muxed:
                self.mux.calculate_power(ncm)
                self.mux_decoder.calculate_power(ncm, 1)
            adc_e = self._adc_power(column_resistance, nrow * act)
            if not self.saradc and self.avg_weight_bit > 1:
                self.multilevel_sa_encoder.calculate_power(nrow * act * ncm)
            self.adder.calculate_power(ncm * nrow * act, num_read_cells)
            self.dff.calculate_power(ncm * nrow * act, num_read_cells * (
                math.ceil(math.log2(nrow)) / 2 + self.avg_weight_bit), p.validated)
            if ncs > 1:
                self.shift_add_weight.calculate_power((ncs - 1) * (ncm // ncs))
            if nrp > 1:
                self.shift_add_input.calculate_power(ncm // ncs)
            arr = 0.0
            arr += cap_bl * cell.read_voltage * cell.read_voltage * num_read_cells
            arr += self.cap_row2 * vdd * vdd
            arr *= nrow * act * ncm
            self.read_dynamic_energy_array = arr
            mux_e = (self.mux.read_dynamic_energy + self.mux_decoder.read_dynamic_energy) if muxed else 0
            e = 0.0
            e += self.wl_decoder.read_dynamic_energy
            e += self.wl_new_decoder_driver.read_dynamic_energy
            e += self.wl_decoder_driver.read_dynamic_energy
            e += mux_e
            e += self.adder.read_dynamic_energy
            e += self.dff.read_dynamic_energy
            e += self.shift_add_weight.read_dynamic_energy + self.shift_add_input.read_dynamic_energy
            e += arr
            mlsa_e = adc_e if not self.saradc else 0.0
            sar_e = adc_e if self.saradc else 0.0
            e = e + (mlsa_e + self.multilevel_sa_encoder.read_dynamic_energy)
            e = e + sar_e
            self.read_dynamic_energy = e
            self.read_dynamic_energy_adc = (arr + mlsa_e + self.multilevel_sa_encoder.read_dynamic_energy
                                            + sar_e)
            self.read_dynamic_energy_accum = (self.adder.read_dynamic_energy
                                              + self.dff.read_dynamic_energy
                                              + self.shift_add_weight.read_dynamic_energy
                                              + self.shift_add_input.read_dynamic_energy)
            self.read_dynamic_energy_other = (self.wl_decoder.read_dynamic_energy
                                              + self.wl_new_decoder_driver.read_dynamic_energy
                                              + self.wl_decoder_driver.read_dynamic_energy + mux_e)
            leakage = 0.0
            leakage += self.wl_decoder.leakage
            leakage += self.wl_decoder_driver.leakage
            leakage += self.wl_new_decoder_driver.leakage
            leakage += self.sl_switch_matrix.leakage
            leakage += self.mux.leakage if muxed else 0
            leakage += self.mux_decoder.leakage if muxed else 0
            leakage += self.multilevel_sense_amp.leakage
            leakage += self.multilevel_sa_encoder.leakage
            leakage += self.dff.leakage
            leakage += self.adder.leakage
            leakage += self.shift_add_weight.leakage + self.shift_add_input.leakage
            self.leakage = leakage
            return
        # eNVM conventional parallel
        if self.cmos_access:
            self.wl_new_switch_matrix.calculate_power(ncm, 2 * nwop * nrow * arw, act)
        else:
            self.wl_switch_matrix.calculate_power(ncm, 2 * nwop * nrow * arw, act,
                                                  self.activity_col_write)
        self.sl_switch_matrix.calculate_power(0, 2 * nwop * nrow * arw, act, self.activity_col_write)
        if muxed:
            self.mux.calculate_power(ncm)
            self.mux_decoder.calculate_power(ncm, 1)
        adc_e = self._parallel_adc_power(column_resistance)
        self._partial_sum_power()
        arr = 0.0
        arr += self.cap_row2 * vdd * vdd * nrow * act
        arr += (self.drivecapin + self.drivecapout) * vdd * vdd * p.buffernumber * 2 * nrow * act
        arr *= ncm
        self.read_dynamic_energy_array = arr
        mux_e = (self.mux.read_dynamic_energy + self.mux_decoder.read_dynamic_energy) if muxed else 0
        mlsa_e = adc_e if not self.saradc else 0.0
        sar_e = adc_e if self.saradc else 0.0
        e = 0.0
        e += self.wl_new_switch_matrix.read_dynamic_energy
        e += self.wl_switch_matrix.read_dynamic_energy
        e += self.adder.read_dynamic_energy
        e += self.dff.read_dynamic_energy
        e += mux_e
        e = e + mlsa_e
        e += self.multilevel_sa_encoder.read_dynamic_energy
        e += self.shift_add_weight.read_dynamic_energy + self.shift_add_input.read_dynamic_energy
        e += arr
        e = e + sar_e
        self.read_dynamic_energy = e
        self.read_dynamic_energy_adc = (arr + mlsa_e + self.multilevel_sa_encoder.read_dynamic_energy
                                        + sar_e)
        self.read_dynamic_energy_accum = (self.shift_add_weight.read_dynamic_energy
                                          + self.shift_add_input.read_dynamic_energy
                                          + self.adder.read_dynamic_energy
                                          + self.dff.read_dynamic_energy)
        self.read_dynamic_energy_other = (self.wl_new_switch_matrix.read_dynamic_energy
                                          + self.wl_switch_matrix.read_dynamic_energy + mux_e)
        leakage = 0.0
        leakage += formula.calculate_gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, temp,
                                                  tech) * p.buffernumber * 2 * p.num_row_sub_array
        leakage += self.wl_switch_matrix.leakage
        leakage += self.wl_new_switch_matrix.leakage
        leakage += self.sl_switch_matrix.leakage
        leakage += self.mux.leakage if muxed else 0
        leakage += self.mux_decoder.leakage if muxed else 0
        leakage += self.multilevel_sense_amp.leakage
        leakage += self.multilevel_sa_encoder.leakage
        leakage += self.shift_add_weight.leakage + self.shift_add_input.leakage
        leakage += self.dff.leakage
        leakage += self.adder.leakage
        self.leakage = leakage

    def _parallel_adc_power(self, column_resistance) -> Any:
        ncm, nadd = self.num_col_muxed, self.num_add
        adc_e = self._adc_power(column_resistance, nadd)
        if not self.saradc:
            self.multilevel_sa_encoder.calculate_power(ncm * nadd)
        return adc_e

    def _partial_sum_power(self) -> None:
        ncm, nadd, ncs, ncol = self.num_col_muxed, self.num_add, self.num_cell_per_synapse, self.num_col
        if nadd > 1:
            self.adder.calculate_power(ncm * (nadd - 1), ncol // ncm)
            self.dff.calculate_power(ncm * (nadd - 1), (ncol // ncm) * (
                math.log2(self.level_output) + math.ceil(math.log2(nadd)) / 2), self.ctx.param.validated)
        if ncs > 1:
            self.shift_add_weight.calculate_power((ncs - 1) * (ncm // ncs))
        if self.num_read_pulse > 1:
            self.shift_add_input.calculate_power(ncm // ncs)

    # ------------------------------------------------------------------------------------
    def column_model(self) -> ColumnModel:
        if self._column_model is None:
            self._column_model = column_model_from_context(self.ctx, self.res_cell_access)
        return self._column_model

    def evaluate_vectors(self, input_bits: np.ndarray, memory: np.ndarray,
                         calculate_clk_freq: bool) -> VectorSums:
        """All input vectors of one subarray at once: what the per-vector loop of
        ``ProcessingUnitCalculatePerformance`` accumulates.

        ``input_bits``: rows x num_in_vector (0/1); ``memory``: rows x cols conductances.
        The row activity and column resistances of all vectors come from one matrix
        product; the circuits whose energy depends on the activity are evaluated once per
        distinct activity, the ADC once per vector (vectorized).
        """
        if not self.initialized:
            raise RuntimeError("SubArray.evaluate_vectors called before initialize")
        p = self.ctx.param
        bits = np.asarray(input_bits)
        nvec = bits.shape[1]
        out = VectorSums()
        if nvec == 0:
            return out
        counts = np.count_nonzero(bits, axis=0)
        activity = activity_row_read(bits, p.num_row_sub_array)
        col_res = self.column_model().column_resistance(bits, memory)
        self.level_output = int(p.level_output if p.parallel_read else math.pow(2, p.cell_bit))
        # latency: every formula takes the per-vector activity as an array
        self.activity_row_read = activity
        self.calculate_latency(1e20, col_res, calculate_clk_freq)
        lat = np.broadcast_to(np.asarray(self.read_latency, dtype=float), (nvec,))
        out.max_read_latency_s = float(lat.max())
        if calculate_clk_freq:
            self.activity_row_read = float(activity[-1])
            return out
        parts = {k: np.broadcast_to(np.asarray(getattr(self, k), dtype=float), (nvec,))
                 for k in ("read_latency_adc", "read_latency_accum", "read_latency_other")}
        out.read_latency_s = _seq_sum(lat)
        out.read_latency_adc_s = _seq_sum(parts["read_latency_adc"])
        out.read_latency_accum_s = _seq_sum(parts["read_latency_accum"])
        out.read_latency_other_s = _seq_sum(parts["read_latency_other"])
        # energy: one evaluation per distinct activity, the last vector's group last
        energy = {k: np.empty(nvec) for k in ("read_dynamic_energy", "read_dynamic_energy_adc",
                                               "read_dynamic_energy_accum",
                                               "read_dynamic_energy_other")}
        uniq = np.unique(counts)
        last = counts[-1]
        order = [u for u in uniq if u != last] + [last]
        for u in order:
            idx = np.flatnonzero(counts == u)
            self.activity_row_read = float(activity[idx[0]])
            self.calculate_power(col_res[idx])
            for k, arr in energy.items():
                arr[idx] = getattr(self, k)
        out.read_dynamic_energy_j = _seq_sum(energy["read_dynamic_energy"])
        out.read_dynamic_energy_adc_j = _seq_sum(energy["read_dynamic_energy_adc"])
        out.read_dynamic_energy_accum_j = _seq_sum(energy["read_dynamic_energy_accum"])
        out.read_dynamic_energy_other_j = _seq_sum(energy["read_dynamic_energy_other"])
        out.leakage_w = float(self.leakage)
        out.leakage_sram_in_use_w = float(self.leakage_sram_in_use)
        return out
