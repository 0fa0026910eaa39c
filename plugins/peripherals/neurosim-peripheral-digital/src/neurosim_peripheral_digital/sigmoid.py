"""Look-up-table sigmoid activation (NeuroSim V1.4 ``Sigmoid``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.errors import RejectedConfiguration
from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NMOS,
    AreaModify,
    DecoderMode,
)
from neurosim.primitives.function_unit import (
    FunctionUnit,
    apply_area_option,
    finfet_width_factor,
    require_initialized,
)

from .bugs import SIGMOID_DECODER_LOAD_SLOT
from .common import add_sram_cell_loads, cycles

#: wire capacitance per metre (0.2 fF/um), as NeuroSim writes it
_WIRE_CAP_PER_M = 0.2e-15 / 1e-6


def _check_sense_margin(cell: Any) -> None:
    """An SRAM table needs the cell's sense margin: NeuroSim V1.4 leaves it at 0 in eNVM
    cells, and its sense amplifier then takes ``log(vdd / 0)``, an infinite latency."""
    if not cell.min_sense_voltage > 0:
        raise RejectedConfiguration(
            "relu = false (reLu=0, a sigmoid look-up table) with activation_sram = true "
            "(Activationtype=1) on an eNVM chip: NeuroSim V1.4 leaves the cell's "
            "minSenseVoltage at 0 (compat bug envm_cell_sram_members_zero), so the table's "
            "sense amplifier needs log(vdd/0), an infinite read latency; use relu = true, "
            "activation_sram = false (an RRAM table) or compat_bugs = false")


def _check_table_resistances(cell: Any) -> None:
    """An RRAM table is sensed through the chip's cell on/off resistances, which an SRAM
    cell does not have (0 in NeuroSim V1.4: the amplifier's current ``Vr/0 - Vr/0`` is NaN)."""
    if not (cell.res_mem_cell_on > 0 and cell.res_mem_cell_off > 0):
        raise RejectedConfiguration(
            "relu = false (reLu=0, a sigmoid look-up table) with activation_sram = false "
            "(Activationtype=0, an RRAM table) on an SRAM chip: NeuroSim V1.4 senses the "
            "table through the chip cell's on/off resistances, which an SRAM cell does not "
            "have (0), so the table's voltage sense amplifier has a NaN read latency; use "
            "activation_sram = true or relu = true")


class Sigmoid(FunctionUnit):
    """``num_function`` sigmoid look-up tables of ``num_entry`` entries x ``num_ybit`` bits.

    The table is an SRAM array (``sram`` true) or an RRAM array. The input value selects a
    word line through a row decoder; the y value is sensed by one sense amplifier per bit
    (SRAM) or voltage sense amplifiers (RRAM). Area: cells plus decoder plus sense amps.
    Latency: decoder plus sense amp (the Elmore bit-line delay is computed as ``col_delay``
    but, as in V1.4, not added). Energy: decoder plus sense amps; SRAM leakage adds two
    inverters per cell.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.wl_decoder = ctx.circuit("row_decoder")(ctx)
        self.sense_amp: Any = None
        self.voltage_sense_amp: Any = None
        self.cap_cell_access = 0.0
        self.cap_sram_cell = 0.0

    def initialize(self, sram: bool, num_ybit: int, num_entry: int, num_function: int,
                   clk_freq: float) -> None:
        ctx = self.ctx
        tech, cell, param = ctx.tech, ctx.cell, ctx.param
        f = tech.feature_size
        self.sram = bool(sram)
        self.num_ybit = int(num_ybit)
        self.num_entry = int(num_entry)
        self.num_function = int(num_function)
        self.clk_freq = clk_freq
        self.num_cell = self.num_ybit * self.num_entry
        self.width_inv_n = MIN_NMOS_SIZE * f
        self.width_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, f * MAX_TRANSISTOR_HEIGHT, tech)
        if self.sram:  # 6T cell plus an inverter row per entry
            self.h_unit = h_inv + cell.height_in_feature_size * f
            self.w_unit = max(w_inv * 3, cell.width_in_feature_size * f) * self.num_ybit
        else:
            self.h_unit = cell.height_in_feature_size * f
            self.w_unit = cell.width_in_feature_size * f * self.num_ybit
        self.num_col = float(self.num_ybit)
        self.num_row = float(self.num_entry)
        num_addr = int(math.ceil(math.log2(float(self.num_entry))))
        if self.sram:
            self.cap_row1 = self.w_unit * 0.2e-15 / 1e-6
            self.cap_col = self.h_unit * self.num_entry * 0.2e-15 / 1e-6
            add_sram_cell_loads(self, ctx)
            self.res_row = self.w_unit * param.metal0_unitwireresis
            self.res_col = self.h_unit * self.num_entry * param.metal1_unitwireresis
            if tech.nonplanar:  # V1.4 adds the FinFET drain overlap a second time
                self.cap_col += tech.cap_draintotal * cell.width_access_cmos \
                    * tech.effective_width * self.num_row
            self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, num_addr, False, False)
            _check_sense_margin(cell)
            self.sense_amp = ctx.circuit("sense_amp")(ctx)
            self.sense_amp.initialize(self.num_ybit, False, cell.min_sense_voltage,
                                      self.w_unit / self.num_ybit, clk_freq, 1)
        else:
            self.res_row = self.w_unit * param.metal0_unitwireresis
            self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, num_addr, False, False)
            self.voltage_sense_amp = ctx.circuit("voltage_sense_amp")(ctx)
            self.voltage_sense_amp.initialize(self.num_ybit, clk_freq)
        self.initialized = True

    def calculate_unit_area(self, option: int) -> None:
        """Area of one look-up table with its decoder and sense amplifiers (``area_unit``)."""
        require_initialized(self, "calculate_unit_area")
        self.area_unit = 0.0
        self.wl_decoder.calculate_area(0, 0, AreaModify.NONE)
        sa_area = vsa_area = 0.0
        if self.sram:
            self.sense_amp.calculate_area(0, 0, AreaModify.NONE)
            sa_area = self.sense_amp.area
        else:
            self.voltage_sense_amp.calculate_unit_area()
            self.voltage_sense_amp.calculate_area(0)
            vsa_area = self.voltage_sense_amp.area
        self.area_unit += (self.h_unit * self.w_unit) * self.num_entry
        self.area_unit += self.wl_decoder.area + sa_area + vsa_area
        apply_area_option(self, self.new_height, self.new_width, option)

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        self.area = self.area_unit * self.num_function
        if new_width and option == AreaModify.NONE:
            self.width = new_width
            self.height = self.area / self.width
        else:
            self.height = new_height
            self.width = self.area / self.height
        apply_area_option(self, new_height, new_width, option)

    def calculate_latency(self, num_read: float) -> None:
        require_initialized(self, "calculate_latency")
        ctx = self.ctx
        tech, cell = ctx.tech, ctx.cell
        if self.sram:
            if ctx.bug(SIGMOID_DECODER_LOAD_SLOT):
                self.wl_decoder.calculate_latency(1e20, 0, self.cap_sram_cell, self.res_row,
                                                  self.num_ybit, 1, 1)
            else:
                self.wl_decoder.calculate_latency(1e20, self.cap_row1, 0, self.res_row,
                                                  self.num_ybit, 1, 1)
            self.sense_amp.calculate_latency(1)
            # Elmore delay of the bit line (reported, not added, as in V1.4)
            res_pull_down = formula.calculate_on_resistance(
                cell.width_sram_cell_nmos * finfet_width_factor(tech) * tech.feature_size,
                NMOS, ctx.input.temperature, tech)
            bl_cap = self.cap_col / self.num_row
            bl_res = self.res_col / self.num_row
            elmore = (self.res_cell_access + res_pull_down) * bl_cap * self.num_row \
                + bl_cap * bl_res * self.num_row * (self.num_row + 1) / 2
            self.col_delay = elmore * math.log(tech.vdd / (tech.vdd - cell.min_sense_voltage / 2))
            latency = self.wl_decoder.read_latency + self.sense_amp.read_latency
        else:
            self.wl_decoder.calculate_latency(1e20, 0, self.cap_cell_access, self.res_row,
                                              self.num_ybit, 1, 1)
            if ctx.param.chip_activation:
                # the chip's own table: its NaN latency reaches the layer (refused here).
                # A tile's table (chipActivation = false) makes that tile's latencies NaN,
                # which the chip's MAX(tile, so far) then drops, as in the C++: no refusal
                _check_table_resistances(ctx.cell)
            self.voltage_sense_amp.calculate_latency(0, 1)
            latency = self.wl_decoder.read_latency + self.voltage_sense_amp.read_latency
        if ctx.param.synchronous:
            latency = cycles(latency, self.clk_freq)
        latency *= num_read
        self.read_latency = latency

    def calculate_power(self, num_read: float) -> None:
        require_initialized(self, "calculate_power")
        ctx = self.ctx
        tech, cell = ctx.tech, ctx.cell
        self.leakage = 0.0
        energy = 0.0
        if self.sram:
            self.wl_decoder.calculate_power(1, 1)
            self.sense_amp.calculate_power(1)
            energy += self.wl_decoder.read_dynamic_energy + self.sense_amp.read_dynamic_energy
            k = finfet_width_factor(tech)
            f = tech.feature_size
            # two cross-coupled inverters per cell
            self.leakage += formula.calculate_gate_leakage(
                INV, 1, cell.width_sram_cell_nmos * k * f, cell.width_sram_cell_pmos * k * f,
                ctx.input.temperature, tech) * tech.vdd * 2
            self.leakage *= self.num_cell
            self.leakage += self.wl_decoder.leakage
            self.leakage += self.sense_amp.leakage
        else:
            self.wl_decoder.calculate_power(1, 1)
            self.voltage_sense_amp.calculate_power(1)
            energy += self.voltage_sense_amp.read_dynamic_energy \
                + self.wl_decoder.read_dynamic_energy
            self.leakage += self.voltage_sense_amp.leakage
            self.leakage += self.wl_decoder.leakage
        energy *= num_read * self.num_function
        self.read_dynamic_energy = energy
