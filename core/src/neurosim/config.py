"""Typed, validated configuration: every user option of NeuroSim's Param.cpp and wrapper.

Defaults equal Param.cpp's (and the wrapper's ``inference.py`` defaults for the accuracy
options). Options are loaded from TOML or YAML files and ``key=value`` overrides. Every
option has a Python name (snake_case, units in the name where it has one) and accepts the
Param.cpp / wrapper spelling as an alias, with NeuroSim's numeric codes, so a NeuroSim user
can paste ``technode=7 memcelltype=2 globalBusType=1 SARADC=1``.

The combinations NeuroSim V1.4 rejects are rejected by :meth:`Config.validate` with a
message naming the option (see ``spec/parameters.md`` section 4).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Hashable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import ConfigError, NeuroSimError, RejectedConfiguration

#: Nodes NeuroSim V1.4 supports (nm). Plugins provide the data; this is only NeuroSim's list.
NEUROSIM_NODES_NM = (130, 90, 65, 45, 32, 22, 14, 10, 7, 5, 3, 2, 1)


def opt(default: Any, doc: str, *, aliases: Iterable[str] = (), codes: Mapping | None = None,
        choices: Iterable | None = None, unit: str = "", minimum: float | None = None,
        maximum: float | None = None, section: str = "hardware") -> Any:
    """Declare one option: default, description, Param.cpp aliases, numeric code mapping,
    bounds (``minimum``/``maximum``, used unless :data:`neurosim.validation.BOUNDS` has a
    physical bound for the option)."""
    return field(default=default, metadata={
        "doc": doc, "aliases": tuple(aliases), "codes": dict(codes or {}),
        "choices": tuple(choices) if choices is not None else None, "unit": unit,
        "minimum": minimum, "maximum": maximum, "section": section,
    })


_BOOL_CODES = {0: False, 1: True}


@dataclass
class Config:
    """All options of one estimation / accuracy run. Build with :func:`load_config`."""

    # ---- operation and cell ------------------------------------------------------------
    operation_mode: int = opt(2, "1 conventionalSequential, 2 conventionalParallel, "
                              "3 BNNsequential, 4 BNNparallel, 5 XNORsequential, 6 XNORparallel",
                              aliases=["operationmode"], choices=[1, 2, 3, 4, 5, 6])
    device: str = opt("sram", "memory-cell device plugin name (sram, rram, fefet, ...)",
                      aliases=["memcelltype"], codes={1: "sram", 2: "rram", 3: "fefet"})
    access_type: str = opt("cmos", "cell access device: cmos (1T1R), bjt, diode, none (crossbar)",
                           aliases=["accesstype"],
                           codes={1: "cmos", 2: "bjt", 3: "diode", 4: "none"},
                           choices=["cmos", "bjt", "diode", "none"])
    transistor_type: str = opt("conventional", "transistor model family",
                               aliases=["transistortype"],
                               codes={1: "conventional", 2: "fet_2d", 3: "tfet"},
                               choices=["conventional", "fet_2d", "tfet"])
    device_roadmap: str = opt("lstp", "PTM roadmap: hp (high performance) or lstp (low standby "
                              "power)", aliases=["deviceroadmap"], codes={1: "hp", 2: "lstp"},
                              choices=["hp", "lstp"])
    tech: str = opt("22nm", "technology-node plugin name (130nm ... 1nm)",
                    aliases=["technode", "tech_node"])
    temperature_k: float = opt(300.0, "operating temperature", aliases=["temp", "temperature"],
                               unit="K", minimum=0)
    # ---- architecture ------------------------------------------------------------------
    global_bus: str = opt("xybus", "global interconnect plugin (xybus, htree)",
                          aliases=["globalBusType"], codes={0: "xybus", 1: "htree"})
    global_buffer_sram: bool = opt(False, "global buffer built of SRAM (else register file)",
                                   aliases=["globalBufferType"])
    global_buffer_core_rows: int = opt(128, "rows of one global-buffer core",
                                       aliases=["globalBufferCoreSizeRow"], minimum=1)
    global_buffer_core_cols: int = opt(128, "columns of one global-buffer core",
                                       aliases=["globalBufferCoreSizeCol"], minimum=1)
    tile_buffer_sram: bool = opt(False, "tile buffer type (read by Param.cpp only; NeuroSim "
                                 "builds tile buffers with pe_buffer_sram)",
                                 aliases=["tileBufferType"])
    tile_buffer_core_rows: int = opt(32, "rows of one tile-buffer core",
                                     aliases=["tileBufferCoreSizeRow"], minimum=1)
    tile_buffer_core_cols: int = opt(32, "columns of one tile-buffer core",
                                     aliases=["tileBufferCoreSizeCol"], minimum=1)
    pe_buffer_sram: bool = opt(False, "PE/tile buffers built of SRAM (else register file)",
                               aliases=["peBufferType"])
    chip_activation: bool = opt(True, "activation at chip level (else inside each tile)",
                                aliases=["chipActivation"])
    relu: bool = opt(True, "ReLU activation (else sigmoid)", aliases=["reLu"])
    novel_mapping: bool = opt(True, "novel weight mapping for eligible conv layers",
                              aliases=["novelMapping"])
    adc: str = opt("mlsa", "ADC plugin: mlsa (multilevel sense amp) or sar",
                   aliases=["SARADC"], codes={0: "mlsa", 1: "sar"})
    current_mode: bool = opt(True, "MLSA senses current (CSA) else voltage (VSA)",
                             aliases=["currentMode"])
    pipeline: bool = opt(True, "pipelined system (else layer-by-layer)", aliases=["pipeline"])
    speedup_degree: int = opt(8, "pipeline weight duplication (clipped to maxIFM/minIFM)",
                              aliases=["speedUpDegree"], minimum=1)
    validated: bool = opt(True, "apply NeuroSim's calibration factors alpha..zeta",
                          aliases=["validated"])
    synchronous: bool = opt(True, "clock set by the slowest sensing path", aliases=["synchronous"])
    algo_weight_max: float = opt(1.0, "largest weight of the algorithm", aliases=["algoWeightMax"])
    algo_weight_min: float = opt(-1.0, "smallest weight of the algorithm",
                                 aliases=["algoWeightMin"])
    clk_freq_hz: float = opt(1e9, "clock frequency (upper bound in synchronous mode)",
                             aliases=["clkFreq"], unit="Hz", minimum=0)
    activation_sram: bool = opt(True, "sigmoid LUT in SRAM (else RRAM)",
                                aliases=["Activationtype"])
    special_layout: int = opt(1, "GAA-specific layout factors at 2/1 nm (0/1)",
                              aliases=["speciallayout"], choices=[0, 1])
    global_bus_delay_tolerance: float = opt(0.1, "relaxation of global H-tree delay",
                                            aliases=["globalBusDelayTolerance"], minimum=0)
    local_bus_delay_tolerance: float = opt(0.1, "relaxation of tile-level bus delay",
                                           aliases=["localBusDelayTolerance"], minimum=0)
    tree_folded_ratio: int = opt(4, "H-tree layout folding", aliases=["treeFoldedRatio"],
                                 minimum=1)
    max_global_bus_width: int = opt(2048, "upper bound of global bus width (bits)",
                                    aliases=["maxGlobalBusWidth"], minimum=1)
    input_toggle: float = opt(0.18, "interconnect toggle rate of input data",
                              aliases=["inputtoggle"], minimum=0)
    output_toggle: float = opt(0.5, "interconnect toggle rate of output data",
                               aliases=["outputtoggle"], minimum=0)
    sync_data_transfer: bool = opt(False, "synchronous data-transfer mode",
                                   aliases=["sync_data_transfer"])
    # ---- subarray ----------------------------------------------------------------------
    subarray_rows: int = opt(128, "rows of one subarray (NeuroSim argv 4)",
                             aliases=["numRowSubArray", "subArray"], minimum=1)
    subarray_cols: int = opt(128, "columns of one subarray", aliases=["numColSubArray"],
                             minimum=1)
    parallel_rows: int = opt(0, "rows read in parallel (partial parallel read; 0 = all rows; "
                             "NeuroSim argv 5)", aliases=["numRowParallel", "parallelRead"],
                             minimum=0)
    relax_array_cell_height: bool = opt(False, "relax cell height to the peripheral pitch",
                                        aliases=["relaxArrayCellHeight"])
    relax_array_cell_width: bool = opt(False, "relax cell width to the peripheral pitch",
                                       aliases=["relaxArrayCellWidth"])
    col_mux: int = opt(8, "columns sharing one ADC", aliases=["numColMuxed"], minimum=1)
    level_output: int = opt(32, "ADC output levels (power of 2; 32 = 5 bit)",
                            aliases=["levelOutput"], minimum=2)
    cell_bits: int = opt(1, "bits per memory cell (an SRAM cell holds 1: the hardware "
                            "estimate refuses more, which NeuroSim silently forces to 1)",
                         aliases=["cellBit"], minimum=1)
    synapse_bits: int = opt(8, "weight precision (NeuroSim argv 2; wrapper --wl_weight)",
                            aliases=["synapseBit", "wl_weight"], minimum=1)
    input_bits: int = opt(8, "activation precision (NeuroSim argv 3; wrapper --wl_activate)",
                          aliases=["numBitInput", "wl_activate"], minimum=1)
    # ---- memory cell -------------------------------------------------------------------
    min_sense_voltage_v: float = opt(0.1, "SRAM sense margin", aliases=["minSenseVoltage"],
                                     unit="V", minimum=0)
    height_1t1r_f: float = opt(4.0, "1T1R cell height", aliases=["heightInFeatureSize1T1R"],
                               unit="F", minimum=0)
    width_1t1r_f: float = opt(12.0, "1T1R cell width", aliases=["widthInFeatureSize1T1R"],
                              unit="F", minimum=0)
    height_crossbar_f: float = opt(2.0, "crossbar cell height",
                                   aliases=["heightInFeatureSizeCrossbar"], unit="F", minimum=0)
    width_crossbar_f: float = opt(2.0, "crossbar cell width",
                                  aliases=["widthInFeatureSizeCrossbar"], unit="F", minimum=0)
    resistance_on_ohm: float = opt(100e3, "eNVM on resistance at the read voltage",
                                   aliases=["resistanceOn"], unit="ohm", minimum=0)
    resistance_off_ohm: float = opt(1.7e6, "eNVM off resistance at the read voltage",
                                    aliases=["resistanceOff"], unit="ohm", minimum=0)
    read_pulse_width_s: float = opt(10e-9, "read pulse width", aliases=["readPulseWidth"],
                                    unit="s", minimum=0)
    access_voltage_v: float = opt(1.1, "1T1R access-transistor gate voltage",
                                  aliases=["accessVoltage"], unit="V")
    write_voltage_v: float = opt(2.0, "write voltage (level shifters above 1.5 V)",
                                 aliases=["writeVoltage"], unit="V")
    # ---- accuracy simulation (wrapper options; they do not change the hardware estimate) --
    quant_mode: str = opt("WAGE", "quantization mode of the network layers",
                          aliases=["mode"], choices=["WAGE", "FP"], section="accuracy")
    inference: bool = opt(True, "hardware-aware forward (wrapper --inference)",
                          aliases=["inference"], section="accuracy")
    adc_bits: int = opt(5, "ADC precision of partial sums", aliases=["ADCprecision"],
                        minimum=1, section="accuracy")
    onoff_ratio: float = opt(10.0, "Gmax/Gmin of the cell in the accuracy model",
                             aliases=["onoffratio"], minimum=1, section="accuracy")
    variation: float = opt(0.0, "relative sigma of conductance variation", aliases=["vari"],
                           minimum=0, section="accuracy")
    retention_time_s: float = opt(0.0, "retention time for drift", aliases=["t"], unit="s",
                                  minimum=0, section="accuracy")
    drift_nu: float = opt(0.0, "drift coefficient", aliases=["v"], minimum=0,
                          section="accuracy")
    drift_detect: bool = opt(False, "drift towards a fixed target (else random direction)",
                             aliases=["detect"], section="accuracy")
    drift_target: float = opt(0.0, "drift target in [0, 1]", aliases=["target"],
                              section="accuracy")
    seed: int = opt(117, "random seed (weights, inputs, variation)", aliases=["seed"],
                    section="accuracy")
    # ---- accuracy non-idealities (NeuroSim V1.5 names as aliases; docs/accuracy.md) -------
    stuck_at_0_rate: float = opt(0.0, "fraction of cells stuck at their lowest state, fixed "
                                 "per programmed array and seed", aliases=["rate_stuck_0"],
                                 minimum=0, section="accuracy")
    stuck_at_1_rate: float = opt(0.0, "fraction of cells stuck at their highest state",
                                 aliases=["rate_stuck_1"], minimum=0, section="accuracy")
    read_noise: float = opt(0.0, "relative sigma of a cell's conductance on every read "
                            "(cycle to cycle)", aliases=["read_noise"], minimum=0,
                            section="accuracy")
    output_noise_lsb: float = opt(0.0, "sigma of Gaussian noise on every ADC output (-1: "
                                  "per level from output_noise_file, V1.5)", unit="LSB",
                                  aliases=["output_noise"], minimum=-1, section="accuracy")
    output_noise_file: str = opt("", "CSV of per-ADC-level output mean/std in LSB (V1.5 "
                                 "format: output,mean,std)", unit="path",
                                 aliases=["output_noise_file"], section="accuracy")
    mem_states_file: str = opt("", "CSV of per-state conductance mean/std (V1.5 "
                               "mem_states.csv: states,mean,std; 2**cell_bits rows)",
                               unit="path", aliases=["mem_states_file"], section="accuracy")
    dac_bits: int = opt(1, "input bits applied per read (full path)",
                        aliases=["dac_precision"], minimum=1, section="accuracy")
    drift_nu_per_layer: str = opt("", "drift coefficient per CIM layer in model order, "
                                  "comma-separated (overrides drift_nu)", aliases=["v_list"],
                                  section="accuracy")
    variation_mode: str = opt("auto", "what variation means: per_call (V1.4: redrawn per "
                              "read and bit of every call), d2d (fixed per programmed cell), "
                              "c2c (independent per read); auto = per_call, d2d for "
                              "mem_states_file", choices=["auto", "per_call", "d2d", "c2c"],
                              section="accuracy")
    device_nonidealities: bool = opt(False, "fill the non-ideality options left at their "
                                     "defaults with the device plugin's cited preset",
                                     section="accuracy")
    # ---- implementation choices --------------------------------------------------------
    compat_bugs: bool = opt(True, "reproduce NeuroSim V1.4's numeric defects (see "
                            "neurosim.engine.compat_bugs); false applies the corrections",
                            section="engine")

    fit_fallback: str = opt("none", "circuit fits a node plugin lacks: none (error naming the "
                            "datum and the node plugin) or nearest (borrow the nearest node's, "
                            "in log(node), with a warning naming the circuit)",
                            choices=["none", "nearest"], section="engine")
    # ---- per-node Param.cpp values (unset: the node plugin's value) --------------------
    sizingfactor_mux: float | None = opt(None, "mux transistor sizing factor",
                                         aliases=["sizingfactor_MUX"], minimum=0,
                                         section="node")
    sizingfactor_wldecoder: float | None = opt(None, "WL decoder sizing factor",
                                               aliases=["sizingfactor_WLdecoder"], minimum=0,
                                               section="node")
    switchmatrixsizeratio: float | None = opt(None, "switch-matrix size ratio",
                                              aliases=["switchmatrixsizeratio"], minimum=0,
                                              section="node")
    newswitchmatrixsizeratio: float | None = opt(None, "new switch-matrix size ratio",
                                                 aliases=["newswitchmatrixsizeratio"],
                                                 minimum=0, section="node")
    buffernumber: int | None = opt(None, "WL buffers per row (2 nm / 1 nm nodes; 0: none)",
                                   aliases=["buffernumber"], minimum=0, section="node")
    buffersizeratio: float | None = opt(None, "WL buffer size ratio",
                                        aliases=["buffersizeratio"], minimum=0, section="node")
    wire_width_nm: float | None = opt(None, "array wire width (Param.cpp wireWidth)",
                                      aliases=["wireWidth"], unit="nm", minimum=1,
                                      section="node")
    metal0_nm: float | None = opt(None, "M0 wire width", aliases=["Metal0"], unit="nm",
                                  minimum=1, section="node")
    metal1_nm: float | None = opt(None, "M1 wire width", aliases=["Metal1"], unit="nm",
                                  minimum=1, section="node")
    barrier_thickness_m: float | None = opt(None, "Cu barrier thickness",
                                            aliases=["barrierthickness"], unit="m", minimum=0,
                                            section="node")
    read_voltage_v: float | None = opt(None, "eNVM read voltage", aliases=["readVoltage"],
                                       unit="V", minimum=0, section="node")
    sram_cell_height_f: float | None = opt(None, "SRAM cell height",
                                           aliases=["heightInFeatureSizeSRAM"], unit="F",
                                           minimum=0, section="node")
    sram_cell_width_f: float | None = opt(None, "SRAM cell width",
                                          aliases=["widthInFeatureSizeSRAM"], unit="F",
                                          minimum=0, section="node")
    sram_cell_nmos_width_f: float | None = opt(None, "SRAM cell NMOS width (fins at FinFET/GAA "
                                               "nodes)", aliases=["widthSRAMCellNMOS"],
                                               unit="F", minimum=0, section="node")
    sram_cell_pmos_width_f: float | None = opt(None, "SRAM cell PMOS width",
                                               aliases=["widthSRAMCellPMOS"], unit="F",
                                               minimum=0, section="node")
    sram_access_width_f: float | None = opt(None, "SRAM access transistor width",
                                            aliases=["widthAccessCMOS"], unit="F", minimum=0,
                                            section="node")

    peripherals: dict = field(default_factory=dict, metadata={
        "doc": "peripheral implementation per role (role = plugin name); set as "
               "[peripherals] role = name or --set peripherals.role=name",
        "aliases": (), "codes": {}, "choices": None, "unit": "", "minimum": None,
        "section": "peripherals"})

    # -- helpers ----------------------------------------------------------------------------
    @property
    def tech_node_nm(self) -> int:
        return _node_nm(self.tech)

    @property
    def effective_parallel_rows(self) -> int:
        return self.parallel_rows or self.subarray_rows

    def replace(self, **changes: Any) -> "Config":
        return set_options(self, changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def validate(self) -> "Config":
        """Raise :class:`ConfigError` for invalid values and NeuroSim's rejected combinations:
        ranges by physical meaning first (:mod:`neurosim.validation`), then combinations."""
        from .validation import check_choice, check_ranges, check_relations

        for f in fields(self):
            check_choice(f, getattr(self, f.name))
        check_ranges(self)  # temperature_k in 300-400 K: the transistor tables
        self.tech_node_nm  # raises for a malformed name
        from .node_rules import check_installed_node_rules

        check_installed_node_rules(self)
        if self.sync_data_transfer and not (
            self.global_bus == "htree" and self.chip_activation and self.novel_mapping
            and self.pipeline and self.synchronous and not self.global_buffer_sram
        ):
            raise RejectedConfiguration(
                "sync_data_transfer = true is only supported with global_bus = htree, "
                "chip_activation, novel_mapping, pipeline, synchronous and a register-file "
                "global buffer (global_buffer_sram = false)")
        from .accuracy.nonideal import validate_options  # torch-free

        validate_options(self)
        check_relations(self)
        return self

    def validate_accuracy(self) -> "Config":
        """Checks of the accuracy path (the wrapper's own rejection)."""
        self.validate()
        if self.effective_parallel_rows < self.subarray_rows and self.cell_bits > 1:
            raise RejectedConfiguration(
                f"parallel_rows = {self.parallel_rows} < subarray_rows = {self.subarray_rows} "
                f"with cell_bits = {self.cell_bits}: partial parallel read is not supported for "
                "multi-level cells (set parallel_rows = subarray_rows when cell_bits > 1)")
        return self


# ----------------------------------------------------------------------------------------
def _node_nm(tech: str) -> int:
    s = str(tech).strip().lower().removesuffix("nm")
    try:
        return int(s)
    except ValueError:
        raise ConfigError(f"option tech = {tech!r} is not a node name like '22nm'") from None


_FIELDS = {f.name: f for f in fields(Config)}
#: the options whose value is a list (comma-separated on --set; a TOML/YAML list in a file);
#: a list for any other option (adc = ["sar"], mem_states_file = ["a.csv"]) is an error
LIST_OPTIONS = ("drift_nu_per_layer",)
_ALIASES: dict[str, str] = {}
for _f in fields(Config):
    for _a in _f.metadata["aliases"]:
        _ALIASES[_a] = _f.name
        _ALIASES[_a.lower()] = _f.name


def option_names() -> list[str]:
    return list(_FIELDS)


def resolve_name(key: str) -> str:
    """Python option name for ``key`` (itself, a Param.cpp alias, or ``section.key``)."""
    k = key.strip()
    if "." in k:
        section, k = k.split(".", 1)
        _check_section(section, key)
    if k in _FIELDS:
        return k
    if k in _ALIASES:
        return _ALIASES[k]
    if k.lower() in _ALIASES:
        return _ALIASES[k.lower()]
    import difflib
    # an option spelled alike as its name and as a (lower-case) alias is named once
    near = difflib.get_close_matches(k, list(_FIELDS) + list(_ALIASES), n=6, cutoff=0.6)
    cands = list(dict.fromkeys(near))[:3]
    hint = f" Did you mean {' or '.join(repr(c) for c in cands)}?" if cands else ""
    raise ConfigError(f"unknown option {key!r}.{hint} (`neurosim config show` lists all options)")


def _coerce_peripherals(value: Any) -> dict[str, str]:
    """The ``peripherals`` option as a whole: a table of role = plugin name (a scalar such
    as ``--set peripherals=sar`` names no role)."""
    if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ConfigError(f"option peripherals = {value!r} must be a table of role = plugin "
                          "name: set one role with peripherals.ROLE=NAME (--set) or a "
                          "[peripherals] table (file)")
    return {k.strip(): v.strip() for k, v in value.items()}


def _coerce(name: str, value: Any, via_alias: bool) -> Any:
    f = _FIELDS[name]
    md = f.metadata
    typ = f.type if isinstance(f.type, str) else f.type.__name__
    if typ.endswith(" | None"):  # per-node values: unset (None) means the node plugin's
        if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
            return None
        typ = typ[:-len(" | None")]
    codes = md["codes"]
    if name == "peripherals":
        return _coerce_peripherals(value)
    if name == "tech":
        if isinstance(value, float) and not (math.isfinite(value) and value == int(value)):
            raise ConfigError(f"option tech = {value!r} must be a node in nm such as 22 "
                              "or '22nm'")  # nan, inf: a ValueError in int(); 22.5: cut
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{int(value)}nm"
        s = str(value).strip()
        return f"{s}nm" if s.lstrip("-").isdigit() else s.lower()
    if isinstance(value, str):
        s = value.strip()
        if codes and set(codes) == {0, 1} and s.lower() in ("true", "false"):
            s = "1" if s.lower() == "true" else "0"  # Param.cpp bools: globalBusType, SARADC
        if codes and s.lstrip("-").isdigit():
            value = int(s)
        elif typ == "bool":
            low = s.lower()
            if low in ("true", "1", "yes", "on"):
                return True
            if low in ("false", "0", "no", "off"):
                return False
            raise ConfigError(f"option {name} = {value!r} must be true or false")
        elif typ in ("int", "float"):
            try:
                value = int(s) if typ == "int" and s.lstrip("+-").isdigit() else float(s)
            except ValueError:
                raise ConfigError(f"option {name} = {value!r} must be a number") from None
    if typ in ("int", "float") and isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"option {name} = {value} must be a finite number")
    if codes and isinstance(value, bool) and set(codes) != {0, 1} and typ != "bool":
        # device = true was taken as code 1 (sram); true/false are the codes of the
        # Param.cpp bools only (SARADC, globalBusType)
        raise ConfigError(f"option {name} = {value!r} must be a name or a NeuroSim code: "
                          + ", ".join(f"{k} = {v}" for k, v in codes.items()))
    if codes and isinstance(value, (int, bool)) and not (typ == "bool"):
        key = int(value)
        if key not in codes:
            raise ConfigError(f"option {name} = {value!r}: unknown code; NeuroSim codes are "
                              + ", ".join(f"{k} = {v}" for k, v in codes.items()))
        return codes[key]
    if typ == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        raise ConfigError(f"option {name} = {value!r} must be true or false")
    if typ == "int":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            raise ConfigError(f"option {name} = {value!r} must be an integer")
        return int(value)
    if typ == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"option {name} = {value!r} must be a number")
        return float(value)
    if name in LIST_OPTIONS and isinstance(value, (list, tuple)):  # a TOML/YAML list
        value = ",".join(str(v) for v in value)
    if typ == "str":
        if not isinstance(value, str):
            raise ConfigError(f"option {name} = {value!r} must be a name")
        if name == "quant_mode" or md["unit"] == "path":  # names and paths keep their case
            return value.strip()
        return value.strip().lower()
    return value


