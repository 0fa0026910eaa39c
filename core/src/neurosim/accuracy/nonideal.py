"""Non-idealities beyond V1.4's accuracy model (NeuroSim V1.5's and more): the settings.

Torch-free: the settings record, its validation, the V1.5 CSV formats and the device
presets. The torch side is :mod:`neurosim.accuracy.nonideal_ops` (draws) and
:mod:`neurosim.accuracy.nonideal_crossbar` (the full path with them on).

Settings (configuration option, V1.5 name; formulas in ``docs/accuracy.md``):

* ``stuck_at_0_rate`` / ``stuck_at_1_rate`` (``rate_stuck_0/1``): each cell (one weight
  digit) is independently stuck at its lowest (digit 0) or highest (digit ``levels-1``)
  state with these probabilities; fixed per programmed array (drawn once per layer and seed);
* ``read_noise`` (``read_noise``): relative sigma of a cell's conductance on every read,
  ``G (1 + read_noise N(0,1))``, independent per read (cycle to cycle);
* ``output_noise_lsb`` (``output_noise``): Gaussian noise on every ADC output, in LSB,
  ``idx' = clamp(round(idx + sigma N(0,1)), 0, 2**ADC-1)``; or ``output_noise_file``
  (``output_noise=-1`` with ``output_noise_file``): per-level mean/std, V1.5's CSV
  (columns ``output,mean,std``): ``idx' = clamp(round(mean[idx] + std[idx] N), ...)``;
* ``mem_states_file`` (``mem_states_file``): per-state conductance mean/std (V1.5's CSV,
  columns ``states,mean,std``, ``2**cell_bits`` rows), replacing the linear on/off map and
  (where a std is given) the uniform variation;
* ``dac_bits`` (``dac_precision``): input bits applied per read (full path);
* ``drift_nu_per_layer`` (``v_list``): one drift coefficient per CIM layer, in model order;
* ``variation_mode``: what ``variation`` means: ``per_call`` (V1.4: redrawn for every
  subarray read and input bit of every forward call, shared by the batch), ``d2d`` (device to
  device: one draw per programmed cell, fixed), ``c2c`` (cycle to cycle: independent on every
  read); ``auto`` = ``per_call`` for ``variation`` and ``d2d`` for a ``mem_states_file``
  std (V1.5 samples those once per cell).
"""

from __future__ import annotations

import ast
import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ..errors import ConfigError

VARIATION_MODES = ("auto", "per_call", "d2d", "c2c")
#: the largest mem_states mean (or std) over the lowest mean (onoff_ratio's upper bound)
MAX_STATE_RATIO = 1e6


@dataclass(frozen=True)
class NonIdealityPreset:
    """Cited default non-ideality figures a device plugin may declare
    (``Device.nonidealities``); applied by ``device_nonidealities = true`` to the options
    still at their defaults. ``source``: the citation of the figures."""

    source: str
    variation: float = 0.0  # relative sigma of the conductance
    variation_mode: str = "d2d"
    read_noise: float = 0.0  # relative sigma per read
    stuck_at_0_rate: float = 0.0
    stuck_at_1_rate: float = 0.0
    drift_nu: float = 0.0
    retention_time_s: float = 0.0
    output_noise_lsb: float = 0.0

    #: preset field -> configuration option it fills (the same names)
    OPTIONS: ClassVar[tuple[str, ...]] = ("variation", "variation_mode", "read_noise",
                                          "stuck_at_0_rate", "stuck_at_1_rate", "drift_nu",
                                          "retention_time_s", "output_noise_lsb")

    def check(self) -> None:
        """Raise ``ConfigError`` for a figure outside its range (the kit calls this)."""
        if not self.source.strip():
            raise ConfigError("a non-ideality preset must cite its source")
        _check_rates(self.stuck_at_0_rate, self.stuck_at_1_rate, "preset")
        for name in ("variation", "read_noise", "drift_nu", "retention_time_s",
                     "output_noise_lsb"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v >= 0):
                raise ConfigError(f"preset {name} = {v!r} must be a finite number >= 0")
        if self.variation_mode not in VARIATION_MODES[1:]:
            raise ConfigError(f"preset variation_mode = {self.variation_mode!r}: expected one "
                              f"of {', '.join(VARIATION_MODES[1:])}")


