"""Successive-approximation ADC per column group (NeuroSim V1.4 ``SarADC``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from neurosim.errors import ConfigError
from neurosim.primitives import formula
from neurosim.primitives.constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, AreaModify
from neurosim.primitives.function_unit import FunctionUnit

from . import sar_fits as fits
from neurosim.primitives.vectors import (
    LogConductanceRows, as_vectors, is_hp, open_rows_first, per_vector, sequential_sum,
)


class SarADC(FunctionUnit):
    """SAR ADC of ``log2(levelOutput)`` bits, one per ``numColMuxed`` columns.

    * Area: ``269 + 109*(bits-1)`` minimum NMOS and ``209 + 73*(bits-1)`` minimum PMOS per ADC.
    * Latency: ``bits + 1`` cycles of 1 ns per conversion.
    * Energy per column: Cadence-fitted power ``(c1*bits + c0) uW + a*R^(-b)`` (R normalised
      to a 0.5 V read, temperature factor ``1 + 1.3e-3 (T-300)``) times the conversion time.

    Vectorized API (the ADC is evaluated per input vector per column): ``calculate_power``
    takes ``column_resistance`` as a 1-D sequence (one C++ call: the resistances of the ADC's
    columns for one input vector) or a 2-D array (num_vectors, num_columns) (one C++ call per
    row); ``num_read`` is a scalar or one value per vector. Per-call energies are in
    ``read_dynamic_energy_per_vector`` and ``read_dynamic_energy`` holds their left-to-right
    sum (for 1-D input: the C++ value). ``calculate_latency`` accepts the same arguments
    (``read_latency_per_vector``, ``read_latency``); the SAR latency does not depend on the
    resistances. ``get_column_power`` accepts scalars or arrays.

    ADC contract (what the engine relies on; a third-party ADC selected with ``adc = "<name>"``
    registers ``register("adc", "<name>", cls)`` and provides the same):

    * ``cls(ctx)``; class attribute ``needs_encoder`` (False: the SAR output is binary, the
      sub-array adds no ``mlsa_encoder``).
    * ``initialize(num_col, level_output, clk_freq, num_read_cell_per_operation_neuro,
      parallel, current_mode)``: ``num_col`` ADCs of ``level_output`` levels (the SAR ADC
      ignores ``parallel`` and ``current_mode``, which the C++ does not take).
    * ``calculate_unit_area()``, then ``calculate_area(height_array, width_array, option)``
      filling ``area`` (m^2), ``height``, ``width`` (m).
    * ``calculate_latency(column_resistance=..., num_col_muxed=..., num_read=...)`` (keyword
      call; the C++ ``CalculateLatency(numRead)`` is ``calculate_latency(num_read)``) filling
      ``read_latency`` (s) and ``read_latency_per_vector``.
    * ``calculate_power(column_resistance, num_read)`` filling ``read_dynamic_energy`` (J),
      ``read_dynamic_energy_per_vector`` and ``leakage`` (W).
    """

    needs_encoder = False

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.initialized = False
        self.area_unit = 0.0

    def initialize(self, num_col: int, level_output: int, clk_freq: float,
                   num_read_cell_per_operation_neuro: int, parallel: bool = True,
                   current_mode: bool = True) -> None:
        """``num_col`` ADCs of ``level_output`` levels; minimum device widths."""
        if self.initialized:
            warnings.warn("[SarADC] Warning: Already initialized!", stacklevel=2)
            return
        tech = self.ctx.tech
        self.num_col = int(num_col)
        self.level_output = int(level_output)
        self.clk_freq = clk_freq
        self.num_read_cell_per_operation_neuro = num_read_cell_per_operation_neuro
        self.width_nmos = MIN_NMOS_SIZE * tech.feature_size
        self.width_pmos = tech.pn_size_ratio * MIN_NMOS_SIZE * tech.feature_size
        self.initialized = True

    def _require(self, method: str) -> None:
        if not self.initialized:
            raise RuntimeError(f"SarADC.{method}: call initialize() first")

    def calculate_unit_area(self) -> None:
        """Transistor area of one ADC (``area_unit``, m^2)."""
        self._require("calculate_unit_area")
        tech = self.ctx.tech
        h_region = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_nmos, w_nmos = formula.calculate_gate_area(INV, 1, self.width_nmos, 0, h_region, tech)
        _, h_pmos, w_pmos = formula.calculate_gate_area(INV, 1, 0, self.width_pmos, h_region, tech)
        bits = math.log2(self.level_output)
        n0, p0 = fits.BASE_TRANSISTORS
        n1, p1 = fits.PER_BIT_TRANSISTORS
        self.area_unit = ((h_nmos * w_nmos) * (n0 + (bits - 1) * n1)
                          + (h_pmos * w_pmos) * (p0 + (bits - 1) * p1))

    def calculate_area(self, height_array: float, width_array: float, option: int) -> None:
        """All ADCs laid out to the given width (or height)."""
        self._require("calculate_area")
        self.area = self.height = self.width = 0.0
        if width_array and option == AreaModify.NONE:
            self.area = self.area_unit * self.num_col
            self.width = width_array
            self.height = self.area / width_array
        elif height_array and option == AreaModify.NONE:
            self.area = self.area_unit * self.num_col
            self.height = height_array
            self.width = self.area / self.height
        else:
            raise ConfigError("SarADC: no width or height assigned for the SAR ADC layout "
                              "(calculate_area needs height_array or width_array with option "
                              "NONE)")
        self.new_height = height_array
        self.new_width = width_array

    def calculate_latency(self, num_read: Any = 1.0, column_resistance: Any = None,
                          num_col_muxed: float = 1.0) -> None:
        """``log2(levelOutput)+1`` cycles of 1 ns per conversion, times ``num_read``.

        ``num_col_muxed`` conversions per read (1 in the C++, which has no such argument);
        a 2-D ``column_resistance`` only sets the number of vectors.
        """
        self._require("calculate_latency")
        num_vectors = as_vectors(column_resistance).shape[0]
        latency = 0.0
        latency += (math.log2(self.level_output) + 1) * fits.CYCLE_S
        per_vec = latency * num_col_muxed * per_vector(num_read, num_vectors)
        self.read_latency_per_vector = per_vec
        self.read_latency = float(sequential_sum(per_vec))

    def get_column_power(self, column_res: Any) -> Any:
        """Conversion energy (J) of the ADC on a column of ``column_res`` ohm.

        NeuroSim names it a power but returns ``P(R) * (log2(levelOutput)+1) * 1 ns``.
        """
        param = self.ctx.param
        bits = math.log2(self.level_output)
        if is_hp(param):
            fit = self.ctx.tech.circuit_fit(fits.CIRCUIT, "hp_power")
        else:
            fit = self.ctx.tech.circuit_fit(fits.CIRCUIT, "lstp_power")
        c1, c0, a, b = fit["c1_uw"], fit["c0_uw"], fit["a"], fit["b"]
        r = np.asarray(column_res, dtype=float) * (0.5 / param.read_voltage)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            power = (c1 * bits + c0) * 1e-6 + a * np.exp(-b * np.log10(r))
            power = np.where(r == 0, 0.0, power)
            power = np.where(1.0 / r == 0, fits.OPEN_COLUMN_POWER_W, power)
        power = power * (1 + 1.3e-3 * (param.temp - 300))
        energy = power * (bits + 1) * fits.CYCLE_S
        return float(energy) if energy.ndim == 0 else energy

    def calculate_power(self, column_resistance: Any, num_read: Any) -> None:
        """Sum over columns of the conversion energy, times ``num_read``; no leakage."""
        self._require("calculate_power")
        res = as_vectors(column_resistance)
        per_vec = self._energy_of_resistances(res, per_vector(num_read, res.shape[0]))
        self.leakage = 0.0
        self.read_dynamic_energy_per_vector = per_vec
        self.read_dynamic_energy = float(sequential_sum(per_vec))

    def _energy_of_resistances(self, res: np.ndarray, reads: np.ndarray) -> np.ndarray:
        """Energy (J) of every row of ``res`` (vectors x columns, ohm), ``reads`` per row,
        column by column (the reference of the fused path)."""
        energy = np.asarray(self.get_column_power(res), dtype=float).reshape(res.shape)
        return sequential_sum(energy, axis=1) * reads

    def calculate_power_from_conductance(self, conductance: Any, resistance_scale: Any,
                                         num_read: Any) -> None:
        """:meth:`calculate_power` of column resistances ``R_vc = scale_v / g_vc`` given as
        conductance sums ``g`` (vectors x columns, float32 or float64) and ``scale`` (a
        scalar or one value per vector), without forming R.

        ``exp(-b log10 r) = (k scale)^-beta g^beta`` (beta = b / ln 10, ``r = k R`` the
        resistance at a 0.5 V read), so a vector's energy is ``(C P_0 + a (k
        scale)^-beta sum_c g_c^beta) * tf * (bits+1) * 1 ns * num_read``, with
        ``sum g^beta`` a row sum of :class:`~neurosim.primitives.vectors.
        LogConductanceRows`. Vectors with a zero, infinite or NaN resistance take the
        elementwise formula. The result differs from :meth:`calculate_power` only by
        rounding (relative 1e-12 in float64, about 1e-7 in float32).
        """
        self._require("calculate_power_from_conductance")
        g = np.asarray(conductance)
        if g.ndim != 2:
            g = as_vectors(g)
        m, c = g.shape
        scale = np.asarray(resistance_scale, dtype=np.float64)
        if scale.ndim:
            scale = np.broadcast_to(scale, (m,))
        reads = per_vector(num_read, m)
        param = self.ctx.param
        bits = math.log2(self.level_output)
        fit = self.ctx.tech.circuit_fit(fits.CIRCUIT, "hp_power" if is_hp(param)
                                        else "lstp_power")
        c1, c0, a, b = fit["c1_uw"], fit["c0_uw"], fit["a"], fit["b"]
        beta = b / math.log(10.0)
        rows = LogConductanceRows(g)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ln_r0 = np.log(scale) + math.log(0.5 / param.read_voltage)  # ln r = ln_r0 - L
            rows.bad |= np.broadcast_to(~np.isfinite(ln_r0), (m,))
            fast = ~rows.bad
            out = np.empty(m)
            if fast.any():
                sums = c * (c1 * bits + c0) * 1e-6 + a * np.exp(-beta * ln_r0) * rows.exp_sums(beta)
                per_col = (1 + 1.3e-3 * (param.temp - 300)) * (bits + 1) * fits.CYCLE_S
                out[fast] = (np.broadcast_to(sums, (m,))[fast] * per_col) * reads[fast]
        slow = np.flatnonzero(~fast)
        if slow.size:
            s_col = scale if scale.ndim == 0 else scale[slow, None]
            with np.errstate(divide="ignore", invalid="ignore"):
                res = s_col / np.asarray(g[slow], dtype=np.float64)
            key = (param.technode, param.deviceroadmap, param.read_voltage, param.temp)
            out[slow] = open_rows_first(res, reads[slow], self._energy_of_resistances,
                                        self.__dict__.setdefault("_open_rows", {}), key)
        self.leakage = 0.0
        self.read_dynamic_energy_per_vector = out
        self.read_dynamic_energy = float(sequential_sum(out))
