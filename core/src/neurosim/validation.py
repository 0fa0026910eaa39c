"""Range checks of every numeric option by its physical meaning (issue 16).

:func:`check_ranges` runs first in :meth:`neurosim.config.Config.validate`, before any
combination rule and long before the engine: every number must be finite and inside the
bounds of :data:`BOUNDS` (or, for options that have no entry there, the ``minimum`` /
``maximum`` given to :func:`neurosim.config.opt`). Messages name the option, its Param.cpp
alias and unit::

    option resistance_on_ohm (NeuroSim: resistanceOn) = 0 ohm must be > 0 ohm: a cell
    conducts through a positive resistance

:func:`check_relations` holds the checks between two options, :func:`notices` the values
NeuroSim computes although its comments advise against them (printed, not rejected).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, fields
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Bound:
    """``low <= v <= high`` (``<`` where ``*_open``); ``why`` is the physical reason."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    why: str = ""
    why_high: str | None = None  # the reason of the upper bound (default: ``why``)

    def violated_by(self, v: float) -> tuple[str, float, str] | None:
        """The broken half as (relation, limit, reason), e.g. ``(">", 0, "...")``; None
        when ``v`` is inside."""
        if self.low is not None and (v <= self.low if self.low_open else v < self.low):
            return (">" if self.low_open else ">=", self.low, self.why)
        if self.high is not None and (v >= self.high if self.high_open else v > self.high):
            high_why = self.why if self.why_high is None else self.why_high
            return ("<" if self.high_open else "<=", self.high, high_why)
        return None

    def describe(self) -> str:
        """The accepted range in words, e.g. ``> 0 and <= 1000`` (what the docs print)."""
        parts = []
        if self.low is not None:
            parts.append(f"{'>' if self.low_open else '>='} {self.low:g}")
        if self.high is not None:
            parts.append(f"{'<' if self.high_open else '<='} {self.high:g}")
        return " and ".join(parts)


