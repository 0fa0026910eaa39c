"""Read latency of a subarray (NeuroSim V1.4 ``SubArray::CalculateLatency``).

Clock pass: the sensing latency of one read (row driver / switch matrix or the repeated word
line, column mux, bit-line Elmore delay for SRAM, ADC), times the calibration factor beta.
Second pass (synchronous): cycle counts of the ADC reads and of the accumulation not hidden
behind them; asynchronous: the same in seconds. Every formula also accepts the row activity
as one value per input vector.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..primitives import formula
from ..primitives.constants import NMOS


def _cmax(a, b):
    """C++ ``MAX(a, b)`` macro (``a > b ? a : b``: b when a is NaN) on scalars or per-vector
    arrays."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.where(a > b, a, b)
    return max(b, a)


def _seq_sum(values: np.ndarray) -> float:
    """Left-to-right sum (the C++ ``+=`` loop over input vectors)."""
    values = np.asarray(values, dtype=float)
    return float(np.cumsum(values)[-1]) if values.size else 0.0


def _fdiv(a, b):
    """C++ double division: a zero divisor gives inf / nan instead of an exception."""
    if b == 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.divide(a, 0.0)
        return float(r) if np.ndim(r) == 0 else r
    return a / b


def _per_vector(circuit: Any, name: str) -> Any:
    """A circuit's per-vector result when it evaluated several vectors, else the scalar."""
    v = getattr(circuit, name + "_per_vector", None)
    return np.asarray(v, dtype=float) if v is not None else getattr(circuit, name)


