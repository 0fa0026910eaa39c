"""Typed results of one hardware estimation, in SI units, with the contribution tree of
every figure, and their JSON form (the schema of the golden cases and of
``neurosim compat --json``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _json_text
from typing import Any

from .contributions import Contribution

#: per-layer JSON keys, in NeuroSim's print order, and the internal figure they come from
LAYER_KEYS: tuple[tuple[str, str], ...] = (
    ("read_latency_s", "read_latency"),
    ("read_energy_j", "read_dynamic_energy"),
    ("leakage_power_w", "leakage_power"),
    ("leakage_energy_j", "leakage_energy"),
    ("buffer_latency_s", "buffer_latency"),
    ("buffer_energy_j", "buffer_dynamic_energy"),
    ("ic_latency_s", "ic_latency"),
    ("ic_energy_j", "ic_dynamic_energy"),
    ("adc_latency_s", "core_latency_adc"),
    ("accum_latency_s", "core_latency_accum"),
    ("other_latency_s", "core_latency_other"),
    ("adc_energy_j", "core_energy_adc"),
    ("accum_energy_j", "core_energy_accum"),
    ("other_energy_j", "core_energy_other"),
)

CHIP_AREA_KEYS: tuple[tuple[str, str], ...] = (
    ("area_m2", "area"), ("area_array_m2", "array"), ("area_ic_m2", "ic"),
    ("area_adc_m2", "adc"), ("area_accum_m2", "accum"), ("area_other_m2", "other"),
    # not a NeuroSim output: the subarrays' bounding-box white space (SubArray emptyArea)
    ("area_empty_m2", "empty"),
)

CHIP_KEYS: tuple[tuple[str, str], ...] = (
    ("read_latency_s", "read_latency"),
    ("read_energy_j", "read_dynamic_energy"),
    ("leakage_energy_j", "leakage_energy"),
    ("leakage_power_w", "leakage_power"),
    ("buffer_latency_s", "buffer_latency"),
    ("buffer_energy_j", "buffer_dynamic_energy"),
    ("ic_latency_s", "ic_latency"),
    ("ic_energy_j", "ic_dynamic_energy"),
    ("adc_latency_s", "core_latency_adc"),
    ("accum_latency_s", "core_latency_accum"),
    ("other_latency_s", "core_latency_other"),
    ("adc_energy_j", "core_energy_adc"),
    ("accum_energy_j", "core_energy_accum"),
    ("other_energy_j", "core_energy_other"),
)


def dumps_json(obj: Any) -> str:
    """The text of ``json.dumps(obj, indent=2)``, character for character, four to five times
    faster: json's encoder runs in pure Python whenever ``indent`` is given, and a result with
    its contribution trees is tens of thousands of values (VGG8: 0.5 MB of text, 45 -> 9 ms).
    Strings go through json's own (C) ``encode_basestring_ascii``; floats are
    ``float.__repr__`` (NaN / Infinity / -Infinity as json writes them); keys may be str, int,
    float, bool or None as json allows; anything else raises ``TypeError`` as json does."""

    out: list[str] = []
    append = out.append

    def number(o: float) -> str:
        if o != o:
            return "NaN"
        if o == math.inf:
            return "Infinity"
        if o == -math.inf:
            return "-Infinity"
        return float.__repr__(o)

    def key(k: Any) -> str:
        if isinstance(k, str):
            return k
        if isinstance(k, float):
            return number(k)
        if k is True or k is False or k is None:
            return {True: "true", False: "false", None: "null"}[k]
        if isinstance(k, int):
            return int.__repr__(k)
        raise TypeError(f"keys must be str, int, float, bool or None, not "
                        f"{k.__class__.__name__}")

    def encode(o: Any, level: int) -> None:
        if isinstance(o, str):
            append(_json_text(o))
        elif o is None:
            append("null")
        elif o is True:
            append("true")
        elif o is False:
            append("false")
        elif isinstance(o, int):
            append(int.__repr__(o))
        elif isinstance(o, float):
            append(number(o))
        elif isinstance(o, dict):
            if not o:
                append("{}")
                return
            inner = "\n" + "  " * (level + 1)
            sep = "{" + inner
            for k, v in o.items():
                head = sep + _json_text(k if type(k) is str else key(k)) + ": "
                sep = "," + inner
                t = type(v)  # plain strings and finite floats (most of a result) here
                if t is str:
                    append(head + _json_text(v))
                elif t is float and v - v == 0.0:
                    append(head + float.__repr__(v))
                else:
                    append(head)
                    encode(v, level + 1)
            append("\n" + "  " * level + "}")
        elif isinstance(o, (list, tuple)):
            if not o:
                append("[]")
                return
            inner = "\n" + "  " * (level + 1)
            sep = "[" + inner
            for v in o:
                if type(v) is str:
                    append(sep + _json_text(v))
                else:
                    append(sep)
                    encode(v, level + 1)
                sep = "," + inner
            append("\n" + "  " * level + "]")
        else:
            raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    encode(obj, 0)
    return "".join(out)


def json_number(x: float) -> float | str:
    """A float for JSON; NeuroSim's non-finite values as the strings "inf", "-inf", "nan"."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