BOUNDS: dict[str, Bound] = {
    "global_buffer_core_rows": Bound(1, 65536),
    "global_buffer_core_cols": Bound(1, 65536),
    "tile_buffer_core_rows": Bound(1, 65536),
    "tile_buffer_core_cols": Bound(1, 65536),
    "speedup_degree": Bound(0, 1024),
    "clk_freq_hz": Bound(0, 1e12, low_open=True, why="a clock runs at a positive frequency",
                         why_high=""),
    "global_bus_delay_tolerance": Bound(0, 10),
    "local_bus_delay_tolerance": Bound(0, 10),
    "tree_folded_ratio": Bound(1, 1024),
    "max_global_bus_width": Bound(1, 1 << 20),
    "input_toggle": Bound(0, 1, why="a toggle rate is a probability"),
    "output_toggle": Bound(0, 1, why="a toggle rate is a probability"),
    "subarray_rows": Bound(1, 8192),
    "subarray_cols": Bound(1, 8192),
    "parallel_rows": Bound(0, 8192),
    "col_mux": Bound(1, 8192),
    "temperature_k": Bound(300, 400, why="the transistor tables cover 300-400 K"),
    "level_output": Bound(2, 65536, why="an ADC resolves at least 2 levels", why_high=""),
    "cell_bits": Bound(1, 8, why="a memory cell stores at most 8 bits (256 levels)"),
    "synapse_bits": Bound(1, 32),
    "input_bits": Bound(1, 32),
    "min_sense_voltage_v": Bound(0, 5, low_open=True),
    "height_1t1r_f": Bound(0, 1000, low_open=True, why="a cell has a positive size"),
    "width_1t1r_f": Bound(0, 1000, low_open=True, why="a cell has a positive size"),
    "height_crossbar_f": Bound(0, 1000, low_open=True, why="a cell has a positive size"),
    "width_crossbar_f": Bound(0, 1000, low_open=True, why="a cell has a positive size"),
    "resistance_on_ohm": Bound(0, 1e12, low_open=True,
                               why="a cell conducts through a positive resistance",
                               why_high="beyond any memory cell's on state"),
    "resistance_off_ohm": Bound(0, 1e15, low_open=True,
                                why="a cell conducts through a positive resistance",
                                why_high="beyond any memory cell's off state"),
    "read_pulse_width_s": Bound(0, 1e-3, low_open=True),
    "access_voltage_v": Bound(0, 5, low_open=True),
    "write_voltage_v": Bound(0, 10, low_open=True),
    "adc_bits": Bound(1, 16),
    "onoff_ratio": Bound(1, 1e6),
    "variation": Bound(0, 1, why="a relative sigma above 100% has no conductance meaning"),
    "retention_time_s": Bound(0, 1e10),
    "drift_nu": Bound(0, 1),
    "drift_target": Bound(0, 1, why="the target is a fraction of the conductance range"),
    "seed": Bound(0, 2**32 - 1, why="numpy's and torch's generators take 32-bit seeds"),
    "stuck_at_0_rate": Bound(0, 1, why="a rate is a fraction of the cells"),
    "stuck_at_1_rate": Bound(0, 1, why="a rate is a fraction of the cells"),
    # as variation (1e300 overflowed: an internal error before)
    "read_noise": Bound(0, 1, why="a relative sigma above 100% has no conductance meaning"),
    # per-node Param.cpp values: the node plugins span sizing factors 1..130, switch-matrix
    # ratios 0.03..14, wires 8..175 nm, barriers 0.2..10 nm, read voltages 0.25..0.58 V,
    # SRAM cells 10..144 F; the bounds keep every product finite (0 divided, 1e308
    # overflowed: internal errors before)
    "sizingfactor_mux": Bound(0, 1000, low_open=True, why="a transistor has a positive width",
                              why_high=""),
    "sizingfactor_wldecoder": Bound(0, 1000, low_open=True,
                                    why="a transistor has a positive width", why_high=""),
    "switchmatrixsizeratio": Bound(0, 1000, low_open=True,
                                   why="a transistor has a positive width", why_high=""),
    "newswitchmatrixsizeratio": Bound(0, 1000),
    "buffernumber": Bound(0, 1000),
    "buffersizeratio": Bound(0, 1000),
    "wire_width_nm": Bound(1, 1e5),
    "metal0_nm": Bound(1, 1e5),
    "metal1_nm": Bound(1, 1e5),
    "barrier_thickness_m": Bound(0, 1e-6),
    "read_voltage_v": Bound(0, 5, low_open=True, why="a read applies a positive voltage",
                            why_high=""),
    "sram_cell_height_f": Bound(1, 1e4, why="a cell is at least one feature size",
                                why_high=""),
    "sram_cell_width_f": Bound(1, 1e4, why="a cell is at least one feature size",
                               why_high=""),
    "sram_cell_nmos_width_f": Bound(0, 1000, low_open=True,
                                    why="a transistor has a positive width", why_high=""),
    "sram_cell_pmos_width_f": Bound(0, 1000, low_open=True,
                                    why="a transistor has a positive width", why_high=""),
    "sram_access_width_f": Bound(0, 1000, low_open=True,
                                 why="a transistor has a positive width", why_high=""),
}


def _label(f: Any) -> str:
    aliases = f.metadata.get("aliases") or ()
    return f"{f.name} (NeuroSim: {aliases[0]})" if aliases and aliases[0] != f.name \
        else f.name


def _with_unit(v: float, unit: str) -> str:
    # an integer beyond 25 digits (seed = 1e308 in a file) in 6 digits, not 309
    text = str(v) if isinstance(v, int) and abs(v) < 10**25 else f"{v:g}"
    return f"{text} {unit}" if unit and unit != "path" else text


def bound_of(f: Any) -> Bound | None:
    """The bound of option field ``f``: :data:`BOUNDS`, else its opt() minimum/maximum."""
    if f.name in BOUNDS:
        return BOUNDS[f.name]
    lo, hi = f.metadata.get("minimum"), f.metadata.get("maximum")
    if lo is None and hi is None:
        return None
    return Bound(lo, hi)


def check_ranges(cfg: Any) -> None:
    """Every numeric option finite and inside its bound; raises :class:`ConfigError`."""
    for f in fields(cfg):
        _check_field(f, getattr(cfg, f.name))


def check_range(cfg: Any, name: str) -> None:
    """Option ``name`` of ``cfg`` one of its choices, finite and inside its bound (what
    ``Config.validate`` checks for every option; a sweep spec checks each value with it)."""
    for f in fields(cfg):
        if f.name == name:
            check_choice(f, getattr(cfg, name))
            _check_field(f, getattr(cfg, name))


def check_choice(f: Any, v: Any) -> None:
    """The value ``v`` of option field ``f`` one of its ``choices`` (when it has some)."""
    choices = f.metadata.get("choices")
    if choices is not None and v not in choices:
        raise ConfigError(f"option {f.name} = {v!r} is not allowed; "
                          f"choose one of {', '.join(map(str, choices))}")