def set_options(cfg: Config, values: Mapping[str, Any]) -> Config:
    """A copy of ``cfg`` with ``values`` (names or aliases) applied, not yet validated."""
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key.startswith("peripherals.") or key.startswith("peripheral_"):
            role = key.split(".", 1)[1] if "." in key else key[len("peripheral_"):]
            if role == "adc":
                changes["adc"] = _coerce("adc", value, False)
                continue
            merged = dict(changes.get("peripherals", cfg.peripherals))
            merged[role] = str(value).strip()
            changes["peripherals"] = merged
            continue
        name = resolve_name(key)
        changes[name] = _coerce(name, value, name != key)
    return dataclasses.replace(cfg, **changes)


def parse_overrides(items: Iterable[str], flag: str = "--set") -> dict[str, str]:
    """``["a=1", "b=x"]`` -> ``{"a": "1", "b": "x"}``, with a clear error for bad items and
    for an option given twice (the same key, or two names of one option such as ``tech``
    and ``technode``: which one was meant is not for us to guess)."""
    out: dict[str, str] = {}
    given: dict[str, str] = {}  # option -> the key that set it
    for item in items:
        if "=" not in item:
            raise ConfigError(f"{flag} {item!r}: expected KEY=VALUE")
        k, v = item.split("=", 1)
        k = k.strip()
        try:
            name = _option_of_key(k)
        except ConfigError:
            name = k  # an unknown option is reported by set_options
        if name in given:
            raise ConfigError(f"{flag} {k}={v.strip()}: option {name} is already set by "
                              f"{flag} {given[name]}={out[given[name]]}; give it once")
        given[name] = k
        out[k] = v.strip()
    return out


