"""Technology nodes: the per-node data a tech plugin ships, and the derived transistor model.

Two layers:

:class:`TechNode`
    Everything NeuroSim V1.4 hard-codes per node, as data: the per-node options of
    ``Param.cpp`` (wire widths, barrier, SRAM cell, driver sizing, wire aspect ratio and
    resistivity) in :class:`ParamCpp`, the values each branch of
    ``Technology::Initialize`` assigns for one transistor type and roadmap in
    :class:`TransistorData` (before the common post-processing), the ``constant.h`` layout
    rules of the node in :class:`LayoutRules`, and descriptive facts (device family, fins or
    nanosheets, backside power, CFET SRAM). A tech plugin loads one from its ``node.json``
    with :meth:`TechNode.from_json` and registers it under its name (``"22nm"``).

:class:`Technology`
    What ``Technology::Initialize(featureSizeInNano, deviceRoadmap, transistorType)`` leaves
    in NeuroSim's global ``tech``: the branch values plus the post-processing (overlap,
    junction, sidewall and gate-edge capacitances from the BSIM4-style grading formulas,
    ``capPolywire``, and linear interpolation of the current tables to 1 K steps). Built with
    :meth:`Technology.from_node`; attribute names follow docs/porting-conventions.md.

Units (SI unless the name or :data:`UNITS` says otherwise): lengths in metres, wire widths in
nanometres (as in ``Param.cpp``), cell and layout sizes in feature sizes F, capacitances per
unit transistor width in F/m (junction bottom capacitance in F/m^2), currents per unit width
in A/m (numerically equal to uA/um; for FinFET/GAA nodes per unit *effective* width),
transconductances in A/(m*V), resistivities in ohm*m and wire resistances in ohm/m.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from .circuit_fits import CircuitFits
from .errors import ConfigError, InputFileError
from .primitives.constants import DeviceRoadmap, TransistorType
from .primitives.wire import aspect_ratio_and_resistivity, wire_model

#: Format tag written into every ``node.json`` (schema: ``neurosim/data/technode-2.schema.json``).
FORMAT = "neurosim-technode/2"
#: Formats :meth:`TechNode.from_dict` reads (``/1`` files have no ``circuit_fits``).
FORMATS_READ = ("neurosim-technode/1", FORMAT)

#: Temperatures of the tabulated currents: index ``i`` of an 11-point table is ``300 + 10*i`` K;
#: :class:`Technology` expands them to 101 points (index ``i`` <-> ``300 + i`` K).
TABLE_TEMPERATURES_K = tuple(range(300, 401, 10))

FAMILIES = ("planar", "finfet", "gaa")
ROADMAPS = ("hp", "lstp")
TRANSISTOR_TYPES = ("conventional", "fet_2d", "tfet")

#: Unit of every numeric field of :class:`ParamCpp`, :class:`TransistorData`,
#: :class:`LayoutRules` and :class:`Technology` ("-" = dimensionless or a count).
UNITS: dict[str, str] = {
    # ParamCpp
    "metal0": "nm", "metal1": "nm", "wire_width": "nm", "barrierthickness": "m",
    "featuresize": "m", "read_voltage": "V",
    "height_in_feature_size_sram": "F", "width_in_feature_size_sram": "F",
    "width_sram_cell_nmos": "F", "width_sram_cell_pmos": "F", "width_access_cmos": "F",
    "sizingfactor_mux": "-", "sizingfactor_wldecoder": "-", "newswitchmatrixsizeratio": "-",
    "switchmatrixsizeratio": "-", "buffernumber": "-", "buffersizeratio": "-",
    "ar": "-", "rho_bulk": "ohm*m", "rho": "ohm*m",
    "ar_metal0": "-", "rho_bulk_metal0": "ohm*m", "rho_metal0": "ohm*m",
    "ar_metal1": "-", "rho_bulk_metal1": "ohm*m", "rho_metal1": "ohm*m",
    "metal0_unitwireresis": "ohm/m", "metal1_unitwireresis": "ohm/m",
    "unit_length_wire_resistance": "ohm/m",
    # TransistorData / Technology
    "feature_size_in_nano": "nm", "feature_size": "m",
    "vdd": "V", "vth": "V", "phy_gate_length": "m",
    "cap_ideal_gate": "F/m", "cap_fringe": "F/m", "cap_overlap": "F/m",
    "cap_junction": "F/m^2", "cap_sidewall": "F/m", "cap_drain_to_channel": "F/m",
    "cap_polywire": "F/m", "cap_draintotal": "F/m", "build_in_potential": "V",
    "effective_resistance_multiplier": "-", "pn_size_ratio": "-",
    "current_gm_nmos": "A/(m*V)", "current_gm_pmos": "A/(m*V)", "gm_oncurrent": "A/(m*V)",
    "current_on_nmos": "A/m", "current_on_pmos": "A/m",
    "current_off_nmos": "A/m", "current_off_pmos": "A/m",
    "height_fin": "m", "width_fin": "m", "pitch_fin": "m", "effective_width": "m",
    "thickness_sheet": "m", "width_sheet": "m",
    "max_fin_num": "-", "max_fin_per_gaa": "-", "max_sheet_num": "-",
    # LayoutRules
    "max_transistor_height": "F", "min_gap_bet_p_and_n_diffs": "F",
    "outer_height_region": "F", "cpp": "F", "poly_width": "F", "m2_pitch": "F", "m3_pitch": "F",
    "subarray_cpp": "F",
}

# Junction-capacitance model constants of Technology::Initialize (BSIM4-style grading).
_CJD = 1e-3        # bottom junction capacitance at zero bias, F/m^2
_CJSWD = 2.5e-10   # isolation-edge sidewall junction capacitance, F/m
_CJSWGD = 0.5e-10  # gate-edge sidewall junction capacitance, F/m
_MJD = 0.5         # grading coefficients
_MJSWD = 0.33
_MJSWGD = 0.33
_BUILD_IN_POTENTIAL = 0.9  # V (BSIM4 PB)


def _roadmap_name(roadmap: Any) -> str:
    if isinstance(roadmap, DeviceRoadmap):
        return roadmap.name.lower()
    s = str(roadmap).strip().lower()
    if s not in ROADMAPS:
        raise ConfigError(f"device_roadmap = {roadmap!r} is not one of {', '.join(ROADMAPS)}")
    return s


def _ttype_name(transistor_type: Any) -> str:
    if isinstance(transistor_type, TransistorType):
        return transistor_type.name.lower()
    s = str(transistor_type).strip().lower()
    if s not in TRANSISTOR_TYPES:
        raise ConfigError(f"transistor_type = {transistor_type!r} is not one of "
                          f"{', '.join(TRANSISTOR_TYPES)}")
    return s


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParamCpp:
    """The node-dependent members of NeuroSim's ``Param`` (set by ``Param::Param`` per node).

    Names follow the porting rule (``Metal0 -> metal0``, ``AR_Metal0 -> ar_metal0``) except
    ``sizingfactor_wldecoder`` (``sizingfactor_WLdecoder``); units are in :data:`UNITS`.
    ``rho_bulk*`` are the table resistivities before the barrier correction; ``rho*``, the
    unit wire resistances and ``unit_length_wire_resistance`` are the values Param.cpp
    computes at 300 K (``unit_length_wire_resistance`` alone depends on the
    temperature: see :meth:`TechNode.unit_length_wire_resistance_at`).
    """

    metal0: float
    metal1: float
    wire_width: float
    barrierthickness: float
    featuresize: float
    read_voltage: float
    height_in_feature_size_sram: float
    width_in_feature_size_sram: float
    width_sram_cell_nmos: float
    width_sram_cell_pmos: float
    width_access_cmos: float
    sram_cell_source: str
    sizingfactor_mux: float
    sizingfactor_wldecoder: float
    newswitchmatrixsizeratio: float
    switchmatrixsizeratio: float
    buffernumber: float
    buffersizeratio: float
    ar: float
    rho_bulk: float
    rho: float
    ar_metal0: float
    rho_bulk_metal0: float
    rho_metal0: float
    ar_metal1: float
    rho_bulk_metal1: float
    rho_metal1: float
    metal0_unitwireresis: float
    metal1_unitwireresis: float
    unit_length_wire_resistance: float

    @property
    def sram_cell_area_f2(self) -> float:
        """SRAM cell area in F^2 (height x width)."""
        return self.height_in_feature_size_sram * self.width_in_feature_size_sram

    @classmethod
    def derive(cls, *, metal0: float, metal1: float, wire_width: float, barrierthickness: float,
               **rest: Any) -> "ParamCpp":
        """Build from the inputs, with the wire model of Param.cpp at 300 K
        (:func:`neurosim.primitives.wire.wire_model`)."""
        w = wire_model(wire_width, metal0, metal1, barrierthickness, 300)
        return cls(metal0=metal0, metal1=metal1, wire_width=wire_width,
                   barrierthickness=barrierthickness,
                   ar=w.ar, rho_bulk=aspect_ratio_and_resistivity(wire_width)[1], rho=w.rho,
                   ar_metal0=w.ar_metal0, rho_bulk_metal0=aspect_ratio_and_resistivity(metal0)[1],
                   rho_metal0=w.rho_metal0,
                   ar_metal1=w.ar_metal1, rho_bulk_metal1=aspect_ratio_and_resistivity(metal1)[1],
                   rho_metal1=w.rho_metal1,
                   metal0_unitwireresis=w.metal0_unitwireresis,
                   metal1_unitwireresis=w.metal1_unitwireresis,
                   unit_length_wire_resistance=w.unit_length_wire_resistance, **rest)


@dataclass(frozen=True)
class TransistorData:
    """Values one branch of ``Technology::Initialize`` assigns (one transistor type, roadmap).

    The current tables hold the 11 points NeuroSim tabulates, at 300, 310, ..., 400 K.
    Members a branch does not set keep NeuroSim's zero (``tech`` is a zero-initialised
    global). For FinFET and GAA nodes ``cap_ideal_gate`` and ``cap_draintotal`` are already
    divided by the effective width as the branch does.
    """

    transistor_type: str
    roadmap: str
    vdd: float
    vth: float
    phy_gate_length: float
    cap_ideal_gate: float
    cap_fringe: float
    effective_resistance_multiplier: float
    current_gm_nmos: float
    current_gm_pmos: float
    pn_size_ratio: float
    current_on_nmos: tuple[float, ...]
    current_on_pmos: tuple[float, ...]
    current_off_nmos: tuple[float, ...]
    current_off_pmos: tuple[float, ...]
    cap_draintotal: float = 0.0
    height_fin: float = 0.0
    width_fin: float = 0.0
    pitch_fin: float = 0.0
    max_fin_num: float = 0
    effective_width: float = 0.0
    max_fin_per_gaa: float = 0
    max_sheet_num: float = 0
    thickness_sheet: float = 0.0
    width_sheet: float = 0.0
    gm_oncurrent: float = 0.0
    source: str = ""

    def __post_init__(self) -> None:
        for name in ("current_on_nmos", "current_on_pmos", "current_off_nmos",
                     "current_off_pmos"):
            table = tuple(getattr(self, name))
            if len(table) != len(TABLE_TEMPERATURES_K):
                raise ValueError(f"{self.transistor_type}/{self.roadmap} {name}: expected "
                                 f"{len(TABLE_TEMPERATURES_K)} points (300..400 K every 10 K), "
                                 f"got {len(table)}")
            object.__setattr__(self, name, table)
        if self.roadmap not in ROADMAPS:
            raise ValueError(f"roadmap {self.roadmap!r} is not one of {ROADMAPS}")
        if self.transistor_type not in TRANSISTOR_TYPES:
            raise ValueError(f"transistor_type {self.transistor_type!r} is not one of "
                             f"{TRANSISTOR_TYPES}")


@dataclass(frozen=True)
class LayoutRules:
    """The node's standard-cell layout constants of ``constant.h``, in feature sizes F.

    ``outer_height_region`` and ``cpp`` are required for FinFET and GAA nodes and ``None`` for
    planar ones (the gate-area model composes them from the generic rules there).
    ``subarray_cpp`` is the contacted poly pitch ``SubArray`` sizes its minimum cell width
    with; ``None`` means ``cpp`` (NeuroSim V1.4's 14 nm node uses the generic FinFET pitch,
    ``POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET`` = 5.3 F, there).
    """

    max_transistor_height: float
    min_gap_bet_p_and_n_diffs: float
    poly_width: float
    m2_pitch: float
    m3_pitch: float
    outer_height_region: float | None = None
    cpp: float | None = None
    subarray_cpp: float | None = None

    @property
    def array_cpp(self) -> float | None:
        """The pitch ``SubArray`` uses: ``subarray_cpp``, else ``cpp``."""
        return self.subarray_cpp if self.subarray_cpp is not None else self.cpp


@dataclass(frozen=True)
class TechNode:
    """All NeuroSim V1.4 data of one technology node (what a tech plugin registers).

    ``name`` is the registry name (``"22nm"``), ``node_nm`` the node as NeuroSim's
    ``technode`` (22). ``family`` is ``planar``, ``finfet`` or ``gaa``: it selects the
    layout and effective-width branches of every formula (NeuroSim keys them on the feature
    size: planar at 22 nm and above, FinFET 14-3 nm, GAA 2-1 nm). ``circuit_fits`` holds the
    per-node Cadence fits of the circuit models, one block per circuit
    (``{"mlsa": {"csa_latency": ...}}``; the schema lists them). ``cap_junction``
    is the node's fixed junction bottom capacitance (F/m^2) where ``Technology::Initialize``
    overrides its formula (14 nm and below), else ``None``. ``technology_cpp`` holds one
    :class:`TransistorData` per supported (transistor type, roadmap); combinations NeuroSim
    rejects (HP at 14 nm and below, 2D FET / TFET outside 22/14 nm) are absent.
    """

    name: str
    node_nm: int
    family: str
    device_type: str
    param_cpp: ParamCpp
    technology_cpp: tuple[TransistorData, ...]
    layout: LayoutRules
    cap_junction: float | None = None
    backside_power_rail: bool = False
    dielectric_wall: bool = False
    cfet_sram: bool = False
    description: str = ""
    source: str = ""
    manual_table_ii: dict = field(default_factory=dict, hash=False)
    manual_table_iii: dict = field(default_factory=dict, hash=False)
    fin_or_sheet_count_readme: str = ""
    circuit_fits: dict = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"{self.name}: family {self.family!r} is not one of {FAMILIES}")
        if self.family != "planar" and (self.layout.cpp is None
                                        or self.layout.outer_height_region is None):
            raise ValueError(f"{self.name}: a {self.family} node needs layout.cpp and "
                             "layout.outer_height_region")
        object.__setattr__(self, "technology_cpp", tuple(self.technology_cpp))
        seen = set()
        for td in self.technology_cpp:
            key = (td.transistor_type, td.roadmap)
            if key in seen:
                raise ValueError(f"{self.name}: two entries for {key}")
            seen.add(key)

    # -- lookups -----------------------------------------------------------------------------
    def transistor(self, roadmap: Any = "lstp",
                   transistor_type: Any = "conventional") -> TransistorData:
        """The branch data for ``roadmap`` and ``transistor_type``; ConfigError if absent."""
        rm, tt = _roadmap_name(roadmap), _ttype_name(transistor_type)
        for td in self.technology_cpp:
            if td.roadmap == rm and td.transistor_type == tt:
                return td
        if tt == "conventional" and rm == "hp" and self.family != "planar":
            _reject_hp(self)
        if tt != "conventional":
            have = sorted({td.transistor_type for td in self.technology_cpp})
            raise ConfigError(
                f"transistor_type = {tt} is not available at tech = {self.name}: its node data "
                f"has no {tt.upper()} transistor model (it has: {', '.join(have)}; in NeuroSim "
                "V1.4 only the 22 nm and 14 nm nodes carry 2D-FET / TFET data)")
        raise ConfigError(f"device_roadmap = {rm} with transistor_type = {tt} is not available "
                          f"at tech = {self.name}")

    def supported(self, transistor_type: Any = "conventional") -> tuple[str, ...]:
        """Roadmaps with data for ``transistor_type`` (``("hp", "lstp")`` or ``("lstp",)``)."""
        tt = _ttype_name(transistor_type)
        return tuple(r for r in ROADMAPS
                     if any(td.roadmap == r and td.transistor_type == tt
                            for td in self.technology_cpp))

    @property
    def fins_per_transistor(self) -> int:
        """Fins of a maximum-width FinFET (``max_fin_num``); 0 for planar and GAA nodes."""
        return int(self.transistor().max_fin_num) if self.family == "finfet" else 0

    @property
    def nanosheets_per_transistor(self) -> int:
        """Stacked nanosheets of a GAA transistor (``max_sheet_num``); 0 otherwise."""
        return int(self.transistor().max_sheet_num) if self.family == "gaa" else 0

    def unit_length_wire_resistance_at(self, temperature_k: float) -> float:
        """Param.cpp's ``unitLengthWireResistance`` at ``temperature_k`` (only the wireWidth
        resistivity depends on the temperature)."""
        p = self.param_cpp
        return wire_model(p.wire_width, p.metal0, p.metal1, p.barrierthickness,
                          int(temperature_k)).unit_length_wire_resistance

    # -- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the ``node.json`` format); inverse of :meth:`from_dict`."""
        d = asdict(self)
        for td in d["technology_cpp"]:
            for k, v in td.items():
                if isinstance(v, tuple):
                    td[k] = list(v)
        return {"format": FORMAT, **d}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "TechNode":
        """Build from :meth:`to_dict` output; unknown keys raise ``ValueError``."""
        d = dict(data)
        fmt = d.pop("format", FORMAT)
        if fmt not in FORMATS_READ:
            raise ValueError(f"unsupported node data format {fmt!r}; expected {FORMAT!r}")
        d.pop("units", None)
        _check_keys(cls, d, "node")
        _check_keys(ParamCpp, d["param_cpp"], "param_cpp")
        _check_keys(LayoutRules, d["layout"], "layout")
        tds = []
        for i, td in enumerate(d["technology_cpp"]):
            _check_keys(TransistorData, td, f"technology_cpp[{i}]")
            tds.append(TransistorData(**{k: tuple(v) if isinstance(v, list) else v
                                         for k, v in td.items()}))
        d["param_cpp"] = ParamCpp(**d["param_cpp"])
        d["layout"] = LayoutRules(**d["layout"])
        d["technology_cpp"] = tuple(tds)
        return cls(**d)

    @classmethod
    def from_json(cls, path: str | Path) -> "TechNode":
        """Load a ``node.json`` file; a malformed file raises InputFileError naming it."""
        p = Path(path)
        try:
            data = json.loads(p.read_text())
        except OSError as exc:
            raise InputFileError(p, f"cannot read node data ({exc.strerror})") from None
        except json.JSONDecodeError as exc:
            raise InputFileError(p, f"invalid JSON: {exc.msg}", exc.lineno) from None
        try:
            return cls.from_dict(data)
        except (TypeError, ValueError, KeyError) as exc:
            raise InputFileError(p, f"invalid node data: {exc}") from None

    def to_json(self, path: str | Path) -> None:
        """Write :meth:`to_dict` as JSON, each list of scalars (a current table, a fit piece)
        on one line; atomically (a temporary file renamed over ``path``)."""
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(_dumps(self.to_dict()) + "\n")
        tmp.replace(target)