@dataclass(frozen=True)
class NonIdealities:
    """The resolved non-ideality settings of one accuracy run (see module doc)."""

    stuck_at_0_rate: float = 0.0
    stuck_at_1_rate: float = 0.0
    read_noise: float = 0.0
    output_noise_lsb: float = 0.0
    #: per ADC level (index 0..2**ADC-1): (mean, std) in LSB, from output_noise_file
    output_noise_table: tuple[tuple[float, float], ...] | None = None
    #: per cell state (digit 0..2**cell_bits-1): (mean, std) of the conductance, in S
    mem_states: tuple[tuple[float, float], ...] | None = None
    dac_bits: int = 1
    drift_nu_per_layer: tuple[float, ...] | None = None
    variation_mode: str = "auto"
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def stuck(self) -> bool:
        return self.stuck_at_0_rate > 0 or self.stuck_at_1_rate > 0

    @property
    def output_noise(self) -> bool:
        return self.output_noise_lsb > 0 or self.output_noise_table is not None

    @property
    def mem_std(self) -> bool:
        return self.mem_states is not None and any(s > 0 for _, s in self.mem_states)

    def active(self) -> bool:
        """Whether the crossbar must leave V1.4's model (any setting off its default)."""
        return (self.stuck or self.read_noise > 0 or self.output_noise
                or self.mem_states is not None or self.dac_bits != 1
                or self.variation_mode in ("d2d", "c2c"))

    def random(self) -> bool:
        """Whether a run draws random numbers (so that seeds differ)."""
        return (self.stuck or self.read_noise > 0 or self.output_noise or self.mem_std)

    def mode_for(self, vari: float) -> str:
        """``variation_mode`` resolved for the uniform ``variation`` (``auto``: per_call)."""
        return "per_call" if self.variation_mode == "auto" else self.variation_mode


def _check_rates(r0: float, r1: float, where: str) -> None:
    for name, r in (("stuck_at_0_rate", r0), ("stuck_at_1_rate", r1)):
        if not (math.isfinite(r) and 0 <= r <= 1):
            raise ConfigError(f"{where} {name} = {r!r} must be between 0 and 1")
    if r0 + r1 > 1:
        raise ConfigError(f"{where} stuck_at_0_rate + stuck_at_1_rate = {r0 + r1:g} exceeds 1")


def parse_layer_list(text: str) -> tuple[float, ...] | None:
    """``drift_nu_per_layer``: ``"0.005,0.01"`` or V1.5's ``"[0.005, 0.01]"``; "" = None."""
    s = str(text).strip()
    if not s:
        return None
    try:
        val = ast.literal_eval(s if s.startswith("[") else f"[{s}]")
        out = tuple(float(v) for v in val)
    except (ValueError, SyntaxError, TypeError):
        raise ConfigError(f"option drift_nu_per_layer = {text!r}: expected numbers separated "
                          "by commas, e.g. 0.005,0.01") from None
    if not out or any(not math.isfinite(v) or not 0 <= v <= 1 for v in out):
        # drift_nu's range (1e300 gave NaN figures)
        raise ConfigError(f"option drift_nu_per_layer = {text!r}: every value must be a "
                          "number from 0 to 1 (drift_nu's range)")
    return out


def _read_csv(path: str, option: str, columns: tuple[str, ...]) -> list[dict[str, float]]:
    """Rows of a V1.5 CSV (BOM and CRLF tolerated) as floats of ``columns`` (the first is
    required; the others default to None)."""
    from ..errors import InputFileError
    from ..files import decode_text, limit_bytes, read_bytes

    p = Path(path).expanduser()
    try:  # missing, a folder, a device (/dev/zero), too large, not UTF-8: named
        text = decode_text(p, read_bytes(p, "CSV", limit=limit_bytes("configuration")),
                           "CSV")
    except InputFileError as exc:
        raise ConfigError(f"option {option}: {exc}") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise ConfigError(f"{p}: option {option}: the file is empty")
    header = [h.strip().lower() for h in rows[0]]
    if columns[0] not in header and "mean" not in header:
        raise ConfigError(f"{p}, line 1: option {option}: expected a header with columns "
                          f"{', '.join(columns)}")
    twice = [c for c in columns if header.count(c) > 1]
    if twice:  # which of the two columns was meant is not for us to guess
        raise ConfigError(f"{p}, line 1: option {option}: column {twice[0]!r} is given twice")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if any(c.strip() for c in row[len(header):]):  # a value no column names
            raise ConfigError(f"{p}, line {n}: option {option}: {len(row)} values, but the "
                              f"header has {len(header)} columns")
        rec: dict[str, float] = {}
        for col in columns:
            if col not in header:
                continue
            i = header.index(col)
            try:
                v = float(row[i])
            except (IndexError, ValueError):
                raise ConfigError(f"{p}, line {n}: option {option}: column {col!r} must be a "
                                  "number") from None
            if not math.isfinite(v):
                raise ConfigError(f"{p}, line {n}: option {option}: column {col!r} = {v} is "
                                  "not finite")
            rec[col] = v
        out.append(rec)
    if not out:  # a header and no row
        raise ConfigError(f"{p}: option {option}: the file has a header but no rows")
    return out


