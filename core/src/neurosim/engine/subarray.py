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


from ..errors import ConfigError, RejectedConfiguration
from ..primitives import formula
from ..primitives.constants import (
    MAX_TRANSISTOR_HEIGHT,
    MIN_GAP_BET_GATE_POLY,
    NMOS,
    PMOS,
    POLY_WIDTH,
    AreaModify,
    CellAccessType,
    DecoderMode,
    MemCellType,
    SpikingMode,
)
from ..primitives.function_unit import FunctionUnit
from .array_activity import ColumnModel, column_model_from_context
from .compat_bugs import register_bug
from .subarray_area import SubArrayArea
from .subarray_latency import SubArrayLatency, _fdiv
from .subarray_power import SubArrayPower
from .subarray_vectors import SubArrayVectors

NONE, MAGIC, OVERRIDE = AreaModify.NONE, AreaModify.MAGIC, AreaModify.OVERRIDE
HALF_PARALLEL_ROWS_BUG = register_bug(
    "subarray_half_parallel_rows_int_division",
    "SubArray divides by numRowParallel/2 in int arithmetic (mux on-resistance and the eNVM "
    "column RC of parallel reads): odd numRowParallel is rounded down and numRowParallel = 1 "
    "gives a division by zero (infinite resistance / delay); corrected: numRowParallel/2.0",
)
ROW_MODE, COL_MODE = 0, 1  # SwitchMatrix / DecoderDriver modes (NeuroSim typedef.h)


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