def sections() -> list[str]:
    """The section names of the options (``[hardware]``, ``[accuracy]``, ...)."""
    return list(dict.fromkeys(f.metadata["section"] for f in fields(Config)))


def _check_section(section: str, where: str) -> None:
    """An unknown section name is an error (its options would otherwise be taken silently
    from a misspelt table such as ``[hardwear]``)."""
    if section.strip() not in sections():
        import difflib

        near = difflib.get_close_matches(section.strip(), sections(), n=1, cutoff=0.6)
        hint = f" Did you mean {near[0]!r}?" if near else ""
        raise ConfigError(f"{where}: unknown section {section.strip()!r}.{hint} Sections: "
                          f"{', '.join(sections())}")


def _option_of_key(key: str) -> str:
    """The option a file key sets: ``peripherals.ROLE`` (``peripheral_ROLE``) is the role,
    except the ADC role, which is the ``adc`` option (as top-level ``adc`` / ``SARADC``)."""
    if key.startswith("peripherals.") or key.startswith("peripheral_"):
        role = key.split(".", 1)[1] if "." in key else key[len("peripheral_"):]
        return "adc" if role.strip() == "adc" else f"peripherals.{role.strip()}"
    return resolve_name(key)


def _flatten(d: Mapping[str, Any], src: str) -> dict[str, Any]:
    """One table of options from a file's sections; a section name must be known and no
    option may be given twice (under two names, e.g. ``tech`` and ``technode``, or in two
    sections), which would otherwise keep one of the values silently."""
    out: dict[str, Any] = {}
    first: dict[str, str] = {}  # option -> the key that set it

    def put(key: str, value: Any) -> None:
        try:
            name = _option_of_key(key)
        except ConfigError:
            name = key  # an unknown option is reported (naming the file) by set_options
        if name in first:
            raise ConfigError(f"{src}: option {name} is given twice ({first[name]} and "
                              f"{key}); keep one")
        first[name] = key
        out[key] = value

    def text_key(key: Any, table: str = "") -> None:
        if not isinstance(key, str):  # a YAML key such as 1: or true: (AttributeError)
            raise ConfigError(f"{src}: {table}key {key!r}: an option name must be text")

    for k, v in d.items():
        text_key(k)
        if isinstance(v, Mapping):
            for k2 in v:
                text_key(k2, f"[{k}] ")
        if k == "peripherals" and isinstance(v, Mapping):
            for role, impl in v.items():
                put(f"peripherals.{role}", impl)
            continue
        if isinstance(v, Mapping):
            _check_section(k, src)
            for k2, v2 in v.items():
                if isinstance(v2, Mapping):
                    raise ConfigError(f"{src}: option {k}.{k2} is nested too deeply")
                put(k2, v2)
        else:
            put(k, v)
    return out