SCHEMA_RESOURCE = "technode-2.schema.json"


def node_schema() -> dict[str, Any]:
    """The published JSON Schema of ``neurosim-technode/2`` (``neurosim/data``)."""
    from importlib import resources

    return json.loads((resources.files("neurosim") / "data" / SCHEMA_RESOURCE).read_text())


def schema_errors(data: Mapping[str, Any]) -> list[str]:
    """Every violation of :func:`node_schema` by ``data`` (a parsed node.json), as
    ``"path: message"`` lines; empty when valid."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(node_schema())
    out = []
    plain = json.loads(json.dumps(data))  # tuples -> arrays, as in the file
    for err in sorted(validator.iter_errors(plain), key=lambda e: list(map(str, e.path))):
        where = "/".join(map(str, err.absolute_path)) or "(top level)"
        msg = err.message if len(err.message) <= 200 else err.message[:197] + "..."
        out.append(f"{where}: {msg}")
    return out


def _dumps(obj: Any, level: int = 0) -> str:
    """JSON with one-space indents whose innermost lists stay on one line."""
    pad, inner = " " * level, " " * (level + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {_dumps(v, level + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, (list, tuple)):
        if not any(isinstance(v, (dict, list, tuple)) for v in obj):
            return json.dumps(list(obj))
        items = [f"{inner}{_dumps(v, level + 1)}" for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj)


def _reject_hp(node: TechNode) -> None:
    raise ConfigError(
        f"device_roadmap = hp (deviceroadmap=1) at tech = {node.name}: the HP roadmap is not "
        f"supported at {node.family} nodes (NeuroSim: 'HP for 14 nm and beyond is not "
        "supported')")


def _check_keys(cls: type, d: Mapping[str, Any], where: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(d) - known)
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(unknown)}")


# ----------------------------------------------------------------------------------------
def _interpolate_101(table: tuple[float, ...]) -> list[float]:
    """Expand an 11-point 300..400 K table to 101 points, as Initialize's loops do:
    ``I[i] = a + (b - a) * (i % 10) / 10`` between the tabulated neighbours ``a``, ``b``."""
    out = [0.0] * 101
    for j, v in enumerate(table):
        out[10 * j] = float(v)
    for i in range(1, 100):
        if i % 10:
            a = out[i // 10 * 10]
            b = out[i // 10 * 10 + 10]
            out[i] = a + (b - a) * (i % 10) / 10
    return out


@dataclass(frozen=True)
class Technology:
    """NeuroSim's ``Technology`` after ``Initialize``: per-width transistor parameters.

    Attribute names are the C++ members by the porting rule. The four current tables have
    101 entries, index ``i`` <-> ``300 + i`` K. Build with :meth:`from_node`.
    """

    feature_size_in_nano: int
    feature_size: float
    device_roadmap: DeviceRoadmap
    transistor_type: TransistorType
    vdd: float
    vth: float
    height_fin: float
    width_fin: float
    pitch_fin: float
    phy_gate_length: float
    cap_ideal_gate: float
    cap_fringe: float
    cap_junction: float
    cap_overlap: float
    cap_sidewall: float
    cap_drain_to_channel: float
    build_in_potential: float
    pn_size_ratio: float
    effective_resistance_multiplier: float
    current_on_nmos: list[float]
    current_on_pmos: list[float]
    current_off_nmos: list[float]
    current_off_pmos: list[float]
    current_gm_nmos: float
    current_gm_pmos: float
    cap_polywire: float
    max_sheet_num: float
    thickness_sheet: float
    width_sheet: float
    effective_width: float
    max_fin_num: float
    max_fin_per_gaa: float
    gm_oncurrent: float
    cap_draintotal: float
    # -- node data the formulas and circuits read (not members of NeuroSim's Technology) ---
    family: str = "planar"
    layout: LayoutRules | None = None
    node_name: str = ""
    backside_power_rail: bool = False
    fits: Any = field(default=None, compare=False, repr=False)

    @property
    def nonplanar(self) -> bool:
        """FinFET or GAA node: fin / sheet effective widths and the node's layout rules
        (NeuroSim: ``featureSize <= 14 nm``)."""
        return self.family != "planar"

    @property
    def finfet(self) -> bool:
        """FinFET node (NeuroSim: ``14 nm >= featureSize >= 3 nm``)."""
        return self.family == "finfet"

    @property
    def gaa(self) -> bool:
        """Gate-all-around nanosheet node (NeuroSim: ``featureSize < 3 nm``)."""
        return self.family == "gaa"

    def gaa_special_layout(self, enabled: Any) -> Mapping[str, Any] | None:
        """The node's GAA special-layout factors (``circuit_fits.gaa_special_layout``: gate
        and drain-capacitance tuning of INV / NAND2 cells, and the inverter scale) when
        ``enabled`` (``param.speciallayout``) and the node has them, else None. NeuroSim V1.4
        applies them at 2 nm and 1 nm."""
        if not enabled or self.fits is None:
            return None
        return self.fits.data.get("gaa_special_layout")

    def circuit_fit(self, circuit: str, datum: str) -> Any:
        """The node's ``circuit_fits[circuit][datum]`` (see :class:`CircuitFits`)."""
        if self.fits is None:
            raise ConfigError(f"{circuit}: technology {self.node_name or self.feature_size_in_nano}"
                              " was built without its node's circuit fits")
        return self.fits.get(circuit, datum)

    def __hash__(self) -> int:  # lists inside; equal objects share these keys
        return hash((self.feature_size_in_nano, self.device_roadmap, self.transistor_type,
                     self.vdd, self.cap_ideal_gate))

    @classmethod
    def from_node(cls, node: TechNode, roadmap: DeviceRoadmap | str = DeviceRoadmap.LSTP,
                  transistor_type: TransistorType | str = TransistorType.CONVENTIONAL,
                  fits: Any = None) -> "Technology":
        """``Technology::Initialize(node.node_nm, roadmap, transistor_type)``.

        ``fits`` is the :class:`~neurosim.circuit_fits.CircuitFits` circuits read through
        :meth:`circuit_fit`; by default the node's own, without fallback.

        Raises :class:`~neurosim.errors.ConfigError` for the combinations NeuroSim rejects:
        HP at 14 nm and below, and 2D FET / TFET at nodes without their data.
        """
        rm_name, tt_name = _roadmap_name(roadmap), _ttype_name(transistor_type)
        if rm_name == "hp" and tt_name == "conventional" and node.family != "planar":
            _reject_hp(node)  # NeuroSim exits here even if a node's data had an HP model
        td = node.transistor(rm_name, tt_name)
        vdd = float(td.vdd)
        cap_ideal_gate = float(td.cap_ideal_gate)
        # Post-processing at the end of Initialize.
        cap_overlap = cap_ideal_gate * 0.2 if node.family == "planar" else 0.0
        pb = _BUILD_IN_POTENTIAL
        cap_junction = _CJD / math.pow(1 + vdd / pb, _MJD)
        cap_sidewall = _CJSWD / math.pow(1 + vdd / pb, _MJSWD)
        cap_drain_to_channel = _CJSWGD / math.pow(1 + vdd / pb, _MJSWGD)
        if node.cap_junction is not None:
            cap_junction = float(node.cap_junction)
        return cls(
            feature_size_in_nano=int(node.node_nm),
            feature_size=node.node_nm * 1e-9,
            device_roadmap=DeviceRoadmap[rm_name.upper()],
            transistor_type=TransistorType[tt_name.upper()],
            vdd=vdd,
            vth=float(td.vth),
            height_fin=float(td.height_fin),
            width_fin=float(td.width_fin),
            pitch_fin=float(td.pitch_fin),
            phy_gate_length=float(td.phy_gate_length),
            cap_ideal_gate=cap_ideal_gate,
            cap_fringe=float(td.cap_fringe),
            cap_junction=cap_junction,
            cap_overlap=cap_overlap,
            cap_sidewall=cap_sidewall,
            cap_drain_to_channel=cap_drain_to_channel,
            build_in_potential=pb,
            pn_size_ratio=float(td.pn_size_ratio),
            effective_resistance_multiplier=float(td.effective_resistance_multiplier),
            current_on_nmos=_interpolate_101(td.current_on_nmos),
            current_on_pmos=_interpolate_101(td.current_on_pmos),
            current_off_nmos=_interpolate_101(td.current_off_nmos),
            current_off_pmos=_interpolate_101(td.current_off_pmos),
            current_gm_nmos=float(td.current_gm_nmos),
            current_gm_pmos=float(td.current_gm_pmos),
            cap_polywire=0.0,
            max_sheet_num=float(td.max_sheet_num),
            thickness_sheet=float(td.thickness_sheet),
            width_sheet=float(td.width_sheet),
            effective_width=float(td.effective_width),
            max_fin_num=float(td.max_fin_num),
            max_fin_per_gaa=float(td.max_fin_per_gaa),
            gm_oncurrent=float(td.gm_oncurrent),
            cap_draintotal=float(td.cap_draintotal),
            family=node.family,
            layout=node.layout,
            node_name=node.name,
            backside_power_rail=bool(node.backside_power_rail),
            fits=fits if fits is not None else CircuitFits.of(node),
        )

    def to_dict(self) -> dict[str, Any]:
        """The members of NeuroSim's ``Technology`` (node data and fits left out)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)
             if f.name not in ("family", "layout", "node_name", "backside_power_rail", "fits")}
        d = {k: list(v) if isinstance(v, list) else v for k, v in d.items()}
        d["device_roadmap"] = self.device_roadmap.name
        d["transistor_type"] = self.transistor_type.name
        return d


__all__ = ["FORMAT", "FORMATS_READ", "node_schema", "schema_errors", "UNITS", "TABLE_TEMPERATURES_K", "FAMILIES", "ROADMAPS",
           "TRANSISTOR_TYPES", "ParamCpp", "TransistorData",
           "LayoutRules", "TechNode", "Technology"]