class SubArray(SubArrayArea, SubArrayLatency, SubArrayPower, SubArrayVectors, FunctionUnit):
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
        adc = c("adc")(ctx)
        # the ADC contract (see MultilevelSenseAmp / SarADC): a converter with an encoder is
        # wired as NeuroSim's flash MLSA, one without as its SAR ADC
        self.saradc = not getattr(adc, "needs_encoder", True)
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
            raise ConfigError(
                f"operation_mode = {mode}: the BNN/XNOR modes (3-6) are not "
                "supported by this subarray model; use 1 or 2"
            )
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
        self.num_col_muxed = min(self.num_col_muxed, self.num_col)
        n = self.num_col
        self.num_read_cell_per_operation_fpga = n
        self.num_write_cell_per_operation_fpga = n
        self.num_read_cell_per_operation_memory = n
        self.num_write_cell_per_operation_memory = n // 8
        self.num_read_cell_per_operation_neuro = n
        self.num_write_cell_per_operation_neuro = n
        self.fpga = False

    def half_parallel_rows(self) -> float:
        """``numRowParallel/2``, the rows assumed conducting in a parallel read; an integer
        division in NeuroSim (0 for one parallel row, giving an infinite resistance)."""
        if self.ctx.bug(HALF_PARALLEL_ROWS_BUG):
            return self.num_row_parallel // 2
        return self.num_row_parallel / 2

    def _check_mux_sizing(self) -> None:
        """The SRAM column mux is sized for ``numRowParallel/2`` conducting rows; with one
        parallel row NeuroSim's integer division makes that 0, an infinite target resistance,
        which a FinFET/GAA node rounds to zero fins (a planar node clamps the width to 1 F):
        the mux then has an infinite resistance and delay, which sets an infinite clock
        period in synchronous mode. Refused there with the reason; in asynchronous mode the
        C++ estimates finite figures (its ``MAX(NaN, 0)`` keeps the 0 it started from:
        checked against the C++ on Micro at 14 nm with SRAM buffers)."""
        if (self.half_parallel_rows() == 0 and self.ctx.tech.nonplanar
                and self.ctx.param.synchronous):
            raise RejectedConfiguration(
                f"parallel_rows (numRowParallel) = {self.num_row_parallel} with SRAM and "
                f"col_mux = {self.num_col_muxed} at a FinFET/GAA node: NeuroSim V1.4 sizes the "
                "column mux for numRowParallel/2 conducting rows in integer arithmetic (0 here, "
                "compat bug subarray_half_parallel_rows_int_division), so its transmission "
                "gates get zero fins and an infinite delay (an infinite clock period in "
                "synchronous mode); use parallel_rows >= 2, col_mux = 1 or compat_bugs = false")

    def initialize_for_pe(self) -> None:
        """What ``ProcessingUnitInitialize`` does to the subarray: options, ``Initialize``
        with Param's geometry and ``CalculateArea``."""
        self.configure_from_param()
        p = self.ctx.param
        self.initialize(
            int(p.num_row_sub_array), int(p.num_col_sub_array), float(p.unit_length_wire_resistance)
        )
        self.calculate_area()

    # ------------------------------------------------------------------------------------
    def _fin(self) -> int:
        """NeuroSim's ``(featureSize <= 14 nm) ? 2 : 1`` width factor of FinFET/GAA nodes."""
        return 2 if self.ctx.tech.nonplanar else 1

    def initialize(self, num_row: int, num_col: int, unit_wire_res: float) -> None:
        """``SubArray::Initialize``: array geometry, wire parasitics and the peripherals."""
        ctx, tech, cell, p = self.ctx, self.ctx.tech, self.ctx.cell, self.ctx.param
        if not hasattr(self, "conventional_parallel"):
            self.configure_from_param()
        self.num_row, self.num_col, self.unit_wire_res = int(num_row), int(num_col), unit_wire_res
        num_row, num_col = self.num_row, self.num_col
        fs = tech.feature_size
        fin = self._fin()
        temp = ctx.input.temperature
        min_cell_height = MAX_TRANSISTOR_HEIGHT
        min_cell_width = (MIN_GAP_BET_GATE_POLY + POLY_WIDTH) * 2
        if tech.nonplanar:  # the node's cell height and array CPP (tech.layout)
            min_cell_height *= tech.layout.max_transistor_height / MAX_TRANSISTOR_HEIGHT
            min_cell_width *= tech.layout.array_cpp / (MIN_GAP_BET_GATE_POLY + POLY_WIDTH)
        # (the C++ also rescales an unused isolation-region width here)
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
                self.length_row = (
                    num_col
                    * (max(cw, min_cell_width * 2) if self.relax_array_cell_width else cw)
                    * fs
                )
                self.length_col = (
                    num_row
                    * (max(ch, min_cell_height) if self.relax_array_cell_height else ch)
                    * fs
                )
            else:
                self.length_row = num_col * (
                    max(cw * cfs, min_cell_width * 2 * fs)
                    if self.relax_array_cell_width
                    else cw * cfs
                )
                self.length_col = num_row * (
                    max(ch * cfs, min_cell_height * fs)
                    if self.relax_array_cell_height
                    else ch * cfs
                )
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
            self.cap_cell_access = formula.calculate_drain_cap(
                wacc, NMOS, MAX_TRANSISTOR_HEIGHT * fs, tech
            )
            p.unitcap = self.cap_row1 / p.num_col_sub_array
            p.unitres = self.res_row / p.num_col_sub_array
            if tech.nonplanar:
                self.cap_col += (
                    tech.cap_draintotal * cell.width_access_cmos * tech.effective_width * num_row
                )
            else:
                self.cap_col += (
                    formula.calculate_drain_cap(wacc, NMOS, MAX_TRANSISTOR_HEIGHT * fs, tech)
                    * num_row
                )
            p.columncap = self.cap_col
            if self.conventional_sequential:
                self.cap_row1 += 2 * formula.calculate_gate_cap(wacc, tech) * num_col
                self.wl_decoder.initialize(
                    DecoderMode.REGULAR_ROW, math.ceil(math.log2(num_row)), False, False
                )
                self.sense_amp.initialize(
                    num_col, False, cell.min_sense_voltage, self.length_row / num_col, clk, nread
                )
                adder_bit = math.ceil(math.log2(num_row)) + 1
                num_adder = num_col // self.num_cell_per_synapse
                self.dff.initialize(adder_bit * num_col, clk)
                self.adder.initialize(adder_bit - 1, num_col, clk)
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.initialize(
                        num_adder, adder_bit, clk, self.spiking_mode, self.num_cell_per_synapse
                    )
                if self.num_read_pulse > 1:
                    self.shift_add_input.initialize(
                        num_adder,
                        adder_bit + self.num_cell_per_synapse,
                        clk,
                        self.spiking_mode,
                        self.num_read_pulse,
                    )
            else:  # conventional parallel
                self.cap_row1 += formula.calculate_gate_cap(wacc, tech) * num_col
                res = self.res_row
                if p.buffernumber > 0:
                    self._size_buffers()
                    res = self.sectionres
                self.wl_switch_matrix.initialize(
                    ROW_MODE,
                    num_row,
                    res,
                    True,
                    False,
                    self.activity_row_read,
                    self.activity_col_write,
                    self.num_write_cell_per_operation_memory,
                    self.num_write_cell_per_operation_neuro,
                    1,
                    clk,
                )
                if ncm > 1:
                    p.res_cell_access = self.res_cell_access
                    self._check_mux_sizing()
                    self.mux.initialize(
                        num_col // ncm,
                        ncm,
                        _fdiv(self.res_cell_access, self.half_parallel_rows()),
                        self.fpga,
                    )
                    self.mux_decoder.initialize(
                        DecoderMode.REGULAR_ROW, math.ceil(math.log2(ncm)), True, False
                    )
                self._initialize_adc(True)
                self._initialize_partial_sums()
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.initialize(
                        num_col // ncm,
                        int(math.log2(self.level_output) + math.ceil(math.log2(self.num_add))),
                        clk,
                        self.spiking_mode,
                        self.num_cell_per_synapse,
                    )
                if self.num_read_pulse > 1:
                    self.shift_add_input.initialize(
                        num_col // ncm,
                        int(math.log2(self.level_output) + math.ceil(math.log2(self.num_add)))
                        + self.num_cell_per_synapse,
                        clk,
                        self.spiking_mode,
                        self.num_read_pulse,
                    )
            self.precharger.initialize(
                num_col,
                self.res_col,
                self.activity_col_write,
                nread,
                self.num_write_cell_per_operation_neuro,
            )
            self.sram_write_driver.initialize(
                num_col, self.activity_col_write, self.num_write_cell_per_operation_neuro
            )
        else:
            if self.cmos_access:
                wacc = cell.width_access_cmos * fin * fs
                self.cap_row2 += formula.calculate_gate_cap(wacc, tech) * num_col
                p.unitcap = self.cap_row2 / p.num_col_sub_array
                p.unitres = self.res_row / p.num_col_sub_array
                self.cap_col += (
                    formula.calculate_drain_cap(wacc, NMOS, MAX_TRANSISTOR_HEIGHT * fs, tech)
                    * num_row
                )
                p.columncap = self.cap_col
            if cell.write_voltage > 1.5:
                self.wllevelshifter.initialize(num_row, self.activity_row_read, clk)
                self.bllevelshifter.initialize(num_row, self.activity_row_read, clk)
                self.sllevelshifter.initialize(num_col, self.activity_col_write, clk)
            wm, wn = (
                self.num_write_cell_per_operation_memory,
                self.num_write_cell_per_operation_neuro,
            )
            if self.conventional_sequential:
                num_adder = num_col // ncm
                res_tg = cell.res_mem_cell_on
                adder_bit = math.ceil(math.log2(num_row)) + self.avg_weight_bit
                self.wl_decoder.initialize(
                    DecoderMode.REGULAR_ROW, math.ceil(math.log2(num_row)), False, False
                )
                if self.cmos_access:
                    self.wl_new_decoder_driver.initialize(num_row)
                else:
                    self.wl_decoder_driver.initialize(ROW_MODE, num_row, num_col)
                self.sl_switch_matrix.initialize(
                    COL_MODE,
                    num_col,
                    res_tg,
                    True,
                    False,
                    self.activity_row_read,
                    self.activity_col_write,
                    wm,
                    wn,
                    1,
                    clk,
                )
                if ncm > 1:
                    self.mux.initialize(num_adder, ncm, res_tg, self.fpga)
                    self.mux_decoder.initialize(
                        DecoderMode.REGULAR_ROW, math.ceil(math.log2(ncm)), True, False
                    )
                levels = int(math.pow(2, self.avg_weight_bit))
                if self.saradc:
                    self.sar_adc.initialize(num_col // ncm, levels, clk, nread)
                else:
                    self.multilevel_sense_amp.initialize(
                        num_col // ncm, levels, clk, nread, False, self.current_mode
                    )
                    if self.avg_weight_bit > 1:
                        self.multilevel_sa_encoder.initialize(levels, num_col // ncm)
                self.dff.initialize(adder_bit * num_adder, clk)
                self.adder.initialize(adder_bit - 1, num_adder, clk)
                shift = (self.num_cell_per_synapse - 1) * self.avg_weight_bit + 1
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.initialize(
                        num_adder, adder_bit, clk, self.spiking_mode, shift
                    )
                if self.num_read_pulse > 1:
                    self.shift_add_input.initialize(
                        num_adder, adder_bit + shift, clk, self.spiking_mode, self.num_read_pulse
                    )
            else:  # conventional parallel
                res_tg = cell.res_mem_cell_avg / self.num_row_parallel
                if self.cmos_access:
                    self.wl_new_switch_matrix.initialize(num_row, self.activity_row_read, clk)
                    if p.buffernumber > 0:
                        self._size_buffers()
                else:
                    self.wl_switch_matrix.initialize(
                        ROW_MODE,
                        num_row,
                        res_tg * num_row / num_col,
                        True,
                        False,
                        self.activity_row_read,
                        self.activity_col_write,
                        wm,
                        wn,
                        1,
                        clk,
                    )
                self.sl_switch_matrix.initialize(
                    COL_MODE,
                    num_col,
                    res_tg * num_row,
                    True,
                    False,
                    self.activity_row_read,
                    self.activity_col_write,
                    wm,
                    wn,
                    1,
                    clk,
                )
                if ncm > 1:
                    self.mux.initialize(num_col // ncm, ncm, res_tg, self.fpga)
                    self.mux_decoder.initialize(
                        DecoderMode.REGULAR_ROW, math.ceil(math.log2(ncm)), True, False
                    )
                self._initialize_adc(True)
                self._initialize_partial_sums()
                if self.num_cell_per_synapse > 1:
                    self.shift_add_weight.initialize(
                        num_col // ncm,
                        int(math.log2(self.level_output)),
                        clk,
                        self.spiking_mode,
                        self.num_cell_per_synapse,
                    )
                if self.num_read_pulse > 1:
                    self.shift_add_input.initialize(
                        num_col // ncm,
                        int(math.log2(self.level_output) + self.num_cell_per_synapse),
                        clk,
                        self.spiking_mode,
                        self.num_read_pulse,
                    )
        self._column_model = None
        self._power_cache = {}  # circuit energies per row activity (see _circuit_power)
        self.initialized = True

    def _size_buffers(self) -> None:
        """Repeaters on the word line (2 nm / 1 nm): section resistance and inverter sizes."""
        tech, p, temp = self.ctx.tech, self.ctx.param, self.ctx.input.temperature
        fs, fin = tech.feature_size, self._fin()
        self.sectionres = self.res_row / (p.buffernumber + 1)
        self.targetdriveres = formula.calculate_on_resistance(
            fin * fs * p.buffersizeratio, NMOS, temp, tech
        )
        self.width_inv_n = (
            formula.calculate_on_resistance(fin * fs, NMOS, temp, tech) / self.targetdriveres * fs
        )
        self.width_inv_p = (
            formula.calculate_on_resistance(fin * fs, PMOS, temp, tech) / self.targetdriveres * fs
        )
        if tech.nonplanar:
            self.width_inv_n = 2 * math.ceil(self.width_inv_n / fs) * fs
            self.width_inv_p = 2 * math.ceil(self.width_inv_p / fs) * fs

    def _initialize_adc(self, parallel: bool) -> None:
        ncm, clk = self.num_col_muxed, self.clk_freq
        nread = self.num_read_cell_per_operation_neuro
        if self.saradc:
            self.sar_adc.initialize(self.num_col // ncm, self.level_output, clk, nread)
        else:
            self.multilevel_sense_amp.initialize(
                self.num_col // ncm, self.level_output, clk, nread, parallel, self.current_mode
            )
            self.multilevel_sa_encoder.initialize(self.level_output, self.num_col // ncm)

    def _initialize_partial_sums(self) -> None:
        adder_bit = int(math.log2(self.level_output) + math.ceil(math.log2(self.num_add)))
        num_adder = self.num_col // self.num_col_muxed
        if self.num_add > 1:
            self.dff.initialize(adder_bit * num_adder, self.clk_freq)
            self.adder.initialize(adder_bit - 1, num_adder, self.clk_freq)

    # ------------------------------------------------------------------------------------
    def column_model(self) -> ColumnModel:
        if self._column_model is None:
            self._column_model = column_model_from_context(self.ctx, self.res_cell_access)
        return self._column_model
