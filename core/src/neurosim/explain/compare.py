"""``neurosim diff``'s model: two results (``--json`` files or sweep-store rows), their
headline figures, and for each the exact split of its change over the contribution trees
(:mod:`.attribution`), folded for display.

A result without contribution trees (a golden case, an older ``--json``, a sweep row)
is split over NeuroSim's own categories instead (area: array / ADC / accumulation /
interconnect / other / subarray white space; energy: ADC / accumulation / buffer /
interconnect / other; latency: per layer), which also add up exactly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.contributions import Contribution, leaf, total
from ..errors import NeuroSimError
from .attribution import Delta, delta_tree, ratio_delta
from .treejson import trees_from_json


@dataclass
class Loaded:
    """One side of a diff: the result's JSON and its trees (path -> tree)."""

    label: str
    data: dict[str, Any]
    trees: dict[str, Contribution] = field(default_factory=dict)
    from_trees: bool = True  # False: the trees were built from NeuroSim's categories


def _read_json(path: str) -> dict[str, Any]:
    from ..files import read_bytes

    p = Path(path)
    if not p.exists():
        raise NeuroSimError(f"{path}: no such file (give a --json result of neurosim "
                            "estimate/compat, or DIR/results.sqlite#CONFIG_ID)")
    if p.is_dir():  # was "no such file"; a sweep folder needs its row's id
        raise NeuroSimError(f"{path}: is a folder, not a --json result (a sweep folder's "
                            "row: DIR#CONFIG_ID)")
    raw = read_bytes(p, "JSON result")  # a pipe, a device, a huge file: named
    try:
        data = json.loads(raw.decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NeuroSimError(f"{path}: not a JSON result ({exc})") from None
    if not isinstance(data, dict) or "chip" not in data or "performance" not in data:
        raise NeuroSimError(f"{path}: not a neurosim result (no 'chip' and 'performance')")
    return data


def _read_store_row(ref: str) -> dict[str, Any]:
    """``DIR/results.sqlite#CONFIG_ID`` (or ``DIR#CONFIG_ID``): that row's result; a
    unique prefix of the id is enough."""
    import sqlite3

    where, _, cid = ref.partition("#")
    db = Path(where)
    if db.is_dir():
        db = db / "results.sqlite"
    if not db.is_file() or not cid:
        raise NeuroSimError(f"{ref}: expected DIR/results.sqlite#CONFIG_ID of a sweep "
                            "folder (neurosim sweep show DIR lists the ids)")
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        rows = con.execute("SELECT config_id, status, result FROM rows WHERE config_id "
                           "LIKE ? || '%'", (cid,)).fetchall()
        con.close()
    except sqlite3.DatabaseError as exc:
        raise NeuroSimError(f"{ref}: not a sweep store ({exc})") from None
    if len(rows) != 1:
        what = "no row" if not rows else f"{len(rows)} rows"
        raise NeuroSimError(f"{ref}: {what} with config id {cid!r}")
    config_id, status, result = rows[0]
    if status != "done" or not result:
        raise NeuroSimError(f"{ref}: row {config_id} is {status}, it has no result")
    return json.loads(result)


def load(ref: str) -> Loaded:
    """A result from a ``--json`` file or ``DIR/results.sqlite#CONFIG_ID``."""
    data = _read_store_row(ref) if "#" in ref else _read_json(ref)
    for key in ("chip", "performance"):  # "chip": 5 was a TypeError (an internal error)
        if not isinstance(data.get(key), dict):
            shown = json.dumps(data.get(key), default=str)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            raise NeuroSimError(f"{ref}: not a neurosim result ({key!r} is {shown}, not a "
                                "table of figures)")
    layers = data.get("layers", [])
    if not isinstance(layers, list) or not all(isinstance(L, dict) for L in layers):
        raise NeuroSimError(f"{ref}: not a neurosim result ('layers' is not a list of "
                            "tables of figures)")
    trees = trees_from_json(data.get("contributions"), ref)
    out = Loaded(ref, data, trees)
    if not trees:
        out.trees, out.from_trees = category_trees(data), False
    return out


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def category_trees(data: dict[str, Any]) -> dict[str, Contribution]:
    """Trees of NeuroSim's categories for a result without contribution trees."""
    from ..outputs import _split

    chip = data["chip"]
    area = [leaf(n, _num(chip.get(k, 0.0))) for n, k in (
        ("array", "area_array_m2"), ("ADC", "area_adc_m2"), ("accumulation", "area_accum_m2"),
        ("interconnect", "area_ic_m2"), ("other", "area_other_m2"),
        ("empty (subarray white space)", "area_empty_m2"))]
    a = total("chip", area)
    if abs(_num(chip["area_m2"]) - a.value) > 1e-9 * abs(_num(chip["area_m2"])):
        a.children.append(leaf("not in NeuroSim's categories", _num(chip["area_m2"]) - a.value))
        a.value = _num(chip["area_m2"])
    energy = total("chip", [leaf(n, v) for n, v in _split(chip, "energy_j").items()])
    layers = data.get("layers", [])
    lat_nodes = [total(f"layer {i + 1}", [leaf(n, v) for n, v in
                                          _split(L, "latency_s").items()])
                 for i, L in enumerate(layers)]
    for node, L in zip(lat_nodes, layers):
        node.value = _num(L["read_latency_s"])
    chip_lat = _num(chip["read_latency_s"])
    rule = "max" if lat_nodes and abs(max(n.value for n in lat_nodes) - chip_lat) \
        <= 1e-9 * chip_lat else "sum"
    latency = Contribution("chip", chip_lat, lat_nodes, rule)
    leak = total("chip", [leaf(f"layer {i + 1}", _num(L["leakage_power_w"]))
                          for i, L in enumerate(layers)])
    leak.value = _num(chip["leakage_power_w"])
    leak_e = total("chip", [leaf(f"layer {i + 1}", _num(L["leakage_energy_j"]))
                            for i, L in enumerate(layers)])
    leak_e.value = _num(chip["leakage_energy_j"])
    return {"chip.area_m2": a, "chip.read_energy_j": energy, "chip.read_latency_s": latency,
            "chip.leakage_power_w": leak, "chip.leakage_energy_j": leak_e}


@dataclass(frozen=True)
class Figure:
    """A headline figure: its key, label, unit and how it follows from the trees."""

    key: str
    label: str
    unit: str
    tree: str  # the tree it is, or (for ratios) whose inverse it follows
    ratio: bool = False
    block_unit: str = ""


FIGURES: tuple[Figure, ...] = (
    Figure("area_m2", "chip area", "m^2", "chip.area_m2", block_unit="m^2"),
    Figure("read_latency_s", "latency per inference (pipeline cycle if pipelined)", "s",
           "chip.read_latency_s", block_unit="s"),
    Figure("read_energy_j", "dynamic energy per inference", "J", "chip.read_energy_j",
           block_unit="J"),
    Figure("leakage_power_w", "leakage power", "W", "chip.leakage_power_w", block_unit="W"),
    Figure("tops", "TOPS", "TOPS", "chip.read_latency_s", True, "s"),
    Figure("tops_per_w", "TOPS/W", "TOPS/W", "energy", True, "J"),
    Figure("fps", "FPS", "FPS", "chip.read_latency_s", True, "s"),
)

FIGURE_KEYS = tuple(f.key for f in FIGURES) + ("accuracy",)


def figure_value(side: Loaded, fig: Figure) -> float:
    if fig.key in side.data.get("performance", {}):
        return _num(side.data["performance"][fig.key])
    return _num(side.data["chip"][fig.key])


def energy_tree(side: Loaded) -> Contribution:
    """Energy per inference as TOPS/W counts it: dynamic + leakage."""
    return total("energy per inference", [
        Contribution("dynamic energy", side.trees["chip.read_energy_j"].value,
                     side.trees["chip.read_energy_j"].children,
                     side.trees["chip.read_energy_j"].rule),
        Contribution("leakage energy", side.trees["chip.leakage_energy_j"].value,
                     side.trees["chip.leakage_energy_j"].children,
                     side.trees["chip.leakage_energy_j"].rule,
                     side.trees["chip.leakage_energy_j"].factor)])


def attribute(a: Loaded, b: Loaded, fig: Figure) -> Delta:
    """The exact split of ``fig``'s change from A to B."""
    va, vb = figure_value(a, fig), figure_value(b, fig)
    if not (math.isfinite(va) and math.isfinite(vb)):
        side = a.label if not math.isfinite(va) else b.label  # name the file
        raise NeuroSimError(f"{side}: {fig.key} is not a finite number (A: {va}, B: {vb}); "
                            "nothing to attribute")
    if fig.ratio:
        ta = energy_tree(a) if fig.tree == "energy" else a.trees[fig.tree]
        tb = energy_tree(b) if fig.tree == "energy" else b.trees[fig.tree]
        return ratio_delta(ta, tb, va, vb, fig.label)
    d = delta_tree(a.trees[fig.tree], b.trees[fig.tree])
    d.name = fig.label
    return d


def accuracy_of(side: Loaded) -> float | None:
    """The mean hardware accuracy of ``estimate --with-accuracy`` (``accuracy.accuracy.
    mean``), if the result has one."""
    acc = side.data.get("accuracy")
    inner = acc.get("accuracy") if isinstance(acc, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("mean"), (int, float)):
        return float(inner["mean"])
    return None