@dataclass
class FloorplanResult:
    """Floorplan summary (NeuroSim's FloorPlan block)."""

    tiles_per_layer: list[float]
    speedup_per_layer: list[float]
    utilization_per_layer: list[float]
    chip_utilization: float
    tile_size_cm: float
    pe_size_cm: float
    pe_size_nm: float
    num_pe_nm: float
    novel_mapping: bool
    subarray_rows: int
    subarray_cols: int
    mark_nm: list[int]

    def to_json(self) -> dict[str, Any]:
        return {"tiles_per_layer": [json_number(v) for v in self.tiles_per_layer],
                "speedup_per_layer": [json_number(v) for v in self.speedup_per_layer],
                "utilization_per_layer": [json_number(v) for v in self.utilization_per_layer],
                "chip_utilization": json_number(self.chip_utilization)}


@dataclass
class LayerResult:
    """Figures of one layer (s, J, W) and the tree of contributions of each."""

    index: int
    values: dict[str, float]
    trees: dict[str, Contribution] = field(default_factory=dict)

    def __getattr__(self, name: str) -> float:
        keys = dict(LAYER_KEYS)
        if name in keys:
            return self.values[keys[name]]
        raise AttributeError(name)

    def to_json(self) -> dict[str, Any]:
        return {k: json_number(self.values[f]) for k, f in LAYER_KEYS}


@dataclass
class ChipResult:
    """Chip areas (m^2) and chip totals (s, J, W), with contribution trees."""

    areas: dict[str, Contribution]
    values: dict[str, float]
    trees: dict[str, Contribution] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = {k: json_number(self.areas[a].value) for k, a in CHIP_AREA_KEYS}
        out.update({k: json_number(self.values[f]) for k, f in CHIP_KEYS})
        return out


@dataclass
class Performance:
    """Throughput and efficiency (NeuroSim's Performance block)."""

    mode: str
    tops_per_w: float
    tops: float
    fps: float
    tops_per_mm2: float
    num_computation: float

    def to_json(self) -> dict[str, Any]:
        return {"tops_per_w": json_number(self.tops_per_w), "tops": json_number(self.tops),
                "fps": json_number(self.fps), "tops_per_mm2": json_number(self.tops_per_mm2)}


@dataclass
class EstimateResult:
    """Everything one estimation produced."""

    floorplan: FloorplanResult
    clock_period_s: float | None
    layers: list[LayerResult]
    chip: ChipResult
    performance: Performance
    messages: list[str] = field(default_factory=list)

    def to_json(self, contributions: bool = False) -> dict[str, Any]:
        """The golden-case schema; with ``contributions`` also the headline figures'
        contribution trees (versioned: :mod:`neurosim.explain.treejson`)."""
        out: dict[str, Any] = {"floorplan": self.floorplan.to_json()}
        if self.clock_period_s is not None:
            out["clock_period_s"] = json_number(self.clock_period_s)
        out["layers"] = [layer.to_json() for layer in self.layers]
        out["chip"] = self.chip.to_json()
        out["performance"] = self.performance.to_json()
        if contributions:
            from ..explain.treejson import contributions_json

            out["contributions"] = contributions_json(self)
        return out

    def dumps(self, contributions: bool = False) -> str:
        return dumps_json(self.to_json(contributions))

    def explain(self, path: str) -> Contribution:
        """The contribution tree of one figure: ``"chip.read_energy_j"``,
        ``"chip.area_m2"``, ``"layers.2.read_latency_s"`` (1-based layer)."""
        parts = path.split(".")
        if parts[0] == "chip" and len(parts) == 2:
            areas = dict(CHIP_AREA_KEYS)
            if parts[1] in areas:
                return self.chip.areas[areas[parts[1]]]
            return self.chip.trees[dict(CHIP_KEYS)[parts[1]]]
        if parts[0] == "layers" and len(parts) == 3:
            layer = self.layers[int(parts[1]) - 1]
            return layer.trees[dict(LAYER_KEYS)[parts[2]]]
        raise KeyError(f"unknown figure {path!r}; use chip.<key> or layers.<n>.<key>")
