"""Read energy and leakage of a subarray (NeuroSim V1.4 ``SubArray::CalculatePower``).

Array energy ``C_row * Vdd^2`` per activated row (and the word-line repeaters at 2/1 nm),
the peripheral circuits' read energies for the reads one input vector causes, the ADC energy
of the vector's column resistances, and the leakage of cells and circuits.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..primitives import formula
from ..primitives.constants import INV
from ..primitives.vectors import unique_counts


class SubArrayPower:
    """``CalculatePower`` of :class:`~neurosim.engine.subarray.SubArray` (mixin)."""

    #: circuits whose read energy / leakage depend only on the row activity (cached per value)
    POWER_CIRCUITS = (
        "wl_decoder",
        "wl_new_decoder_driver",
        "wl_decoder_driver",
        "wl_switch_matrix",
        "wl_new_switch_matrix",
        "sl_switch_matrix",
        "precharger",
        "sram_write_driver",
        "sense_amp",
        "mux",
        "mux_decoder",
        "adder",
        "dff",
        "shift_add_weight",
        "shift_add_input",
        "multilevel_sa_encoder",
    )

    def has_adc(self) -> bool:
        """Whether a read goes through the ADC (all designs but the SRAM row-by-row read)."""
        return not (self.is_sram and self.conventional_sequential)

    def adc_num_read(self, activity: Any) -> Any:
        """ADC conversions per column of one vector: ``numAdd`` in parallel reads, the
        activated rows ``numRow*activityRowRead`` in sequential eNVM reads."""
        if self.conventional_sequential:
            return self.num_row * activity
        return self.num_add

    def adc_energy(self, column_resistance: Any, activity: Any) -> Any:
        """ADC energy of the vectors in ``column_resistance`` (a per-vector array when 2-D;
        ``activity`` a scalar or one value per vector)."""
        p = self.ctx.param
        if self.is_sram and self.conventional_parallel:
            vdd = self.ctx.tech.vdd
            p.reference_energy_peri = self.cap_row1 / p.num_col_sub_array * vdd * vdd * self.num_row
        return self._adc_power(column_resistance, self.adc_num_read(activity))

    def _adc_power(self, column_resistance, num_read) -> Any:
        adc = self.sar_adc if self.saradc else self.multilevel_sense_amp
        res = np.asarray(column_resistance, dtype=float)
        if res.ndim == 2 and res.shape[0] > 1:
            adc.calculate_power(res, num_read)
            per = getattr(adc, "read_dynamic_energy_per_vector", None)
            if per is not None:
                return np.asarray(per, dtype=float)
            reads = np.broadcast_to(np.asarray(num_read, dtype=float), (res.shape[0],))
            out = np.empty(res.shape[0])  # an ADC without the vector API: one call per vector
            for k in range(res.shape[0]):
                adc.calculate_power(res[k], float(reads[k]))
                out[k] = adc.read_dynamic_energy
            return out
        reads = float(np.asarray(num_read, dtype=float).reshape(-1)[0])
        adc.calculate_power(res.reshape(-1) if res.ndim == 2 else res, reads)
        return adc.read_dynamic_energy

    def _circuit_power(self, act: float) -> None:
        """The ``CalculatePower`` calls of the non-ADC circuits for one row activity; their
        results are kept per activity value, so a layer evaluates each circuit at most once
        per distinct number of activated rows."""
        cache = self.__dict__.setdefault("_power_cache", {})
        snap = cache.get(act)
        if snap is not None:
            for name, (energy, leak) in snap.items():
                circuit = getattr(self, name)
                circuit.read_dynamic_energy, circuit.leakage = energy, leak
            return
        self._run_circuit_power(act)
        cache[act] = {
            name: (getattr(self, name).read_dynamic_energy, getattr(self, name).leakage)
            for name in self.POWER_CIRCUITS
        }
        self._energy_rows(cache)[act] = tuple(
            float(cache[act][name][0]) for name in self.POWER_CIRCUITS)

    def _energy_rows(self, cache: dict) -> dict:
        """The energies of ``cache`` (``_power_cache``) per activity, in POWER_CIRCUITS
        order (the per-vector tables); emptied with it when the subarray is set up
        again."""
        rows = self.__dict__.get("_energy_rows_of")
        if rows is None or rows[0] is not cache:
            rows = self._energy_rows_of = (cache, {})
        return rows[1]

    def _run_circuit_power(self, act: float) -> None:
        p = self.ctx.param
        nrow, ncol, ncm, nadd = self.num_row, self.num_col, self.num_col_muxed, self.num_add
        ncs, nrp = self.num_cell_per_synapse, self.num_read_pulse
        nreadcell = self.num_read_cell_per_operation_neuro
        nrop = ncol / nreadcell if ncol > nreadcell else 1
        nwcell = self.num_write_cell_per_operation_neuro
        nwop_f = (
            ncol * self.activity_col_write / nwcell
            if ncol * self.activity_col_write > nwcell
            else 1
        )
        arw = self.activity_row_write
        muxed = ncm > 1
        if self.is_sram and self.conventional_sequential:
            self.wl_decoder.calculate_power(nrow * act, nrow * arw)
            self.precharger.calculate_power(nrop * nrow * act, nwop_f * nrow * arw)
            self.sram_write_driver.calculate_power(nwop_f * nrow * arw)
            self.adder.calculate_power(nrop * nrow * act, nreadcell // ncs)
            self.dff.calculate_power(
                nrop * nrow * act,
                nreadcell // ncs * (math.ceil(math.log2(nrow)) / 2 + 1),
                p.validated,
            )
            self.sense_amp.calculate_power(nrop * nrow * act)
            if ncs > 1:
                self.shift_add_weight.calculate_power(ncs - 1)
            if nrp > 1:
                self.shift_add_input.calculate_power(1)
            return
        if self.is_sram:
            self.wl_switch_matrix.calculate_power(
                ncm, 2 * nwop_f * nrow * arw, act, self.activity_col_write
            )
            self.precharger.calculate_power(ncm * nadd, nwop_f * nrow * arw)
            self.sram_write_driver.calculate_power(nwop_f * nrow * arw)
            if muxed:
                self.mux.calculate_power(ncm)
                self.mux_decoder.calculate_power(ncm, 1)
            if not self.saradc:
                self.multilevel_sa_encoder.calculate_power(ncm * nadd)
            self._partial_sum_power()
            return
        num_read_cells = float(math.ceil(ncol / ncm))
        nwop = math.ceil(ncol * self.activity_col_write / nwcell)
        if self.conventional_sequential:
            num_write_cells = float(ncol)
            self.wl_decoder.calculate_power(nrow * act * ncm, 2 * nwop * nrow * arw)
            if self.cmos_access:
                self.wl_new_decoder_driver.calculate_power(nrow * act * ncm, 2 * nwop * nrow * arw)
            else:
                self.wl_decoder_driver.calculate_power(
                    num_read_cells, num_write_cells, nrow * act * ncm, 2 * nwop * nrow * arw
                )
            self.sl_switch_matrix.calculate_power(
                0, 2 * nwop * nrow * arw, act, self.activity_col_write
            )
            if muxed:
                self.mux.calculate_power(ncm)
                self.mux_decoder.calculate_power(ncm, 1)
            if not self.saradc and self.avg_weight_bit > 1:
                self.multilevel_sa_encoder.calculate_power(nrow * act * ncm)
            self.adder.calculate_power(ncm * nrow * act, num_read_cells)
            self.dff.calculate_power(
                ncm * nrow * act,
                num_read_cells * (math.ceil(math.log2(nrow)) / 2 + self.avg_weight_bit),
                p.validated,
            )
            if ncs > 1:
                self.shift_add_weight.calculate_power((ncs - 1) * (ncm // ncs))
            if nrp > 1:
                self.shift_add_input.calculate_power(ncm // ncs)
            return
        if self.cmos_access:
            self.wl_new_switch_matrix.calculate_power(ncm, 2 * nwop * nrow * arw, act)
        else:
            self.wl_switch_matrix.calculate_power(
                ncm, 2 * nwop * nrow * arw, act, self.activity_col_write
            )
        self.sl_switch_matrix.calculate_power(
            0, 2 * nwop * nrow * arw, act, self.activity_col_write
        )
        if muxed:
            self.mux.calculate_power(ncm)
            self.mux_decoder.calculate_power(ncm, 1)
        if not self.saradc:
            self.multilevel_sa_encoder.calculate_power(ncm * nadd)
        self._partial_sum_power()

    def calculate_power(self, column_resistance: Any, adc_energy: Any = None) -> None:
        """``SubArray::CalculatePower`` for the current ``activity_row_read`` (scalar). With a
        2-D ``column_resistance`` (vectors x columns, all of this activity) the energies are
        per-vector arrays; ``adc_energy`` passes the ADC energies when already computed."""
        if not self.initialized:
            raise RuntimeError("SubArray.calculate_power called before initialize")
        act = float(self.activity_row_read)
        self.read_dynamic_energy = 0.0
        self.write_dynamic_energy = 0.0
        self.read_dynamic_energy_array = 0.0
        self._circuit_power(act)
        adc_e = 0.0
        if self.has_adc():
            adc_e = self.adc_energy(column_resistance, act) if adc_energy is None else adc_energy
        self._combine_power(act, adc_e)

    def calculate_power_per_vector(self, counts: np.ndarray, activity: np.ndarray,
                                   adc_energy: Any) -> None:
        """:meth:`calculate_power` of every input vector at once: ``counts`` / ``activity``
        per vector, ``adc_energy`` per vector (or None without an ADC).

        The circuits are evaluated once per distinct activity (the last vector's last, so
        they are left as after the C++ loop); their energies then enter the same formulas
        as per-vector arrays, which is the same arithmetic, element by element, as one
        call per vector. Leakage is the last vector's, as in the C++.
        """
        uniq, inverse = unique_counts(counts)
        acts = uniq / float(self.ctx.param.num_row_sub_array)
        last = int(inverse.reshape(-1)[-1])
        order = [k for k in range(uniq.size) if k != last] + [last]
        cache = self.__dict__.setdefault("_power_cache", {})
        for k in order:
            if k == last or float(acts[k]) not in cache:
                self._circuit_power(float(acts[k]))
        snaps = [cache[float(a)] for a in acts]
        inverse = inverse.reshape(-1)
        rows = self._energy_rows(cache)
        table = np.array([rows[float(a)] for a in acts], dtype=float)  # activities x circuits
        for k, name in enumerate(self.POWER_CIRCUITS):
            getattr(self, name).read_dynamic_energy = table[:, k][inverse]
        self.read_dynamic_energy = 0.0
        self.write_dynamic_energy = 0.0
        self.read_dynamic_energy_array = 0.0
        adc_e = 0.0 if adc_energy is None or not self.has_adc() else adc_energy
        self.activity_row_read = float(acts[last])
        self._combine_power(np.asarray(activity, dtype=float), adc_e)
        for name, (energy, _leak) in snaps[last].items():
            getattr(self, name).read_dynamic_energy = energy

    def _combine_power(self, act: Any, adc_e: Any) -> None:
        """The energy and leakage sums of ``CalculatePower`` from the circuits' results
        (``act`` and ``adc_e`` scalars, or per-vector arrays)."""
        tech, p, cell = self.ctx.tech, self.ctx.param, self.ctx.cell
        temp = self.ctx.input.temperature
        nrow, ncol, ncm = self.num_row, self.num_col, self.num_col_muxed
        vdd = tech.vdd
        muxed = ncm > 1
        if self.is_sram:
            fs, fin = tech.feature_size, self._fin()
            leak = (
                formula.calculate_gate_leakage(
                    INV,
                    1,
                    cell.width_sram_cell_nmos * fin * fs,
                    cell.width_sram_cell_pmos * fin * fs,
                    temp,
                    tech,
                )
                * vdd
                * 2
            )
            self.leakage_sram_in_use = leak
            leakage = leak * nrow * ncol
            if self.conventional_sequential:
                self.read_dynamic_energy_array = self.cap_row1 * vdd * vdd * nrow * act
                e = 0.0
                e += self.wl_decoder.read_dynamic_energy
                e += self.precharger.read_dynamic_energy
                e += self.read_dynamic_energy_array
                e += self.adder.read_dynamic_energy
                e += self.dff.read_dynamic_energy
                e += self.sense_amp.read_dynamic_energy
                e += (
                    self.shift_add_weight.read_dynamic_energy
                    + self.shift_add_input.read_dynamic_energy
                )
                self.read_dynamic_energy = e
                self.read_dynamic_energy_adc = (
                    self.precharger.read_dynamic_energy
                    + self.read_dynamic_energy_array
                    + self.sense_amp.read_dynamic_energy
                )
                self.read_dynamic_energy_accum = (
                    self.adder.read_dynamic_energy
                    + self.dff.read_dynamic_energy
                    + self.shift_add_weight.read_dynamic_energy
                    + self.shift_add_input.read_dynamic_energy
                )
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
            arr = self.cap_row1 * vdd * vdd * nrow * act
            arr += (
                (self.drivecapin + self.drivecapout) * vdd * vdd * p.buffernumber * 2 * nrow * act
            )
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
            e += (
                self.shift_add_weight.read_dynamic_energy + self.shift_add_input.read_dynamic_energy
            )
            e = e + (adc_e if self.saradc else 0.0)
            self.read_dynamic_energy = e
            mlsa_e = adc_e if not self.saradc else 0.0
            sar_e = adc_e if self.saradc else 0.0
            self.read_dynamic_energy_adc = (
                arr + mlsa_e + self.multilevel_sa_encoder.read_dynamic_energy + sar_e
            )
            self.read_dynamic_energy_accum = (
                self.shift_add_weight.read_dynamic_energy
                + self.shift_add_input.read_dynamic_energy
                + self.adder.read_dynamic_energy
                + self.dff.read_dynamic_energy
            )
            self.read_dynamic_energy_other = self.wl_switch_matrix.read_dynamic_energy + (
                (self.mux.read_dynamic_energy + self.mux_decoder.read_dynamic_energy)
                if muxed
                else 0
            )
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
            self.leakage_sram_in_use *= nrow * ncol - self.num_row_parallel * (ncol // ncm)
            return
        # eNVM / FeFET
        self.leakage_sram_in_use = 0.0
        num_read_cells = float(math.ceil(ncol / ncm))
        cap_bl = self.length_col * 0.2e-15 / 1e-6
        if self.conventional_sequential:
            arr = 0.0
            arr += cap_bl * cell.read_voltage * cell.read_voltage * num_read_cells
            arr += self.cap_row2 * vdd * vdd
            arr *= nrow * act * ncm
            self.read_dynamic_energy_array = arr
            mux_e = (
                (self.mux.read_dynamic_energy + self.mux_decoder.read_dynamic_energy)
                if muxed
                else 0
            )
            e = 0.0
            e += self.wl_decoder.read_dynamic_energy
            e += self.wl_new_decoder_driver.read_dynamic_energy
            e += self.wl_decoder_driver.read_dynamic_energy
            e += mux_e
            e += self.adder.read_dynamic_energy
            e += self.dff.read_dynamic_energy
            e += (
                self.shift_add_weight.read_dynamic_energy + self.shift_add_input.read_dynamic_energy
            )
            e += arr
            mlsa_e = adc_e if not self.saradc else 0.0
            sar_e = adc_e if self.saradc else 0.0
            e = e + (mlsa_e + self.multilevel_sa_encoder.read_dynamic_energy)
            e = e + sar_e
            self.read_dynamic_energy = e
            self.read_dynamic_energy_adc = (
                arr + mlsa_e + self.multilevel_sa_encoder.read_dynamic_energy + sar_e
            )
            self.read_dynamic_energy_accum = (
                self.adder.read_dynamic_energy
                + self.dff.read_dynamic_energy
                + self.shift_add_weight.read_dynamic_energy
                + self.shift_add_input.read_dynamic_energy
            )
            self.read_dynamic_energy_other = (
                self.wl_decoder.read_dynamic_energy
                + self.wl_new_decoder_driver.read_dynamic_energy
                + self.wl_decoder_driver.read_dynamic_energy
                + mux_e
            )
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
        arr = 0.0
        arr += self.cap_row2 * vdd * vdd * nrow * act
        arr += (self.drivecapin + self.drivecapout) * vdd * vdd * p.buffernumber * 2 * nrow * act
        arr *= ncm
        self.read_dynamic_energy_array = arr
        mux_e = (
            (self.mux.read_dynamic_energy + self.mux_decoder.read_dynamic_energy) if muxed else 0
        )
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
        self.read_dynamic_energy_adc = (
            arr + mlsa_e + self.multilevel_sa_encoder.read_dynamic_energy + sar_e
        )
        self.read_dynamic_energy_accum = (
            self.shift_add_weight.read_dynamic_energy
            + self.shift_add_input.read_dynamic_energy
            + self.adder.read_dynamic_energy
            + self.dff.read_dynamic_energy
        )
        self.read_dynamic_energy_other = (
            self.wl_new_switch_matrix.read_dynamic_energy
            + self.wl_switch_matrix.read_dynamic_energy
            + mux_e
        )
        leakage = 0.0
        leakage += (
            formula.calculate_gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech)
            * p.buffernumber
            * 2
            * p.num_row_sub_array
        )
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

    def _partial_sum_power(self) -> None:
        ncm, nadd, ncs, ncol = (
            self.num_col_muxed,
            self.num_add,
            self.num_cell_per_synapse,
            self.num_col,
        )
        if nadd > 1:
            self.adder.calculate_power(ncm * (nadd - 1), ncol // ncm)
            self.dff.calculate_power(
                ncm * (nadd - 1),
                (ncol // ncm) * (math.log2(self.level_output) + math.ceil(math.log2(nadd)) / 2),
                self.ctx.param.validated,
            )
        if ncs > 1:
            self.shift_add_weight.calculate_power((ncs - 1) * (ncm // ncs))
        if self.num_read_pulse > 1:
            self.shift_add_input.calculate_power(ncm // ncs)

    # ------------------------------------------------------------------------------------