def _check_field(f: Any, v: Any) -> None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return
    unit = f.metadata.get("unit", "")
    if isinstance(v, float) and not math.isfinite(v):
        raise ConfigError(f"option {_label(f)} = {v} must be a finite number")
    if isinstance(v, float) and v != 0 and abs(v) < sys.float_info.min:
        # a subnormal (1e-320): its reciprocal overflows to inf, so 1/clk_freq_hz and
        # 1/sizingfactor_mux were inf (different figures, a ZeroDivisionError) before
        raise ConfigError(f"option {_label(f)} = {v:g} is subnormal (closer to 0 than "
                          f"{sys.float_info.min:g}, where 1/x overflows); give a normal "
                          "number")
    bound = bound_of(f)
    broken = bound.violated_by(v) if bound is not None else None
    if broken:
        rel, limit, why = broken
        raise ConfigError(f"option {_label(f)} = {_with_unit(v, unit)} must be {rel} "
                          f"{_with_unit(limit, unit)}{': ' + why if why else ''}")


def check_relations(cfg: Any) -> None:
    """Checks between options (after :func:`check_ranges`)."""
    if cfg.parallel_rows > cfg.subarray_rows:
        raise ConfigError(f"option parallel_rows (NeuroSim: numRowParallel) = "
                          f"{cfg.parallel_rows} exceeds subarray_rows = {cfg.subarray_rows}")
    if cfg.col_mux > cfg.subarray_cols:
        raise ConfigError(f"option col_mux (NeuroSim: numColMuxed) = {cfg.col_mux} exceeds "
                          f"subarray_cols = {cfg.subarray_cols}: an ADC is shared by at most "
                          "all columns of its subarray")
    if cfg.device != "sram" and cfg.resistance_off_ohm <= cfg.resistance_on_ohm:
        raise ConfigError(f"option resistance_off_ohm (NeuroSim: resistanceOff) = "
                          f"{cfg.resistance_off_ohm:g} ohm must be larger than "
                          f"resistance_on_ohm = {cfg.resistance_on_ohm:g} ohm (the off state "
                          "conducts less)")
    if cfg.algo_weight_max <= cfg.algo_weight_min:
        raise ConfigError("option algo_weight_max must be larger than algo_weight_min")


def check_chip_clocking(cfg: Any) -> None:
    """The chip-level rule of asynchronous mode (checked by the estimate flow, not by the
    configuration: a subarray, interconnect or digital circuit alone computes finite figures
    in asynchronous mode; only the register-file buffers of a whole chip do not)."""
    if not cfg.synchronous and not (cfg.pe_buffer_sram and cfg.global_buffer_sram):
        from .errors import RejectedConfiguration

        raise RejectedConfiguration(
            "synchronous = false (asynchronous mode) with register-file buffers: NeuroSim "
            "times a register-file (DFF) read as 1/clkFreq/2 with the DFF's clock, which "
            "asynchronous mode never sets, so its latencies come out infinite and its "
            "energies NaN; use SRAM buffers (pe_buffer_sram = true and global_buffer_sram = "
            "true, Param.cpp peBufferType=1 globalBufferType=1) or synchronous = true")


def check_sram_mux(cfg: Any) -> None:
    """SRAM in conventional parallel mode with the multilevel sense amp needs col_mux > 1:
    NeuroSim sets the cell access resistance (``param->resCellAccess``) that spans the
    MLSA's reference ladder (architecture spec section 8: ``G_start =
    numRowParallel/resCellAccess``) only while building the column mux, so with
    numColMuxed = 1 the ladder divides by zero (NaN references in the C++)."""
    if cfg.device == "sram" and cfg.operation_mode == 2 and cfg.adc == "mlsa" \
            and cfg.col_mux == 1:
        from .errors import RejectedConfiguration

        raise RejectedConfiguration(
            "col_mux (NeuroSim: numColMuxed) = 1 with device = sram and adc = mlsa in "
            "conventional parallel mode: NeuroSim sets the SRAM access resistance that spans "
            "the sense amp's reference levels only when columns share an ADC, so its "
            "references come out NaN; use col_mux >= 2 or adc = sar (SARADC=1)")