class SubArrayLatency:
    """``CalculateLatency`` of :class:`~neurosim.engine.subarray.SubArray` (mixin)."""

    def _buffer_latency(self, cap_row: float) -> float:
        """Elmore delay of the repeated word line (repeater sections of ``sectionnum`` cells)."""
        p = self.ctx.param
        buffnum = p.buffernumber
        sectionnum = p.num_col_sub_array / (buffnum + 1)
        unitcap = cap_row / p.num_col_sub_array
        unitres = self.res_row / p.num_col_sub_array
        p.unitcap, p.unitres, p.drivecapin = unitcap, unitres, self.drivecapin
        r, cin, cout = self.targetdriveres, self.drivecapin, self.drivecapout
        t1 = (
            r * cout * 0.69
            + unitcap * sectionnum * (0.69 * r + 0.38 * unitres * sectionnum)
            + (unitcap * sectionnum * 0.69 + 0.69 * r) * cin
        )
        t2 = r * cout * 0.69 + unitcap * sectionnum * (0.69 * r + 0.38 * unitres * sectionnum)
        t3 = (cout + cin) * r * 0.69
        latency = 0.0
        for it in range(buffnum - 1, -1, -1):
            latency += (t2 + t3) if it == 0 else (t1 + t3)
        return latency

    def _word_line_latency(self, switch_matrix: Any, cap_row: float, writes: float) -> float:
        """Word-line switch-matrix latency over ``cap_row``. With repeaters along the row
        (``buffernumber`` > 0, the 2/1 nm nodes) the matrix drives one section and the repeater
        chain's delay is returned; otherwise 0."""
        p = self.ctx.param
        if p.buffernumber > 0:
            buffnum = p.buffernumber
            sectionnum = p.num_col_sub_array / (buffnum + 1)
            bufferlatency = self._buffer_latency(cap_row)
            switch_matrix.calculate_latency(1e20, cap_row / (buffnum + 1) + self.drivecapin,
                                            p.unitres * sectionnum, 1,
                                            2 * writes * self.activity_row_write)
            return bufferlatency
        switch_matrix.calculate_latency(1e20, cap_row, self.res_row, 1,
                                        2 * writes * self.activity_row_write)
        return 0.0

    def _adc_latency(self, column_resistance) -> Any:
        """Converter latency of each vector (``self._adc_lat``: per vector or scalar)."""
        if self.saradc:
            self.sar_adc.calculate_latency(num_read=1)
            self._adc_lat = _per_vector(self.sar_adc, "read_latency")
        else:
            self.multilevel_sense_amp.calculate_latency(
                column_resistance=column_resistance, num_col_muxed=1, num_read=1
            )
            self.multilevel_sa_encoder.calculate_latency(1e20, 1)
            self._adc_lat = _per_vector(self.multilevel_sense_amp, "read_latency")
        return self._adc_lat

    def calculate_latency(
        self, ramp_input: float, column_resistance: Any, calculate_clk_freq: bool
    ) -> None:
        """``SubArray::CalculateLatency`` for the current ``activity_row_read`` (a scalar, or
        one value per input vector together with a 2-D ``column_resistance``: then the
        latencies are per-vector arrays)."""
        self._calculate_latency(ramp_input, column_resistance, calculate_clk_freq)
        if np.ndim(self.activity_row_read) == 0 and np.ndim(column_resistance) <= 1:
            for name in (
                "read_latency",
                "read_latency_adc",
                "read_latency_accum",
                "read_latency_other",
            ):
                v = getattr(self, name)
                if isinstance(v, np.ndarray):
                    setattr(self, name, float(v.reshape(-1)[0]))

    def _calculate_latency(
        self, ramp_input: float, column_resistance: Any, calculate_clk_freq: bool
    ) -> None:
        if not self.initialized:
            raise RuntimeError("SubArray.calculate_latency called before initialize")
        p, cell = self.ctx.param, self.ctx.cell
        act = self.activity_row_read
        beta = p.beta if self.validated else 1
        nrow, ncol, ncm, clk = self.num_row, self.num_col, self.num_col_muxed, self.clk_freq
        ncs, nrp = self.num_cell_per_synapse, self.num_read_pulse
        nwop = math.ceil(ncol * self.activity_col_write / self.num_write_cell_per_operation_neuro)
        self.read_latency = 0.0
        self.read_latency_adc = 0.0
        self.read_latency_accum = 0.0
        self.read_latency_other = 0.0
        self.write_latency = 0.0
        sync = bool(p.synchronous)
        mux_lat = lambda: (self.mux.read_latency + self.mux_decoder.read_latency) if ncm > 1 else 0
        if self.is_sram:
            nrop = math.ceil(ncol / self.num_read_cell_per_operation_neuro)
            if self.conventional_sequential:
                if calculate_clk_freq or not sync:
                    self.wl_decoder.calculate_latency(
                        1e20,
                        self.cap_row1,
                        0,
                        self.res_row,
                        ncol,
                        1,
                        nrow * self.activity_row_write,
                    )
                    self.precharger.calculate_latency(
                        1e20, self.cap_col, 1, nwop * nrow * self.activity_row_write
                    )
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
                        self.read_latency_accum = self.read_latency_accum + nrop * (
                            nrow * act - 1
                        ) * (math.ceil(self.adder.read_latency * clk) - 1)
                        self.read_latency_accum = self.read_latency_accum + _cmax(
                            math.ceil(
                                (
                                    self.shift_add_weight.adder.read_latency * (ncs - 1)
                                    + self.shift_add_input.adder.read_latency
                                )
                                * clk
                            )
                            - (self.read_latency_adc + self.read_latency_accum),
                            0,
                        )
                    else:
                        self.read_latency_adc = (
                            (
                                self.precharger.read_latency
                                + self.col_delay
                                + self.sense_amp.read_latency
                            )
                            * nrop
                            * nrow
                            * act
                            * beta
                        )
                        self.read_latency_other = self.wl_decoder.read_latency * nrow * act * beta
                        self.read_latency_accum = _cmax(
                            self.adder.read_latency * (nrop * nrow * act - 1)
                            + self.shift_add_weight.adder.read_latency * (ncs - 1)
                            + self.shift_add_input.adder.read_latency
                            - self.read_latency_adc
                            - self.read_latency_other,
                            0,
                        )
                    self.read_latency = (
                        self.read_latency_adc + self.read_latency_accum + self.read_latency_other
                    )
                return
            # conventional parallel
            if calculate_clk_freq or not sync:
                bufferlatency = self._word_line_latency(self.wl_switch_matrix, self.cap_row1,
                                                        nwop * nrow)
                self.precharger.calculate_latency(
                    1e20, self.cap_col, 1, nwop * nrow * self.activity_row_write
                )
                adc_lat = self._adc_latency(column_resistance)
                if ncm > 1:
                    self.mux.calculate_latency(0, 0, 1)
                    self.mux_decoder.calculate_latency(
                        1e20,
                        self.mux.cap_tg_gate_n * (ncol // ncm),
                        self.mux.cap_tg_gate_p * (ncol // ncm),
                        0,
                        0,
                        1,
                        0,
                    )
                self._sram_col_delay()
                if calculate_clk_freq:
                    lat = 0.0
                    lat += _cmax(self.wl_switch_matrix.read_latency + bufferlatency, mux_lat())
                    lat += self.precharger.read_latency
                    lat = lat + (adc_lat if not self.saradc else 0.0)
                    p.rowdelay = self.wl_switch_matrix.read_latency + bufferlatency
                    p.muxdelay = self.mux.read_latency + self.mux_decoder.read_latency
                    p.ad_clatency = float(np.max(self._adc_parts()[0]))
                    lat = lat + self.multilevel_sa_encoder.read_latency
                    lat = lat + (adc_lat if self.saradc else 0.0)
                    self.read_latency = lat * beta
            if not calculate_clk_freq:
                self._parallel_cycles(
                    sync,
                    beta,
                    self.precharger.read_latency + self.col_delay,
                    self.wl_switch_matrix.read_latency,
                    mux_lat,
                )
            return
        # eNVM / FeFET
        if self.conventional_sequential:
            tau = self.cap_col * cell.res_mem_cell_avg
            _, col_ramp = formula.horowitz(tau, 0, 1e20)
            self.col_delay = tau * 0.2
            if calculate_clk_freq or not sync:
                self.wl_decoder.calculate_latency(
                    1e20,
                    self.cap_row2,
                    0,
                    self.res_row,
                    ncol,
                    1,
                    2 * nwop * nrow * self.activity_row_write,
                )
                if self.cmos_access:
                    self.wl_new_decoder_driver.calculate_latency(
                        self.wl_decoder.ramp_output,
                        self.cap_row2,
                        self.res_row,
                        1,
                        2 * nwop * nrow * self.activity_row_write,
                    )
                else:
                    self.wl_decoder_driver.calculate_latency(
                        self.wl_decoder.ramp_output,
                        self.cap_row1,
                        self.cap_row1,
                        self.res_row,
                        1,
                        2 * nwop * nrow * self.activity_row_write,
                    )
                if ncm > 1:
                    self.mux.calculate_latency(col_ramp, 0, 1)
                    self.mux_decoder.calculate_latency(
                        1e20,
                        self.mux.cap_tg_gate_n * (ncol // ncm),
                        self.mux.cap_tg_gate_p * (ncol // ncm),
                        0,
                        0,
                        1,
                        0,
                    )
                if self.saradc:
                    self.sar_adc.calculate_latency(num_read=1)
                    adc_lat = self._adc_lat = _per_vector(self.sar_adc, "read_latency")
                else:
                    self.multilevel_sense_amp.calculate_latency(
                        column_resistance=column_resistance, num_col_muxed=1, num_read=1
                    )
                    adc_lat = self._adc_lat = _per_vector(self.multilevel_sense_amp, "read_latency")
                    if self.avg_weight_bit > 1:
                        self.multilevel_sa_encoder.calculate_latency(1e20, 1)
                row_lat = (
                    self.wl_decoder.read_latency
                    + self.wl_new_decoder_driver.read_latency
                    + self.wl_decoder_driver.read_latency
                )
                if calculate_clk_freq:
                    lat = 0.0
                    lat += _cmax(row_lat, mux_lat())
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
                    row_lat = (
                        self.wl_decoder.read_latency
                        + self.wl_new_decoder_driver.read_latency
                        + self.wl_decoder_driver.read_latency
                    )
                    self.read_latency_other = _cmax(row_lat * nrow * act, mux_lat()) * ncm * beta
                    self.read_latency_accum = _cmax(
                        self.adder.read_latency * ncm * (nrow * act - 1)
                        + self.shift_add_weight.adder.read_latency * (ncs - 1) * (ncm // ncs)
                        + self.shift_add_input.adder.read_latency * (ncm // ncs)
                        - self.read_latency_adc
                        - self.read_latency_other,
                        0,
                    )
                self.read_latency = (
                    self.read_latency_adc + self.read_latency_accum + self.read_latency_other
                )
            return
        # eNVM conventional parallel
        tau = self.cap_col * _fdiv(cell.res_mem_cell_avg, self.half_parallel_rows())
        _, col_ramp = formula.horowitz(tau, 0, 1e20)
        self.col_delay = tau * 0.2
        if calculate_clk_freq or not sync:
            bufferlatency = 0.0
            if self.cmos_access:
                bufferlatency = self._word_line_latency(self.wl_new_switch_matrix,
                                                        self.cap_row2, nwop * nrow)
            else:
                self.wl_switch_matrix.calculate_latency(
                    1e20, self.cap_row1, self.res_row, 1, 2 * nwop * nrow * self.activity_row_write
                )
            if ncm > 1:
                self.mux.calculate_latency(col_ramp, 0, 1)
                self.mux_decoder.calculate_latency(
                    1e20,
                    self.mux.cap_tg_gate_n * (ncol // ncm),
                    self.mux.cap_tg_gate_p * (ncol // ncm),
                    0,
                    0,
                    1,
                    0,
                )
            adc_lat = self._adc_latency(column_resistance)
            if calculate_clk_freq:
                row = (
                    self.wl_new_switch_matrix.read_latency
                    + self.wl_switch_matrix.read_latency
                    + bufferlatency
                )
                lat = 0.0
                lat += _cmax(row, mux_lat())
                lat = lat + (adc_lat if not self.saradc else 0.0)
                lat = lat + self.multilevel_sa_encoder.read_latency
                lat = lat + (adc_lat if self.saradc else 0.0)
                self.read_latency = lat * beta
                p.rowdelay = row
                p.muxdelay = self.mux.read_latency + self.mux_decoder.read_latency
                p.ad_clatency = float(np.max(self._adc_parts()[0]))
        if not calculate_clk_freq:
            self._parallel_cycles(
                sync,
                beta,
                self.col_delay,
                self.wl_new_switch_matrix.read_latency + self.wl_switch_matrix.read_latency,
                mux_lat,
            )

    def _adc_parts(self):
        """(MLSA, SAR) per-vector latencies of the last ``_adc_latency`` call."""
        lat = getattr(self, "_adc_lat", 0.0)
        return (0.0, lat) if self.saradc else (lat, 0.0)

    def _sram_col_delay(self) -> None:
        """SRAM bit-line Elmore delay to a swing of half the sense margin."""
        tech, cell = self.ctx.tech, self.ctx.cell
        res_pull_down = formula.calculate_on_resistance(
            cell.width_sram_cell_nmos * self._fin() * tech.feature_size,
            NMOS,
            self.ctx.input.temperature,
            tech,
        )
        nrow = self.num_row
        bl_cap_per_cell = self.cap_col / nrow + self.cap_cell_access
        bl_res_per_cell = self.res_col / nrow
        elmore_bl = (
            self.res_cell_access + res_pull_down
        ) * bl_cap_per_cell * nrow + bl_cap_per_cell * bl_res_per_cell * nrow * (nrow + 1) / 2
        # A sense margin of 2*vdd or more has no finite delay (C's log gives NaN): the C++
        # sensing period then never raises the clock period, as every MAX/comparison with
        # NaN keeps the other side (its output at exactly 2*vdd is the same as above it)
        margin_v = tech.vdd - cell.min_sense_voltage / 2
        self.col_delay = (elmore_bl * math.log(tech.vdd / margin_v) if margin_v > 0
                          else math.nan)

    def _sync_accum(self, adds_per_col) -> None:
        """Accumulation cycles not hidden behind the ADC (synchronous mode)."""
        ncm, ncs, clk = self.num_col_muxed, self.num_cell_per_synapse, self.clk_freq
        acc = 0.0
        acc = acc + ncm * adds_per_col * (math.ceil(self.adder.read_latency * clk) - 1)
        if ncs > 1:
            acc = acc + (ncs - 1) * (ncm // ncs) * _cmax(
                math.ceil(self.shift_add_weight.adder.read_latency * clk)
                - (self.read_latency_adc + acc) / ncm,
                0,
            )
        if self.num_read_pulse > 1:
            acc = acc + (ncm // ncs) * _cmax(
                math.ceil(self.shift_add_input.adder.read_latency * clk)
                - _fdiv(self.read_latency_adc + acc, ncm // ncs),
                0,
            )
        self.read_latency_accum = acc

    def _parallel_cycles(
        self, sync: bool, beta: float, sense_extra: float, row_latency: float, mux_lat
    ) -> None:
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
                acc += (
                    (ncs - 1)
                    * (ncm // ncs)
                    * _cmax(
                        math.ceil(self.shift_add_weight.adder.read_latency * clk)
                        - (self.read_latency_adc + acc) / ncm,
                        0,
                    )
                )
            if self.num_read_pulse > 1:
                acc += (ncm // ncs) * _cmax(
                    math.ceil(self.shift_add_input.adder.read_latency * clk)
                    - _fdiv(self.read_latency_adc + acc, ncm // ncs),
                    0,
                )
            self.read_latency_accum = acc
        else:
            mlsa_l, sar_l = self._adc_parts()
            adc_l = mlsa_l + self.multilevel_sa_encoder.read_latency + sar_l
            if self.is_sram:
                self.read_latency_adc = (sense_extra + adc_l) * ncm * beta * nadd
            else:
                self.read_latency_adc = (adc_l + sense_extra) * ncm * beta * nadd
            self.read_latency_other = _cmax(row_latency * nadd, mux_lat()) * ncm * beta
            self.read_latency_accum = _cmax(
                self.adder.read_latency * ncm * (nadd - 1)
                + self.shift_add_weight.adder.read_latency * (ncs - 1) * (ncm // ncs)
                + self.shift_add_input.adder.read_latency * (ncm // ncs)
                - self.read_latency_adc
                - self.read_latency_other,
                0,
            )
        self.read_latency = (
            self.read_latency_adc + self.read_latency_accum + self.read_latency_other
        )

    # ------------------------------------------------------------------------------------