def load_mem_states(path: str, cell_bits: int) -> tuple[tuple[float, float], ...]:
    """V1.5's ``mem_states.csv`` (``states,mean,std``): one row per cell state, conductance
    mean and std in S. Checked: 2**cell_bits rows, means > 0 and increasing, std >= 0."""
    rows = _read_csv(path, "mem_states_file", ("states", "mean", "std"))
    if any("mean" not in r for r in rows):
        raise ConfigError(f"{path}: option mem_states_file: a 'mean' column is required")
    n = 2 ** cell_bits
    if "states" in rows[0]:
        rows = sorted(rows, key=lambda r: r["states"])
        numbers = [r["states"] for r in rows]
        if numbers != list(range(len(rows))):  # 0, 0 or 0.5, 7: which row is which state?
            raise ConfigError(f"{path}: option mem_states_file: the states column must number "
                              f"the states 0 to {n - 1}, each once (found "
                              f"{', '.join(f'{v:g}' for v in numbers[:8])})")
    if len(rows) != n:
        raise ConfigError(f"{path}: option mem_states_file: {len(rows)} states for "
                          f"cell_bits = {cell_bits}; expected {n}")
    states = tuple((r["mean"], r.get("std", 0.0)) for r in rows)
    means = [m for m, _ in states]
    if means[0] <= 0 or any(b <= a for a, b in zip(means, means[1:])):
        raise ConfigError(f"{path}: option mem_states_file: the means must be positive and "
                          "increasing with the state")
    if any(s < 0 for _, s in states):
        raise ConfigError(f"{path}: option mem_states_file: a std is negative")
    # the crossbar works in units of the lowest mean: beyond onoff_ratio's range (1e6) the
    # products overflowed to NaN figures (means 1e-300..1e300, a std of 1e300)
    top = max(means[-1], max(s for _, s in states))
    if top / means[0] > MAX_STATE_RATIO:
        raise ConfigError(f"{path}: option mem_states_file: the largest mean or std is "
                          f"{top / means[0]:.3g} times the lowest mean; at most "
                          f"{MAX_STATE_RATIO:g} (onoff_ratio's range)")
    return states


def load_output_noise(path: str, adc_bits: int) -> tuple[tuple[float, float], ...]:
    """V1.5's output-noise CSV (``output,mean,std``): per ADC level, the mean and std of the
    level read, in LSB. Every level 0..2**ADC-1 needs a row (V1.5's extra level 2**ADC,
    which our ADC never outputs, is ignored); a missing mean is the level itself."""
    rows = _read_csv(path, "output_noise_file", ("output", "mean", "std"))
    top = 2 ** adc_bits
    table: dict[int, tuple[float, float]] = {}
    for r in rows:
        if "output" not in r:
            raise ConfigError(f"{path}: option output_noise_file: an 'output' column is "
                              "required")
        lv = r["output"]
        if lv != int(lv) or not 0 <= lv <= top:
            raise ConfigError(f"{path}: option output_noise_file: output level {lv:g} is not "
                              f"an integer in 0..{top}")
        std = r.get("std", 0.0)
        if std < 0:
            raise ConfigError(f"{path}: option output_noise_file: level {int(lv)}: std < 0")
        if int(lv) in table:  # which of the two rows was meant is not for us to guess
            raise ConfigError(f"{path}: option output_noise_file: output level {int(lv)} "
                              "has two rows")
        table[int(lv)] = (r.get("mean", lv), std)
    missing = [lv for lv in range(top) if lv not in table]
    if missing:
        raise ConfigError(f"{path}: option output_noise_file: no row for ADC level(s) "
                          f"{', '.join(map(str, missing[:5]))} (adc_bits = {adc_bits})")
    return tuple(table[lv] for lv in range(top))