def nonfinite_figures(data: Any, path: str = "") -> list[str]:
    """Dotted paths of every non-finite number (or ``"inf"``/``"nan"`` string) in a result's
    JSON, e.g. ``["layers.1.read_latency_s"]``; empty when all figures are finite."""
    out: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += nonfinite_figures(v, f"{path}.{k}" if path else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += nonfinite_figures(v, f"{path}.{i + 1}" if path else str(i + 1))
    elif isinstance(data, float) and not math.isfinite(data):
        out.append(path)
    elif isinstance(data, str) and data.strip().lstrip("+-").lower() in ("inf", "nan",
                                                                        "infinity"):
        out.append(path)
    return out


def check_finite(result_json: dict, cfg: Any = None) -> None:
    """Refuse a result with non-finite figures (exit 2) instead of printing it, with the
    cause where it is known for the configuration ``cfg`` (:func:`nonfinite_cause`)."""
    bad = nonfinite_figures({k: v for k, v in result_json.items() if k != "config"})
    if bad:
        from .errors import NeuroSimError

        more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
        cause = nonfinite_cause(cfg) if cfg is not None else None
        raise NeuroSimError(f"the estimate has non-finite figures ({', '.join(bad[:3])}"
                            f"{more}); " + (cause or "this configuration is outside what the "
                                            "models describe") + ", nothing was written")


def nonfinite_cause(cfg: Any) -> str | None:
    """The known cause of non-finite figures for ``cfg`` (None when not known)."""
    if cfg.operation_mode == 1 and cfg.device != "sram" and cfg.adc == "sar":
        return ("conventional sequential eNVM reads (operation_mode = 1) divide a column's "
                "conductance by the rows the input vector activates, 0/0 for a vector that "
                "activates none, and the SAR ADC's energy of that NaN resistance is NaN, as "
                "NeuroSim V1.4 prints it; use operation_mode = 2 (conventionalParallel)")
    return None


def notices(cfg: Any) -> list[str]:
    """Values NeuroSim computes although its comments advise against them, and options the
    configured device never reads (:mod:`neurosim.option_notices`)."""
    out = []
    lv = cfg.level_output
    if lv & (lv - 1):
        out.append(f"Notice: level_output (levelOutput) = {lv} is not a power of 2 "
                   "(Param.cpp: 'should be 2^N'); computed as NeuroSim does, with "
                   f"int(log2({lv})) = {int(math.log2(lv))} output bits where it truncates")
    if cfg.speedup_degree == 0:
        out.append("Notice: speedup_degree (speedUpDegree) = 0 is computed as NeuroSim does: "
                   "every layer gets speed-up 1 (as with speedup_degree = 1)")
    from .option_notices import inapplicable_option_notices, unread_option_notices
    from .plugins import get_registry

    registry = get_registry()
    if cfg.device in registry.names("device"):
        out += inapplicable_option_notices(cfg, registry.get("device", cfg.device))
    node = registry.get("tech", cfg.tech) if cfg.tech in registry.names("tech") else None
    return out + unread_option_notices(cfg, node)


def _check_global_bus(name: str, registry: Any) -> None:
    """``global_bus`` names an installed interconnect plugin (an unknown name was
    estimated as the X-Y bus, silently)."""
    from .errors import UnknownComponentError

    try:
        registry.entry("interconnect", name)
    except UnknownComponentError as exc:
        raise UnknownComponentError(f"option global_bus (globalBusType) = {name!r}: "
                                    f"{exc}") from None


def check_components(cfg: Any, registry: Any) -> None:
    """The node, device, global bus and every ``peripherals.<role>`` name against the
    installed plugins (a misspelled role is an error, not silently ignored)."""
    import difflib

    registry.entry("tech", cfg.tech)
    registry.entry("device", cfg.device)
    _check_global_bus(cfg.global_bus, registry)
    roles = registry.roles()
    if "adc" in roles:  # the adc option names the converter plugin (mlsa, sar, ...)
        registry.entry("peripheral", cfg.adc, "adc")
    for role, name in sorted(cfg.peripherals.items()):
        if role not in roles:
            near = difflib.get_close_matches(role, roles, n=2, cutoff=0.5)
            hint = f" Did you mean {' or '.join(repr(r) for r in near)}?" if near else ""
            raise ConfigError(f"option peripherals.{role} = {name!r}: no peripheral role "
                              f"{role!r} is installed.{hint} Roles: {', '.join(roles)}")
        registry.entry("peripheral", name, role)


#: The largest size of one layer dimension (map height/width, channels, kernel, stride).
MAX_LAYER_SIZE = 1 << 20


def layer_problem(layer: Any) -> str | None:
    """Why NeuroSim cannot simulate ``layer`` (a :class:`~neurosim.engine.traces.LayerSpec`),
    or None. NeuroSim simulates a valid (unpadded) convolution: ``(H-kh+1)/s x (W-kw+1)/s``
    input vectors, which must be at least one; no size may exceed :data:`MAX_LAYER_SIZE`
    (a 1e308-wide map overflowed the float count of input vectors: an internal error)."""
    for name in ("ifm_h", "ifm_w", "cin", "kh", "kw", "cout", "stride"):
        size = getattr(layer, name)
        if size > MAX_LAYER_SIZE:
            shown = str(size) if size < 10**15 else f"{float(size):.3g}"
            return (f"{name} = {shown} exceeds {MAX_LAYER_SIZE} (beyond any network layer "
                    "NeuroSim maps)")
    if layer.kh > layer.ifm_h or layer.kw > layer.ifm_w:
        return (f"kernel {layer.kh}x{layer.kw} is larger than the {layer.ifm_h}x{layer.ifm_w} "
                "input map (NeuroSim simulates the unpadded convolution; give the padded "
                "input size)")
    if layer.num_in_vector < 1:
        return (f"stride {layer.stride} leaves no output position on the {layer.ifm_h}x"
                f"{layer.ifm_w} input map with a {layer.kh}x{layer.kw} kernel "
                f"(({layer.ifm_h}-{layer.kh}+1)/{layer.stride} < 1)")
    return None


def check_layers(layers: Any) -> None:
    """:func:`layer_problem` of every layer, as a :class:`ConfigError` naming the layer."""
    for i, layer in enumerate(layers):
        problem = layer_problem(layer)
        if problem:
            raise ConfigError(f"layer {i + 1}: {problem}")


#: settings of a replay case (the wrapper's names) -> the option whose bound applies
REPLAY_SETTINGS = {"ADCprecision": "adc_bits", "cellBit": "cell_bits",
                   "subArray": "subarray_rows", "wl_input": "input_bits",
                   "wl_activate": "input_bits", "wl_weight": "synapse_bits",
                   "onoffratio": "onoff_ratio", "vari": "variation",
                   "t": "retention_time_s", "v": "drift_nu", "target": "drift_target",
                   "parallelRead": "parallel_rows"}


def check_replay_case(path: Any, case: dict) -> None:
    """A replay case's arrays finite and its settings inside their options' bounds."""
    import numpy as np

    from .config import Config
    from .errors import InputFileError

    by_name = {f.name: f for f in fields(Config)}
    for key in ("weight", "input"):
        arr = np.asarray(case[key])
        if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
            raise InputFileError(path, f"array {key!r} holds NaN or infinite values")
    for src, name in REPLAY_SETTINGS.items():
        if src not in case:
            continue
        raw = case[src]
        try:
            v = float(raw.item() if hasattr(raw, "item") else raw)
        except (TypeError, ValueError):
            raise InputFileError(path, f"setting {src} = {raw!r} is not a number") from None
        if not math.isfinite(v):
            raise InputFileError(path, f"setting {src} = {v} must be a finite number")
        bound = bound_of(by_name[name])
        broken = bound.violated_by(v) if bound is not None else None
        if broken:
            rel, limit, why = broken
            raise InputFileError(path, f"setting {src} = {v:g} must be {rel} {limit:g} "
                                 f"(option {name}){': ' + why if why else ''}")


def check_torch_device(device: str, option: str = "--device") -> str:
    """``cpu``, ``cuda`` or ``cuda:N`` naming a device this machine has; else ConfigError."""
    import re

    text = str(device).strip().lower()
    m = re.fullmatch(r"(cpu|cuda)(?::(\d+))?", text)
    if not m or (m.group(1) == "cpu" and m.group(2) not in (None, "0")):
        raise ConfigError(f"{option} {device!r}: choose cpu, cuda or cuda:N")
    if m.group(1) == "cuda":
        import torch

        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        index = int(m.group(2) or 0)
        if count == 0:
            raise ConfigError(f"{option} {device}: no CUDA GPU is available here "
                              "(torch.cuda.is_available() is false); use --device cpu")
        if index >= count:
            raise ConfigError(f"{option} {device}: this machine has {count} CUDA device(s) "
                              f"(cuda:0 .. cuda:{count - 1})")
    return text