def _yaml_loader() -> Any:
    """PyYAML's SafeLoader that refuses a key given twice in one table."""
    import yaml

    class _UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if not isinstance(key, Hashable):  # ? [a, b]: TypeError before
                    raise ConfigError(f"line {key_node.start_mark.line + 1}: a key is a "
                                      "name, not a list or table")
                if key in seen:
                    raise ConfigError(f"line {key_node.start_mark.line + 1}: option {key!r} "
                                      "is given twice")
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return _UniqueKeyLoader


def _json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number an option can take")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different (json kept the last of two silently,
    where TOML and YAML files refuse a key given twice)."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"option {k!r} is given twice")
        out[k] = v
    return out


def _json_float(text: str) -> float:
    v = float(text)
    if not math.isfinite(v):
        raise ValueError(f"{text} is out of the range of a finite number")
    return v


def _parse_config_text(p: Path, text: str) -> Any:
    if p.suffix in (".yaml", ".yml"):
        import yaml
        try:
            return yaml.load(text, Loader=_yaml_loader()) or {}
        except ConfigError as exc:
            raise ConfigError(f"{p}, {exc}") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f", line {mark.line + 1}" if mark is not None else ""
            what = getattr(exc, "problem", None) or str(exc)
            raise ConfigError(f"{p}{where}: invalid YAML: {what}") from None
    if p.suffix == ".json":
        try:
            return json.loads(text, parse_constant=_json_constant, parse_float=_json_float,
                              object_pairs_hook=_json_object)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{p}, line {exc.lineno}: invalid JSON: {exc.msg}") from None
        except ValueError as exc:
            raise ConfigError(f"{p}: invalid JSON value: {exc}") from None
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}") from None