def device_preset(device: str) -> NonIdealityPreset | None:
    """The cited non-ideality preset of the configured device plugin (None if it has none
    or the plugin is not installed)."""
    try:
        from ..plugins import get_registry

        cls = get_registry().get("device", device)
    except Exception:  # unknown device: the hardware path reports it
        return None
    preset = getattr(cls, "nonidealities", None)
    return preset if isinstance(preset, NonIdealityPreset) else None


def apply_device_preset(cfg: Any) -> Any:
    """``cfg`` with the device's preset filled into the options left at their defaults
    (only with ``device_nonidealities = true``)."""
    if not getattr(cfg, "device_nonidealities", False):
        return cfg
    preset = device_preset(cfg.device)
    if preset is None:
        return cfg
    from dataclasses import fields, replace

    defaults = {f.name: f.default for f in fields(type(cfg))}
    changes = {name: getattr(preset, name) for name in NonIdealityPreset.OPTIONS
               if getattr(cfg, name) == defaults[name] and getattr(preset, name)
               != defaults[name]}
    if "variation_mode" in changes and "variation" not in changes and cfg.variation == 0:
        changes.pop("variation_mode")
    return replace(cfg, **changes) if changes else cfg


def from_config(cfg: Any) -> NonIdealities:
    """:class:`NonIdealities` of a configuration (files read and checked here; the device
    preset applied first when ``device_nonidealities`` is on)."""
    cfg = apply_device_preset(cfg)
    validate_options(cfg)
    table = None
    if cfg.output_noise_file:
        table = load_output_noise(cfg.output_noise_file, int(cfg.adc_bits))
    mem = load_mem_states(cfg.mem_states_file, int(cfg.cell_bits)) \
        if cfg.mem_states_file else None
    notes = []
    if mem is not None and cfg.onoff_ratio != 10.0:
        notes.append("mem_states_file sets the conductances: onoff_ratio is unused")
    return NonIdealities(
        stuck_at_0_rate=float(cfg.stuck_at_0_rate), stuck_at_1_rate=float(cfg.stuck_at_1_rate),
        read_noise=float(cfg.read_noise),
        output_noise_lsb=0.0 if table is not None else max(float(cfg.output_noise_lsb), 0.0),
        output_noise_table=table, mem_states=mem, dac_bits=int(cfg.dac_bits),
        drift_nu_per_layer=parse_layer_list(cfg.drift_nu_per_layer),
        variation_mode=str(cfg.variation_mode), notes=tuple(notes))


def validate_options(cfg: Any) -> None:
    """Checks of the non-ideality options (``Config.validate_accuracy`` calls this)."""
    _check_rates(float(cfg.stuck_at_0_rate), float(cfg.stuck_at_1_rate), "option")
    on = float(cfg.output_noise_lsb)
    if on == -1.0 and not cfg.output_noise_file:
        raise ConfigError("option output_noise_lsb = -1 (V1.5: read the noise from a file) "
                          "needs output_noise_file")
    if on < 0 and on != -1.0:
        raise ConfigError(f"option output_noise_lsb = {on:g} must be >= 0 (or -1 with "
                          "output_noise_file)")
    if cfg.output_noise_file and on > 0:
        raise ConfigError("options output_noise_lsb and output_noise_file are both set; "
                          "give one")
    if int(cfg.dac_bits) > int(cfg.input_bits):
        raise ConfigError(f"option dac_bits = {cfg.dac_bits} exceeds input_bits = "
                          f"{cfg.input_bits}")
    if cfg.variation_mode not in VARIATION_MODES:
        raise ConfigError(f"option variation_mode = {cfg.variation_mode!r}: expected one of "
                          f"{', '.join(VARIATION_MODES)}")
    parse_layer_list(cfg.drift_nu_per_layer)
