"""Flash ADC of ``levelOutput-1`` sense amplifiers against dummy reference columns
(NeuroSim V1.4 ``MultilevelSenseAmp``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from neurosim.errors import ConfigError
from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NAND, AreaModify, MemCellType,
)
from neurosim.primitives.function_unit import FunctionUnit

from . import column_fits as fits
from .bugs import MLSA_INTEGER_DIVISION_SWITCHING_ENERGY
from neurosim.primitives.vectors import (
    Above, LogConductanceRows, as_vectors, is_hp, open_rows_first, per_vector,
    sequential_sum,
)

#: Latency of one voltage-mode conversion, and the per-conversion time of VSA static power (s).
VSA_CONVERSION_S = 1e-9


def _is_sram(cell: Any) -> bool:
    kind = cell.mem_cell_type
    if isinstance(kind, str):
        return kind.lower() == "sram"
    return int(kind) == int(MemCellType.SRAM)


def _fit_value(pieces: tuple[fits.Piece, ...], x: np.ndarray) -> np.ndarray:
    """Piecewise ``a*f(x) + b``: the first piece whose ``x < upper`` holds, else the last
    (NaN falls through to the last piece, as in the C++ if/else chain)."""
    ln_x = np.log(x) if any(p.kind == fits.LOG for p in pieces) else None

    def value(p: fits.Piece, out: np.ndarray | None = None) -> np.ndarray:
        # a*f + b, written in place (the same two roundings as the expression)
        v = np.multiply(ln_x if p.kind == fits.LOG else x, p.a, out=out)
        if not isinstance(v, np.ndarray):  # a scalar column: nothing to write in place
            return v + p.b
        return np.add(v, p.b, out=v)

    only = _single_piece(pieces, x)
    if only is not None:  # every value in one piece's range: the others are not needed
        return value(only)
    out = value(pieces[-1])
    if len(pieces) == 1 or np.ndim(out) == 0:
        for piece in reversed(pieces[:-1]):
            out = np.where(x < piece.upper, value(piece), out)
        return out
    scratch = np.empty_like(out)
    mask = np.empty(out.shape, dtype=bool)
    for piece in reversed(pieces[:-1]):
        np.copyto(out, value(piece, scratch), where=np.less(x, piece.upper, out=mask))
    return out


def _single_piece(pieces: tuple[fits.Piece, ...], x: Any) -> fits.Piece | None:
    """The piece every element of ``x`` falls in when there is one (thresholds ascending,
    no NaN, min and max in the same piece), else None."""
    uppers = [p.upper for p in pieces[:-1]]
    if np.ndim(x) == 0 or np.size(x) == 0 or any(u is None for u in uppers) \
            or uppers != sorted(uppers):
        return None
    lo, hi = float(np.min(x)), float(np.max(x))
    if lo != lo or hi != hi:
        return None

    def piece_of(v: float) -> int:
        return next((k for k, u in enumerate(uppers) if v < u), len(uppers))

    k = piece_of(lo)
    return pieces[k] if piece_of(hi) == k else None


class MultilevelSenseAmp(FunctionUnit):
    """Flash ADC: ``levelOutput-1`` current (CSA) or voltage (VSA) sense amplifiers compare
    each column with dummy reference columns (shared by ``dumcolshared`` amplifiers).

    * References: in parallel read, conductances linear from ``numRowParallel/R_on``
      (SRAM: ``numRowParallel/resCellAccess``) towards 0 in ``levelOutput`` steps; otherwise
      ``R_on .. R_off`` with a half-step offset.
    * Area: 9 minimum NMOS per amplifier plus the dummy-column share
      ``arrayheight * arraywidthunit / dumcolshared`` per amplifier.
    * Latency (Cadence fit ``ColumnLatency_Table``): the slower of the first and last
      reference, ``a ln R + b`` / ``a R + b`` per node, plus a column-cap correction above
      ``resthreshold``; CSA: that latency per conversion, VSA: 1 ns.
    * Energy per column: switching of column, reference and latch capacitances at Vread and
      Vdd, plus the fitted static power ``P(R)`` (+ reference-column power) times the latency.

    Vectorized API (the ADC is evaluated per input vector per column):
    ``calculate_latency`` / ``calculate_power`` take ``column_resistance`` as a 1-D sequence
    (one C++ call: the resistances of the ADC's columns for one input vector) or a 2-D array
    of shape (num_vectors, num_columns) (one C++ call per row); ``num_read`` is a scalar or one
    value per vector. Per-call results are in ``read_latency_per_vector`` and
    ``read_dynamic_energy_per_vector`` (shape (num_vectors,)); ``read_latency`` and
    ``read_dynamic_energy`` hold their left-to-right sum (for 1-D input: the C++ value).
    ``get_column_power`` accepts scalars or arrays.

    ADC contract (what the engine relies on; a third-party ADC selected with ``adc = "<name>"``
    registers ``register("adc", "<name>", cls)`` and provides the same):

    * ``cls(ctx)``; class attribute ``needs_encoder`` (True: the sub-array adds the
      ``mlsa_encoder`` circuit after the ADC).
    * ``initialize(num_col, level_output, clk_freq, num_read_cell_per_operation_neuro,
      parallel, current_mode)``: ``num_col`` ADCs of ``level_output`` levels.
    * ``calculate_unit_area()``, then ``calculate_area(height_array, width_array, option)``
      filling ``area`` (m^2), ``height``, ``width`` (m).
    * ``calculate_latency(column_resistance, num_col_muxed, num_read)`` (keyword-callable)
      filling ``read_latency`` (s) and ``read_latency_per_vector``.
    * ``calculate_power(column_resistance, num_read)`` filling ``read_dynamic_energy`` (J),
      ``read_dynamic_energy_per_vector`` and ``leakage`` (W).
    """

    needs_encoder = True

    @property
    def energy_reads_conductance(self) -> bool:
        """False in voltage mode: the energy then depends only on whether a column
        conducts (an open column's power), not on its resistance; the engine may pass
        placeholder conductances (1 for a conducting column, 0 for an open one)."""
        return bool(self.current_mode)
    #: the latency is a table value per conversion: callers may pass placeholder resistances
    latency_uses_column_resistance = False

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.initialized = False
        self.rref: list[float] = []
        tech = ctx.tech
        # Class-member initialisers of the C++ header (the NAND caps use other widths).
        self.width_nand_n = 2 * MIN_NMOS_SIZE * tech.feature_size
        self.width_nand_p = tech.pn_size_ratio * MIN_NMOS_SIZE * tech.feature_size
        self.gatecap_senseamp_n = self.gatecap_senseamp_p = 0.0
        self.junctioncap_senseamp_n = self.junctioncap_senseamp_p = 0.0
        self.cap_nand_input = self.cap_nand_output = 0.0
        self.area_unit = 0.0

    # -- set-up --------------------------------------------------------------------------------
    def initialize(self, num_col: int, level_output: int, clk_freq: float,
                   num_read_cell_per_operation_neuro: int, parallel: bool,
                   current_mode: bool) -> None:
        """Reference ladder, companion current sense amplifier and device capacitances."""
        if self.initialized:
            warnings.warn("[MultilevelSenseAmp] Warning: Already initialized!", stacklevel=2)
            return
        ctx = self.ctx
        tech, param, cell = ctx.tech, ctx.param, ctx.cell
        self.num_col = int(num_col)
        self.level_output = int(level_output)
        self.clk_freq = clk_freq
        self.num_read_cell_per_operation_neuro = num_read_cell_per_operation_neuro
        self.parallel = bool(parallel)
        self.current_mode = bool(current_mode)
        self.rref = self._reference_ladder(param, cell)
        f = tech.feature_size
        self.width_nmos = MIN_NMOS_SIZE * f
        self.width_pmos = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        width_nand_n = 4 * MIN_NMOS_SIZE * f
        width_nand_p = 2 * tech.pn_size_ratio * MIN_NMOS_SIZE * f

        self.current_sense_amp = ctx.circuit("current_sense_amp")(ctx)
        self.current_sense_amp.initialize((self.level_output - 1) * self.num_col, False, False,
                                          clk_freq, num_read_cell_per_operation_neuro)

        h_region = f * MAX_TRANSISTOR_HEIGHT
        gaa = self._gaa_node()
        if gaa is not None:
            g, n, p = gaa["inv_cap_factors"]
            self.gatecap_senseamp_p, self.junctioncap_senseamp_p = \
                formula.calculate_gate_capacitance_gaa(INV, 1, 0, self.width_pmos, h_region,
                                                       tech, g, n, p)
            self.gatecap_senseamp_n, self.junctioncap_senseamp_n = \
                formula.calculate_gate_capacitance_gaa(INV, 1, self.width_nmos, 0, h_region,
                                                       tech, g, n, p)
            self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance_gaa(
                NAND, 2, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h_region, tech,
                *gaa["nand_cap_factors"])
        else:
            self.gatecap_senseamp_p, self.junctioncap_senseamp_p = \
                formula.calculate_gate_capacitance(INV, 1, 0, self.width_pmos, h_region, tech)
            self.gatecap_senseamp_n, self.junctioncap_senseamp_n = \
                formula.calculate_gate_capacitance(INV, 1, self.width_nmos, 0, h_region, tech)
            self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance(
                NAND, 2, width_nand_n, width_nand_p, h_region, tech)
        self.initialized = True

    def _reference_ladder(self, param: Any, cell: Any) -> list[float]:
        """Reference resistances ``Rref[i]``, i = 0 .. levelOutput-2."""
        levels = self.level_output
        rref: list[float] = []
        if self.parallel:
            for i in range(levels - 1):
                if _is_sram(cell):
                    if param.operationmode == 2:
                        g_start = 1 / (param.res_cell_access / param.num_row_parallel)
                        g_index = 0 - g_start
                        rref.append(1 / (g_start + float(i) * g_index / levels))
                elif param.operationmode == 2:
                    g_start = 1 / (param.resistance_on / param.num_row_parallel)
                    g_index = 0 - g_start
                    rref.append(1 / (g_start + float(i) * g_index / levels))
                else:
                    g_start = 1 / param.resistance_on
                    g_end = 1 / param.resistance_off
                    g_index = g_end - g_start
                    rref.append(1 / (g_start + float(i) * g_index / levels))
        else:
            for i in range(levels - 1):
                g_start = 1 / param.resistance_on
                g_end = 1 / param.resistance_off
                g_index = g_end - g_start
                g_offset = g_index / (2 * (levels - 1))
                rref.append(1 / (g_start + g_offset + float(i) * g_index / (levels - 1)))
        return rref

    def _gaa_node(self) -> Any:
        """The node's GAA special-layout factors when ``speciallayout`` is on, else None."""
        return self.ctx.tech.gaa_special_layout(self.ctx.param.speciallayout)

    # -- area ----------------------------------------------------------------------------------
    def calculate_unit_area(self) -> None:
        """Area of one minimum NMOS of the comparator (``area_unit``, m^2)."""
        tech = self.ctx.tech
        _, h_nmos, w_nmos = formula.calculate_gate_area(
            INV, 1, self.width_nmos, 0, tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        self.area_unit = h_nmos * w_nmos

    def calculate_area(self, height_array: float, width_array: float, option: int) -> None:
        """Comparators plus dummy-column share, laid out to the given width (or height)."""
        if not self.initialized:
            raise RuntimeError("MultilevelSenseAmp.calculate_area: call initialize() first")
        param = self.ctx.param
        self.calculate_unit_area()
        self.area = self.height = self.width = 0.0
        if not ((width_array or height_array) and option == AreaModify.NONE):
            raise ConfigError("MultilevelSenseAmp: no width or height assigned for the "
                              "multilevel sense amplifier layout (calculate_area needs "
                              "height_array or width_array with option NONE)")
        levels, num_col = self.level_output, self.num_col
        area = 0.0
        area += ((self.area_unit) * 9) * (levels - 1) * num_col
        area += (param.arrayheight * param.arraywidthunit * (levels - 1) * num_col
                 / param.dumcolshared)
        self.area = area
        if width_array:
            self.width = width_array
            self.height = self.area / self.width
        else:
            self.height = height_array
            self.width = self.area / self.height
        self.new_height = height_array
        self.new_width = width_array

    # -- latency table -------------------------------------------------------------------------
    def column_latency_table(self, res: float, tech: float) -> float:
        """Sensing latency (s) against a reference of ``res`` ohm (``ColumnLatency_Table``).

        The fit is the node's ``circuit_fits.mlsa.csa_latency`` (``vsa_latency`` in voltage
        mode); ``tech`` (the node in nm) is kept for the C++ signature and not read.
        """
        fit = fits.LatencyFit.from_data(self.ctx.tech.circuit_fit(
            fits.CIRCUIT, "csa_latency" if self.current_mode else "vsa_latency"))
        x = float(res)
        latency = None
        for piece in fit.pieces:
            if piece.upper is None or x < piece.upper:
                latency = piece.a * (math.log(x) if piece.kind == fits.LOG else x) + piece.b
                break
        if x > fit.resthreshold_ohm:
            columncap = (self.ctx.param.columncap
                         + self.gatecap_senseamp_n * float(len(self.rref) - 2))
            latency += (fit.dc_s / (fit.r2_ohm - fit.resthreshold_ohm)
                        * (x - fit.resthreshold_ohm)
                        * ((columncap - fit.refcap_f) / fit.refcap_f))
        return latency

    def _conversion_latency(self) -> float:
        """The slower of the last and the second reference (``LatencyCol``)."""
        if len(self.rref) < 2:
            raise ConfigError(
                f"MultilevelSenseAmp: the latency model reads the second reference, but "
                f"level_output={self.level_output} with parallel={self.parallel} and "
                f"operationmode={self.ctx.param.operationmode} gives {len(self.rref)} "
                f"reference(s); use level_output >= 3 (and operation_mode 2 for SRAM)")
        node = self.ctx.param.technode
        lat_min_ref = self.column_latency_table(self.rref[-1], node)
        lat_max_ref = self.column_latency_table(self.rref[1], node)
        return lat_max_ref if lat_min_ref < lat_max_ref else lat_min_ref

    def calculate_latency(self, column_resistance: Any, num_col_muxed: float,
                          num_read: Any) -> None:
        """CSA: table latency, VSA: 1 ns; times ``num_col_muxed`` and ``num_read``.

        The latency does not depend on the column resistances; a 2-D ``column_resistance``
        only sets the number of vectors.
        """
        if not self.initialized:
            raise RuntimeError("MultilevelSenseAmp.calculate_latency: call initialize() first")
        num_vectors = as_vectors(column_resistance).shape[0]
        reads = per_vector(num_read, num_vectors)
        latency_col = self._conversion_latency()
        if self.current_mode:
            per_vec = latency_col * num_col_muxed * reads
        else:
            per_vec = VSA_CONVERSION_S * num_col_muxed * reads
        self.read_latency_per_vector = per_vec
        self.read_latency = float(sequential_sum(per_vec))

    # -- power ---------------------------------------------------------------------------------
    def get_column_power(self, column_res: Any) -> Any:
        """Static power (W) of one ADC on a column of ``column_res`` ohm (scalar or array).

        The formula is elementwise, so a 2-D array whose rows each hold one value (SRAM:
        every column of a vector sees the same resistance) is evaluated on its first column
        and repeated: the same numbers for a fraction of the work.
        """
        res = np.asarray(column_res, dtype=float)
        if (res.ndim == 2 and res.shape[1] > 1 and (res[:1] == res[:1, :1]).all()
                and (res == res[:, :1]).all()):
            return np.repeat(self._column_power(res[:, :1]), res.shape[1], axis=1)
        return self._column_power(res)

    def _column_power(self, column_res: np.ndarray) -> Any:
        """:meth:`get_column_power` on every element."""
        param = self.ctx.param
        levels = self.level_output
        r = np.asarray(column_res, dtype=float) * (0.5 / param.read_voltage)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if not self.current_mode:
                power = np.zeros(r.shape)  # current-mirror leakage negligible in voltage mode
            elif is_hp(param):
                fit = self.ctx.tech.circuit_fit(fits.CIRCUIT, "csa_hp_power")
                c, a, b = fit["c_uw"], fit["a"], fit["b"]
                # c*(L-1)*1e-6 + a*exp(-b*log10(r)), each step in place (same roundings)
                power = np.log10(r)
                power = np.multiply(power, -b, out=power if power.ndim else None)
                power = np.exp(power, out=power if power.ndim else None)
                power = np.multiply(power, a, out=power if power.ndim else None)
                power = np.add(power, c * (levels - 1) * 1e-6,
                               out=power if power.ndim else None)
            else:
                pieces = fits.pieces_from_data(
                    self.ctx.tech.circuit_fit(fits.CIRCUIT, "csa_lstp_power")["pieces"])
                power = _fit_value(pieces, r) * (levels - 1)
            if power.ndim == 0:
                power = np.where(r == 0, 0.0, power)
                power = np.where(np.isinf(r), fits.OPEN_COLUMN_POWER_W, power)  # 1/R == 0
                power = power * (1 + 1.3e-3 * (param.temp - 300))
                return float(power)
            # the same selections and product, in place (skipped when no element is 0/inf)
            lo, hi = float(np.min(r)), float(np.max(r))
            if not (lo > 0 and hi < np.inf):
                mask = np.equal(r, 0, out=np.empty(r.shape, dtype=bool))
                np.copyto(power, 0.0, where=mask)
                np.copyto(power, fits.OPEN_COLUMN_POWER_W, where=np.isinf(r, out=mask))
        np.multiply(power, 1 + 1.3e-3 * (param.temp - 300), out=power)
        return power

    def column_switching_energy(self) -> float:
        """Switching energy (J) of one comparator per conversion (``Column_SwitchingE``)."""
        param, tech = self.ctx.param, self.ctx.tech
        levels = self.level_output
        vread = float(tech.circuit_fit(fits.CIRCUIT, "switching_vread_v"))
        dcs = param.dumcolshared
        if self.ctx.bug(MLSA_INTEGER_DIVISION_SWITCHING_ENERGY):
            inv_levels = 1 // (levels - 1)
        else:
            inv_levels = 1 / (levels - 1)
        g_n, g_p = self.gatecap_senseamp_n, self.gatecap_senseamp_p
        j_n, j_p = self.junctioncap_senseamp_n, self.junctioncap_senseamp_p
        if self.current_mode:
            mirror = (g_n * 2 + (j_n + g_n) / (levels - 1) + (j_n + g_n) / dcs)
        else:
            # the reference transistor is negligible at the small reference voltage
            mirror = (g_n * 2 + (j_n) / (levels - 1) + (j_n) / dcs)
        return ((param.columncap * 2) * (inv_levels + 1 / dcs) / 2 * math.pow(vread, 2)
                + param.reference_energy_peri / dcs
                + mirror * math.pow(vread, 2)
                + (g_p * 2 + g_n) * math.pow(tech.vdd, 2)
                + (g_p * 3 + g_n * 3 + (j_p + j_n) * 3 + j_p * 1) * math.pow(tech.vdd, 2)
                + (g_p + g_n) * math.pow(tech.vdd, 2))

    def _power_constants(self) -> tuple[float, float, float]:
        """(LatencyCol, reference-column power, switching energy of one column's comparators),
        recomputed only when a Param member they read changes (the sub-array sets
        ``columncap`` / ``reference_energy_peri`` before evaluating)."""
        param = self.ctx.param
        key = (param.technode, param.deviceroadmap, param.read_voltage, param.temp,
               param.dumcolshared, param.columncap, param.reference_energy_peri,
               self.ctx.bug(MLSA_INTEGER_DIVISION_SWITCHING_ENERGY))
        if getattr(self, "_power_key", None) != key:
            latency_col = self._conversion_latency()
            middle = self.rref[1:-1]  # the C++ loop over middle references: none when
            # levelOutput leaves only the two end references (refPower stays 0)
            refpower = 0.0
            if middle:
                ref_power = np.asarray(self.get_column_power(np.asarray(middle)), dtype=float)
                refpower = float(sequential_sum(ref_power / param.dumcolshared))
            switching = self.column_switching_energy() * (self.level_output - 1)
            self._power_values = (latency_col, refpower, switching)
            self._power_key = key
        return self._power_values

    def calculate_power(self, column_resistance: Any, num_read: Any) -> None:
        """Per column: switching energy of ``levelOutput-1`` comparators plus static power
        (column + reference share) over the conversion time; times ``num_read``.

        (NeuroSim first loops over the columns' ``GetColumnLatency``, a dead function whose
        result is overwritten; it is not ported.)
        """
        if not self.initialized:
            raise RuntimeError("MultilevelSenseAmp.calculate_power: call initialize() first")
        res = as_vectors(column_resistance)
        self.leakage = 0.0
        per_vec = self._energy_of_resistances(res, per_vector(num_read, res.shape[0]))
        self.read_dynamic_energy_per_vector = per_vec
        self.read_dynamic_energy = float(sequential_sum(per_vec))

    def _energy_of_resistances(self, res: np.ndarray, reads: np.ndarray) -> np.ndarray:
        """Energy (J) of every row of ``res`` (vectors x columns, ohm), ``reads`` per row:
        the C++ column loop, element by element (the reference the fused path is checked
        against)."""
        num_vectors, num_cols = res.shape
        latency_col, refpower, switching = self._power_constants()
        power = self.get_column_power(res)
        static = np.asarray(power, dtype=float)
        if static.shape != res.shape or static is not power or not static.flags.owndata:
            static = np.array(static, dtype=float).reshape(res.shape)  # a copy of our own
        static += refpower  # p_col, then times the conversion time, in place
        static *= latency_col if self.current_mode else VSA_CONVERSION_S
        if not float(np.min(static)) > 0:  # MAX(x, 0): NaN -> 0 (min is NaN if any is)
            clip = np.greater(static, 0)
            np.copyto(static, 0.0, where=np.logical_not(clip, out=clip))
        # the C++ adds, column by column, the switching then the static energy: rows of
        # (2*columns, vectors) summed top to bottom
        terms = np.empty((2 * num_cols, num_vectors))
        terms[0::2] = switching
        terms[1::2] = static.T
        return sequential_sum(terms, axis=0) * reads

    # -- power from conductance sums (the engine's fused eNVM path) -----------------------------
    def calculate_power_from_conductance(self, conductance: Any, resistance_scale: Any,
                                         num_read: Any) -> None:
        """:meth:`calculate_power` of column resistances ``R_vc = scale_v / g_vc`` given as
        conductance sums ``g`` (vectors x columns, float32 or float64) and ``scale`` (a
        scalar or one value per vector), without forming R.

        With ``L = ln g`` and ``ln R = ln scale - L``, the columns' static-power sum of a
        vector is, piece by piece of the fit, ``a (n ln scale - sum L) + n b`` (``a ln R +
        b`` pieces over their n columns), ``a scale sum(1/g) + n b`` (``a R + b`` pieces),
        ``a scale^-beta sum(g^beta)`` (the HP fit ``a exp(-b log10 R)``, beta = b/ln 10)
        or a constant (voltage mode), from the row sums of
        :class:`~neurosim.primitives.vectors.LogConductanceRows`. Then, per vector,
        ``E = (C * E_switch + lat * (tf * (L-1) * sum fit + C * P_ref)) * num_read`` as the
        C++ sum ``sum_c (E_switch + max(lat * (P_c + P_ref), 0))``. Vectors with a zero,
        infinite or NaN resistance, and blocks where the clipping at 0 could act, take
        :meth:`calculate_power`'s elementwise formula. The result differs from it only by
        rounding (relative 1e-12 in float64; about 1e-7 per column's static power in
        float32, see docs/performance.md).
        """
        if not self.initialized:
            raise RuntimeError("MultilevelSenseAmp.calculate_power_from_conductance: call "
                               "initialize() first")
        g = np.asarray(conductance)
        if g.ndim != 2:
            g = as_vectors(g)
        m = g.shape[0]
        scale = np.asarray(resistance_scale, dtype=np.float64)
        if scale.ndim:
            scale = np.broadcast_to(scale, (m,))
        reads = per_vector(num_read, m)
        self.leakage = 0.0
        per_vec = self._energy_of_conductance(g, scale, reads)
        self.read_dynamic_energy_per_vector = per_vec
        self.read_dynamic_energy = float(sequential_sum(per_vec))

    def _energy_of_conductance(self, g: np.ndarray, scale: np.ndarray,
                               reads: np.ndarray) -> np.ndarray:
        """Per-vector energies of :meth:`calculate_power_from_conductance` (``scale`` a
        0-d array or one value per vector)."""
        param = self.ctx.param
        m, c = g.shape
        latency_col, refpower, switching = self._power_constants()
        lat = latency_col if self.current_mode else VSA_CONVERSION_S
        tf = 1 + 1.3e-3 * (param.temp - 300)
        levels_1 = self.level_output - 1
        rows = LogConductanceRows(g)
        with np.errstate(divide="ignore", invalid="ignore"):
            ln_r0 = np.log(scale) + math.log(0.5 / param.read_voltage)  # ln r = ln_r0 - L
        if np.ndim(ln_r0) == 0:
            ln_r0 = float(ln_r0)  # one scale for all vectors: scalar thresholds
            if not math.isfinite(ln_r0):
                rows.bad[:] = True
        else:
            rows.bad |= ~np.isfinite(ln_r0)
        good = ~rows.bad
        fit_sum = None
        if good.any():
            if not self.current_mode:  # no column power in voltage mode
                fit_sum, lowest = np.zeros(m), (lambda lo, hi: np.zeros(np.shape(lo)))
            elif is_hp(param):
                fit_sum, lowest = self._hp_fit_sums(rows, ln_r0, levels_1)
            else:
                fit_sum, lowest = self._lstp_fit_sums(rows, ln_r0, levels_1)
        if fit_sum is not None:
            # static = lat*(P*tf + P_ref) per column: the fused sum holds while none is
            # clipped at 0. Checked on the range of ln r of the whole block, else row by row
            # (so a row's path never depends on the other rows of the call).
            r0 = np.asarray(ln_r0) if np.ndim(ln_r0) == 0 else ln_r0[good]
            ln_lo = float(np.min(r0)) - rows.lmax
            ln_hi = float(np.max(r0)) - rows.lmin
            if not float((lowest(ln_lo, ln_hi) * tf + refpower) * lat) > 0:
                with np.errstate(invalid="ignore"):
                    row_lo = ln_r0 - np.max(rows.log, axis=1)
                    row_hi = ln_r0 - np.min(rows.log, axis=1)
                    good &= (lowest(row_lo, row_hi) * tf + refpower) * lat > 0
        out = np.empty(m)
        fast = good if fit_sum is not None else np.zeros(m, dtype=bool)
        if fast.any():
            static = (fit_sum[fast] * tf + c * refpower) * lat
            out[fast] = (c * switching + static) * reads[fast]
        slow = np.flatnonzero(~fast)
        if slow.size:
            s_col = scale if scale.ndim == 0 else scale[slow, None]
            with np.errstate(divide="ignore", invalid="ignore"):
                res = s_col / np.asarray(g[slow], dtype=np.float64)
            out[slow] = open_rows_first(res, reads[slow], self._energy_of_resistances,
                                        self.__dict__.setdefault("_open_rows", {}),
                                        (self._power_key, self.current_mode))
        return out

    def _hp_fit_sums(self, rows: LogConductanceRows, ln_r0: Any,
                     levels_1: int) -> tuple[np.ndarray, Any]:
        """Rows' sums of the HP fit ``c (L-1) 1e-6 + a exp(-b log10 r)``, and the lowest
        column value over ``ln r`` in [lo, hi] (scalars or one range per row)."""
        fit = self.ctx.tech.circuit_fit(fits.CIRCUIT, "csa_hp_power")
        c_w, a, b = fit["c_uw"] * levels_1 * 1e-6, fit["a"], fit["b"]
        beta = b / math.log(10.0)
        with np.errstate(over="ignore", invalid="ignore"):
            sums = a * np.exp(-beta * np.asarray(ln_r0)) * rows.exp_sums(beta) \
                + rows.num_cols * c_w

        def lowest(lo: Any, hi: Any) -> np.ndarray:
            with np.errstate(over="ignore", invalid="ignore"):
                return np.minimum(a * np.exp(-beta * np.asarray(lo)) + c_w,
                                  a * np.exp(-beta * np.asarray(hi)) + c_w)
        return sums, lowest

    def _lstp_fit_sums(self, rows: LogConductanceRows, ln_r0: Any,
                       levels_1: int) -> tuple[np.ndarray | None, Any]:
        """Rows' sums of the piecewise LSTP fit times ``levelOutput-1``, and the lowest
        column value over ``ln r`` in [lo, hi] (scalars or one range per row) among the
        pieces a row has columns in (None: pieces not in ascending order, left to the
        elementwise formula)."""
        data = self.ctx.tech.circuit_fit(fits.CIRCUIT, "csa_lstp_power")["pieces"]
        cached = self.__dict__.get("_lstp_fit")
        if cached is None or cached[0] is not data:
            cached = self._lstp_fit = (data, fits.pieces_from_data(data))
        pieces = cached[1]
        uppers = [p.upper for p in pieces[:-1]]
        if any(u is None or not u > 0 for u in uppers) or uppers != sorted(uppers):
            return None, None
        with np.errstate(invalid="ignore", over="ignore"):  # bad rows: replaced later
            return self._lstp_pieces(rows, pieces, uppers, ln_r0, levels_1)

    @staticmethod
    def _lstp_pieces(rows: LogConductanceRows, pieces: tuple[fits.Piece, ...],
                     uppers: list[float], ln_r0: Any, levels_1: int) -> tuple[np.ndarray, Any]:
        m, c = rows.g.shape
        sums = np.zeros(m)
        used: list[tuple[fits.Piece, float, float, np.ndarray]] = []  # piece, ln r range, n
        prev_count, prev_sum = np.zeros(m, dtype=np.int64), np.zeros(m)
        prev: Above | None = None
        lower = -math.inf
        for j, piece in enumerate(pieces):
            upper = math.log(uppers[j]) if j < len(uppers) else math.inf
            if j < len(uppers):  # r < upper  <=>  L > ln_r0 - ln(upper)
                cur = rows.above(ln_r0 - upper)
            else:
                cur = Above(np.full(m, c, dtype=np.int64), rows.total, None)
            count = cur.count - prev_count
            if count.any():
                if piece.kind == fits.LOG:
                    sums += piece.a * (ln_r0 * count - (cur.sum - prev_sum)) + piece.b * count
                else:
                    inv = rows.reciprocal_above(cur)
                    if prev is not None:
                        inv -= rows.reciprocal_above(prev)
                    sums += piece.a * np.exp(ln_r0) * inv + piece.b * count
                used.append((piece, lower, upper, count))
            prev_count, prev_sum, prev = cur.count, cur.sum, cur
            lower = upper

        def lowest(lo: Any, hi: Any) -> np.ndarray:
            out = np.full(np.shape(lo), np.inf)
            for piece, p_lo, p_hi, count in used:
                a_end = np.maximum(lo, p_lo)
                b_end = np.minimum(hi, p_hi)
                # a column counted in the piece by L of the other precision at a boundary
                # can lie just outside [lo, hi]: the ends are then swapped
                ends = np.stack([np.minimum(a_end, b_end), np.maximum(a_end, b_end)])
                f = np.exp(ends) if piece.kind == fits.LIN else ends
                value = np.min(piece.a * f + piece.b, axis=0) * levels_1
                if np.ndim(lo):
                    value = np.where(count > 0, value, np.inf)
                out = np.minimum(out, value)
            return out
        return sums * levels_1, lowest
