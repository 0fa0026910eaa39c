"""Current sense amplifier of a column (NeuroSim V1.4 ``CurrentSenseAmp``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    HEIGHT_WIDTH_RATIO_LIMIT, INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE,
)
from neurosim.primitives.function_unit import FunctionUnit, require_initialized

from . import current_sense_amp_fits as fits
from .bugs import CSA_CHAINED_RATIO_COMPARISON
from neurosim.primitives.vectors import as_vectors, is_hp, per_vector, sequential_sum


class CurrentSenseAmp(FunctionUnit):
    """Current-mode sense amplifier comparing a column current against a mid-scale reference.

    Area: 48 minimum NMOS + 40 minimum PMOS per amplifier, with the width capped so that the
    layout keeps W/H <= ``HEIGHT_WIDTH_RATIO_LIMIT``. Latency and power are Cadence fits of the
    column resistance R (normalised to a 0.5 V read): ``T(R)`` from ``T_max(R)`` and the
    reference ratio ``Rref/R`` (LSTP, >= 32 nm; otherwise 1 ns), ``P(R) = c + a*R^(-b)``.
    The sensing latency is the slowest column clamped to [0.5 ns, 50 ns], times the
    ``num_col_muxed`` conversions; the energy is the sum over columns of ``T(R)*P(R)``.

    Vectorized API: ``calculate_latency`` / ``calculate_power`` accept ``column_resistance`` as
    a 1-D sequence (one C++ call) or a 2-D array of shape (num_vectors, num_columns), i.e. one
    C++ call per row; ``num_read`` may be a scalar or one value per vector. The per-call results
    are in ``read_latency_per_vector`` / ``read_dynamic_energy_per_vector`` and ``read_latency``
    / ``read_dynamic_energy`` hold their sum over vectors (for 1-D input, the C++ value).
    ``get_column_latency`` / ``get_column_power`` accept scalars or arrays.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.invalid = False

    def initialize(self, num_col: int, parallel: bool, rowbyrow: bool, clk_freq: float,
                   num_read_cell_per_operation_neuro: int) -> None:
        """Size the amplifier and place the reference midway between R_on and R_off."""
        if self.initialized:
            warnings.warn("[Current Sense Amp] Warning: Already initialized!", stacklevel=2)
        tech, param = self.ctx.tech, self.ctx.param
        self.num_col = num_col
        self.parallel = parallel
        self.rowbyrow = rowbyrow
        self.clk_freq = clk_freq
        self.num_read_cell_per_operation_neuro = num_read_cell_per_operation_neuro
        self.width_nmos = MIN_NMOS_SIZE * tech.feature_size
        self.width_pmos = tech.pn_size_ratio * MIN_NMOS_SIZE * tech.feature_size
        r_start = 1.0 / param.max_conductance
        r_index = 1.0 / param.min_conductance - 1.0 / param.max_conductance
        self.rref = r_start + r_index / 2
        self.initialized = True

    def calculate_unit_area(self) -> None:
        """Area of one amplifier: 48 minimum NMOS and 40 minimum PMOS."""
        require_initialized(self, "calculate_unit_area")
        tech = self.ctx.tech
        h_region = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_nmos, w_nmos = formula.calculate_gate_area(INV, 1, self.width_nmos, 0, h_region, tech)
        _, h_pmos, w_pmos = formula.calculate_gate_area(INV, 1, 0, self.width_pmos, h_region, tech)
        self.area_unit = (h_nmos * w_nmos) * 48 + (h_pmos * w_pmos) * 40

    def calculate_area(self, width_array: float) -> None:
        """Lay the amplifiers side by side, each ``width_array`` wide (capped by the W/H limit)."""
        require_initialized(self, "calculate_area")
        x = math.sqrt(self.area_unit / HEIGHT_WIDTH_RATIO_LIMIT)
        if width_array > x:
            width_array = x
        self.width_array = width_array
        self.area = self.area_unit * self.num_col
        self.width = width_array * self.num_col
        self.height = self.area_unit / width_array

    # -- column models -------------------------------------------------------------------------
    def _normalised(self, column_res: Any) -> np.ndarray:
        return np.asarray(column_res, dtype=float) * (0.5 / self.ctx.param.read_voltage)

    def get_column_latency(self, column_res: Any) -> Any:
        """Sensing time (s) of a column of resistance ``column_res`` (scalar or array)."""
        param = self.ctx.param
        r = self._normalised(column_res)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            fit = None if is_hp(param) else self.ctx.tech.circuit_fit(fits.CIRCUIT,
                                                                      "lstp_latency")
            if fit is None:
                lat = np.full(r.shape, fits.DEFAULT_LATENCY_S)
            elif "flat_s" in fit:
                lat = np.full(r.shape, float(fit["flat_s"]))
            else:
                lat = self._lstp_fit_latency(r, fit["a"], fit["b"], fit["low_poly"],
                                             fit["high_poly"])
            lat = np.where((1.0 / r == 0) | (r == 0), 0.0, lat)
        return float(lat) if lat.ndim == 0 else lat

    def _lstp_fit_latency(self, r: np.ndarray, a: float, b: float, low: tuple, high: tuple
                          ) -> np.ndarray:
        t_max = (a * np.log(r / 1000) + b) * 1e-9
        ratio = self.rref / r
        p2, p3, p4 = np.power(ratio, 2), np.power(ratio, 3), np.power(ratio, 4)
        t_low = t_max * (low[0] * p3 + low[1] * p2 + low[2] * ratio + low[3])
        t_high = t_max * (high[0] * p4 + high[1] * p3 + high[2] * p2 + high[3] * ratio + high[4])
        if self.ctx.bug(CSA_CHAINED_RATIO_COMPARISON):
            t_mid = t_high  # `mid_bound <= ratio <= up_bound` is always true in C++
        else:
            t_mid = np.where((ratio >= fits.MID_BOUND) | (ratio > fits.UP_BOUND), t_high, t_max)
        t = np.where((ratio >= fits.RATIO_FLAT_HIGH) | (ratio <= fits.RATIO_FLAT_LOW),
                     fits.DEFAULT_LATENCY_S, np.where(ratio <= fits.LOW_BOUND, t_low, t_mid))
        return np.where(0.0 < t, t, 0.0)  # std::max(0.0, T)

    def get_column_power(self, column_res: Any) -> Any:
        """Static power (W) of the amplifier on a column of resistance ``column_res``."""
        param = self.ctx.param
        r = self._normalised(column_res)
        fit = self.ctx.tech.circuit_fit(fits.CIRCUIT, "hp_power" if is_hp(param)
                                        else "lstp_power")
        c, a, b = fit["c_uw"], fit["a"], fit["b"]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            power = c * 1e-6 + a * np.exp(-b * np.log10(r))
            power = np.where(r == 0, 0.0, power)
            power = np.where(1.0 / r == 0, fits.OPEN_COLUMN_POWER_W, power)
        return float(power) if power.ndim == 0 else power

    # -- per-read results ----------------------------------------------------------------------
    def calculate_latency(self, column_resistance: Any, num_col_muxed: float,
                          num_read: Any) -> None:
        """Slowest column (clamped to [0.5 ns, 50 ns]) times ``num_col_muxed`` and ``num_read``."""
        require_initialized(self, "calculate_latency")
        res = as_vectors(column_resistance)
        lat = np.asarray(self.get_column_latency(res), dtype=float).reshape(res.shape)
        if res.shape[1]:
            # max over columns, NaN ignored as by std::max, then the running clamp of the C++ loop
            col = np.clip(np.fmax.reduce(lat, axis=1, initial=0.0), 5e-10, 50e-9)
        else:
            col = np.zeros(res.shape[0])
        per_vec = (0.0 + col * num_col_muxed) * per_vector(num_read, res.shape[0])
        self.read_latency_per_vector = per_vec
        self.read_latency = float(sequential_sum(per_vec))

    def calculate_power(self, column_resistance: Any, num_read: Any) -> None:
        """Sum over columns of ``T(R)*P(R)``, times ``num_read``; no leakage is modelled."""
        require_initialized(self, "calculate_power")
        res = as_vectors(column_resistance)
        lat = np.asarray(self.get_column_latency(res), dtype=float).reshape(res.shape)
        power = np.asarray(self.get_column_power(res), dtype=float).reshape(res.shape)
        per_vec = sequential_sum(lat * power, axis=1) * per_vector(num_read, res.shape[0])
        self.leakage = 0.0
        self.read_dynamic_energy_per_vector = per_vec
        self.read_dynamic_energy = float(sequential_sum(per_vec))
