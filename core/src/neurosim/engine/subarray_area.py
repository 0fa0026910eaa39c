"""Layout area of a subarray (NeuroSim V1.4 ``SubArray::CalculateArea``): the bounding box
of the array with the column circuits stacked below it and the row circuits beside it, and
the ADC / accumulation / other / array breakdown."""

from __future__ import annotations

from ..primitives import formula
from ..primitives.constants import INV, MAX_TRANSISTOR_HEIGHT, AreaModify

NONE, MAGIC, OVERRIDE = AreaModify.NONE, AreaModify.MAGIC, AreaModify.OVERRIDE


class SubArrayArea:
    """``CalculateArea`` of :class:`~neurosim.engine.subarray.SubArray` (mixin)."""

    def calculate_area(self) -> None:
        """``SubArray::CalculateArea``: bounding box of the array with its peripherals
        stacked below (column circuits) and beside it (row circuits)."""
        if not self.initialized:
            raise RuntimeError("SubArray.calculate_area called before initialize")
        cell = self.ctx.cell
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
                self.height = (
                    self.precharger.height
                    + self.sram_write_driver.height
                    + ha
                    + self.sense_amp.height
                    + self.adder.height
                    + self.dff.height * 2
                    + self.shift_add_input.height
                    + self.shift_add_weight.height
                )
                self.width = self.wl_decoder.width + wa
                self.area = self.height * self.width
                self.used_area = (
                    self.area_array
                    + self.wl_decoder.area
                    + self.precharger.area
                    + self.sram_write_driver.area
                    + self.sense_amp.area
                    + self.adder.area
                    + self.dff.area * 2
                    + self.shift_add_input.area
                    + self.shift_add_weight.area
                )
                self.empty_area = self.area - self.used_area
                self.area_adc = self.sense_amp.area + self.precharger.area
                self.area_accum = (
                    self.adder.area
                    + self.dff.area * 2
                    + self.shift_add_input.area
                    + self.shift_add_weight.area
                )
                self.area_other = self.wl_decoder.area + self.sram_write_driver.area
                return
            self.wl_switch_matrix.calculate_area(ha, 0, NONE)
            self._area_mux_adc_accum(wa)
            buffer_area = self._buffer_area()
            muxed = ncm > 1
            add = self.num_add > 1
            self.height = (
                self.precharger.height
                + self.sram_write_driver.height
                + ha
                + self.multilevel_sense_amp.height
                + self.multilevel_sa_encoder.height
                + self.shift_add_input.height
                + self.shift_add_weight.height
                + ((self.adder.height + self.dff.height) if add else 0)
                + (self.mux.height if muxed else 0)
                + self.sar_adc.height
            )
            self.width = (
                max(self.wl_switch_matrix.width, self.mux_decoder.width if muxed else 0)
                + wa
                + buffer_area / self.length_col
            )
            self.area = self.height * self.width
            self.used_area = (
                self.area_array
                + self.wl_switch_matrix.area
                + self.precharger.area
                + self.sram_write_driver.area
                + self.multilevel_sense_amp.area
                + self.multilevel_sa_encoder.area
                + self.shift_add_input.area
                + self.shift_add_weight.area
                + ((self.adder.area + self.dff.area) if add else 0)
                + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
                + self.sar_adc.area
                + buffer_area
            )
            self.empty_area = self.area - self.used_area
            self.area_adc = (
                self.multilevel_sense_amp.area
                + self.precharger.area
                + self.multilevel_sa_encoder.area
                + self.sar_adc.area
            )
            self.area_accum = (
                self.shift_add_input.area
                + self.shift_add_weight.area
                + ((self.adder.area + self.dff.area) if add else 0)
            )
            self.area_other = (
                self.wl_switch_matrix.area
                + self.sram_write_driver.area
                + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
                + buffer_area
            )
            return
        # eNVM / FeFET
        hv = cell.write_voltage > 1.5
        if hv:
            self.wllevelshifter.calculate_area(ha, 0, NONE)
            self.bllevelshifter.calculate_area(ha, 0, NONE)
            self.sllevelshifter.calculate_area(0, wa, NONE)
        ls_area = (
            (self.wllevelshifter.area + self.bllevelshifter.area + self.sllevelshifter.area)
            if hv
            else 0
        )
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
            self.height = (
                ls_height
                + self.sl_switch_matrix.height
                + ha
                + (self.mux.height if muxed else 0)
                + self.multilevel_sense_amp.height
                + self.multilevel_sa_encoder.height
                + self.adder.height
                + self.dff.height
                + self.shift_add_input.height
                + self.shift_add_weight.height
                + self.sar_adc.height
            )
            self.width = (
                max(
                    ls_width
                    + self.wl_decoder.width
                    + self.wl_new_decoder_driver.width
                    + self.wl_decoder_driver.width,
                    self.mux_decoder.width if muxed else 0,
                )
                + wa
            )
            self.area = self.height * self.width
            self.used_area = (
                self.area_array
                + ls_area
                + self.wl_decoder.area
                + self.wl_decoder_driver.area
                + self.wl_new_decoder_driver.area
                + self.sl_switch_matrix.area
                + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
                + self.multilevel_sense_amp.area
                + self.multilevel_sa_encoder.area
                + self.adder.area
                + self.dff.area
                + self.shift_add_input.area
                + self.shift_add_weight.area
                + self.sar_adc.area
            )
            self.empty_area = self.area - self.used_area
            self.area_adc = (
                self.multilevel_sense_amp.area + self.multilevel_sa_encoder.area + self.sar_adc.area
            )
            self.area_accum = (
                self.adder.area
                + self.dff.area
                + self.shift_add_input.area
                + self.shift_add_weight.area
            )
            self.area_other = (
                ls_area
                + self.wl_decoder.area
                + self.wl_new_decoder_driver.area
                + self.wl_decoder_driver.area
                + self.sl_switch_matrix.area
                + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
            )
            return
        if self.cmos_access:
            self.wl_new_switch_matrix.calculate_area(ha, 0, NONE)
        else:
            self.wl_switch_matrix.calculate_area(ha, 0, NONE)
        self.sl_switch_matrix.calculate_area(0, wa, NONE)
        self._area_mux_adc_accum(wa)
        buffer_area = self._buffer_area()
        add = self.num_add > 1
        self.height = (
            ls_height
            + self.sl_switch_matrix.height
            + ha
            + (self.mux.height if muxed else 0)
            + self.multilevel_sense_amp.height
            + self.multilevel_sa_encoder.height
            + self.shift_add_weight.height
            + self.shift_add_input.height
            + ((self.adder.height + self.dff.height) if add else 0)
            + self.sar_adc.height
        )
        self.width = (
            max(
                ls_width + self.wl_new_switch_matrix.width + self.wl_switch_matrix.width,
                self.mux_decoder.width if muxed else 0,
            )
            + wa
            + buffer_area / self.length_col
        )
        self.used_area = (
            self.area_array
            + ls_area
            + self.wl_switch_matrix.area
            + self.wl_new_switch_matrix.area
            + self.sl_switch_matrix.area
            + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
            + self.multilevel_sense_amp.area
            + self.multilevel_sa_encoder.area
            + self.shift_add_weight.area
            + self.shift_add_input.area
            + ((self.adder.area + self.dff.area) if add else 0)
            + self.sar_adc.area
            + buffer_area
        )
        self.area_adc = (
            self.multilevel_sense_amp.area + self.multilevel_sa_encoder.area + self.sar_adc.area
        )
        self.area_accum = (
            self.shift_add_weight.area
            + self.shift_add_input.area
            + ((self.adder.area + self.dff.area) if add else 0)
        )
        self.area_other = (
            ls_area
            + self.wl_new_switch_matrix.area
            + self.wl_switch_matrix.area
            + self.sl_switch_matrix.area
            + ((self.mux.area + self.mux_decoder.area) if muxed else 0)
            + buffer_area
        )
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
                INV,
                1,
                self.width_inv_n,
                self.width_inv_p,
                tech.feature_size * MAX_TRANSISTOR_HEIGHT,
                tech,
            )
            self.drivecapin, self.drivecapout = formula.calculate_gate_capacitance(
                INV,
                1,
                self.width_inv_n,
                self.width_inv_p,
                tech.feature_size * MAX_TRANSISTOR_HEIGHT,
                tech,
            )
        else:
            self.w_inv = self.h_inv = 0.0
        return self.h_inv * self.w_inv * p.buffernumber * 2 * p.num_row_sub_array

    def area_tree(self):
        """Area of one subarray split into array / ADC / accumulation / other / empty."""
        from .contributions import Contribution, leaf

        parts = [
            leaf("array", self.area_array),
            leaf("ADC", self.area_adc),
            leaf("accumulation", self.area_accum),
            leaf("other", self.area_other),
            leaf(
                "empty (bounding box)",
                self.area - self.area_array - self.area_adc - self.area_accum - self.area_other,
            ),
        ]
        return Contribution("subarray", self.area, parts, "sum")

    # ------------------------------------------------------------------------------------