def read_config_file(path: str | Path) -> dict[str, Any]:
    """Options from a TOML (``.toml``), YAML (``.yaml``/``.yml``) or JSON file, sections
    flattened; read with :func:`neurosim.files.read_text` (size limit, UTF-8 named)."""
    from .files import read_text

    p = Path(path)
    try:
        text = read_text(p, "configuration")
    except NeuroSimError as exc:
        raise ConfigError(str(exc)) from None
    try:
        data = _parse_config_text(p, text)
    except RecursionError:
        raise ConfigError(f"{p}: nested too deeply to be a configuration file") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{p}: expected a table of options")
    return _flatten(data, str(p))


def load_config(files: Iterable[str | Path] = (), overrides: Mapping[str, Any] | Iterable[str] = (),
                *, validate: bool = True) -> Config:
    """Defaults, then each file in order, then ``overrides``; validated unless told not to."""
    from .validation import check_range

    cfg = Config()
    for f in files:
        values = read_config_file(f)
        try:
            cfg = set_options(cfg, values)
            # each value's own bounds and choices now, while the file is known (checked
            # after all files, the Error line named the option but not the file)
            for key in values:
                if not (key.startswith("peripherals.") or key.startswith("peripheral_")):
                    check_range(cfg, resolve_name(key))
        except ConfigError as exc:
            raise ConfigError(f"{f}: {exc}") from None
    if not isinstance(overrides, Mapping):
        overrides = parse_overrides(overrides)
    cfg = set_options(cfg, overrides)
    return cfg.validate() if validate else cfg


def describe_options() -> list[dict[str, Any]]:
    """One row per option: name, section, default, unit, aliases, doc (for docs and CLI)."""
    rows = []
    for f in fields(Config):
        md = f.metadata
        rows.append({"name": f.name, "section": md["section"], "default": f.default,
                     "unit": md["unit"], "aliases": list(md["aliases"]), "doc": md["doc"]})
    return rows
