"""NeuroSim's global ``Param`` object as a dataclass, derived from the configuration and node.

:class:`NeuroSimParams` holds every member of ``Param.h`` under its name by the porting rule
(``numColMuxed -> num_col_muxed``, ``SARADC -> saradc``, ``XNORparallelMode ->
xno_rparallel_mode``, ``heightInFeatureSize1T1R -> height_in_feature_size1_t1_r``, ...; a few
readable aliases are properties, see :data:`ALIASES`). Its defaults are NeuroSim V1.4's shipped
values: ``Param::Param()`` at 22 nm followed by ``main.cpp`` with ``8 8 128 128`` on the
command line.

:meth:`NeuroSimParams.from_config` reproduces, in order,

1. the user options of ``Param::Param()`` (from :class:`~neurosim.config.Config`, see
   :data:`CONFIG_TO_PARAM`) and its per-node values (from the
   :class:`~neurosim.technology.TechNode`: wire widths, barrier, SRAM cell, driver sizing,
   read voltage);
2. the derived part of ``Param::Param()``: operation-mode flags, ``parallelRead``,
   ``dumcolshared = levelOutput``, ``maxConductance``/``minConductance``,
   ``resistanceAccess = Ron * IR_DROP_TOLERANCE``, calibration factors, ``cellBit = 1`` for
   SRAM, the wire model (:mod:`neurosim.primitives.wire`), the wire lengths and resistances of
   one cell pitch;
3. ``main.cpp``: ``synapseBit``, ``numBitInput``, ``numRowSubArray``, ``numRowParallel`` (its
   command line), the ``cellBit > synapseBit`` clamp (NeuroSim prints an error and continues
   with ``cellBit = synapseBit``), ``numRowPerSynapse``, ``numColPerSynapse`` and
   ``numColMuxed = numColPerSynapse`` for conventional-sequential SRAM.

The golden cases were produced with every option applied before this derivation, so derived
members follow the options (e.g. ``dumcolshared`` follows ``level_output``).

Members NeuroSim V1.4 never assigns (``readNoise``, ``numlut``, ``avgWeightBit``, ...) are 0.
Members that circuits write while they are evaluated (``unitcap``, ``unitres``,
``drivecapin``, ``columncap``, ``reference_energy_peri``, ``arrayheight``,
``arraywidthunit``, ``resCellAccess``, ``ADClatency``, ``rowdelay``, ``muxdelay``,
``totaltile_num``) start at 0.

``validated = false``: NeuroSim leaves ``alpha`` ... ``zeta`` uninitialised. Almost every read
of them is guarded by ``validated``, but the register-file Buffer calls the DFF power model with
a hard-coded ``true``, so ``gamma`` is read: on NeuroSim's freshly allocated (zeroed) ``Param``
it is 0, which the golden case ``micro_sram_t22_notvalidated`` confirms. With ``compat_bugs``
(the default) the factors are therefore 0; without, they are 1.0, the neutral factor
(compat bug ``calibration_factors_uninitialised``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..errors import ConfigError
from ..primitives.constants import IR_DROP_TOLERANCE
from ..primitives.wire import wire_model
from .compat_bugs import register_bug

#: NeuroSim's calibration factors (validated by silicon data), used when ``validated``.
CALIBRATION_FACTORS: dict[str, float] = {
    "alpha": 1.44,    # wiring area of level shifter
    "beta": 1.4,      # latency factor of sensing cycle
    "gamma": 0.5,     # switching activity of DFF in shifter-add and accumulator
    "delta": 0.15,    # switching activity of adder
    "epsilon": 0.05,  # switching activity of control circuits
    "zeta": 1.22,     # post-layout energy increase
}
#: Value of the calibration factors when ``validated`` is false: NeuroSim's (zeroed memory)
#: and the corrected, neutral one (see module docstring).
UNCALIBRATED_FACTOR_NEUROSIM = 0.0
UNCALIBRATED_FACTOR = 1.0
BUG_UNCALIBRATED = register_bug(
    "calibration_factors_uninitialised",
    "validated=false leaves alpha..zeta uninitialised (0 on a fresh heap) although the "
    "register-file buffer's DFF power still reads gamma; corrected: 1.0")

#: Config ``device`` -> ``memcelltype`` (1 SRAM, 2 RRAM, 3 FeFET). Other device plugins are
#: treated as eNVM (2) unless :meth:`NeuroSimParams.from_config` gets ``memcelltype``.
MEMCELLTYPE = {"sram": 1, "rram": 2, "fefet": 3}
ACCESSTYPE = {"cmos": 1, "bjt": 2, "diode": 3, "none": 4}
TRANSISTORTYPE = {"conventional": 1, "fet_2d": 2, "tfet": 3}
DEVICEROADMAP = {"hp": 1, "lstp": 2}

#: Config option -> (NeuroSimParams member, Param.cpp member) it sets. The accuracy-only
#: options (``quant_mode``, ``adc_bits``, ``onoff_ratio``, ``variation``, retention/drift,
#: ``seed``, ``inference``) and the engine options (``compat_bugs``, ``peripherals``) set no
#: Param member.
CONFIG_TO_PARAM: dict[str, tuple[str, str]] = {
    "operation_mode": ("operationmode", "operationmode"),
    "device": ("memcelltype", "memcelltype"),
    "access_type": ("accesstype", "accesstype"),
    "transistor_type": ("transistortype", "transistortype"),
    "device_roadmap": ("deviceroadmap", "deviceroadmap"),
    "tech": ("technode", "technode"),
    "temperature_k": ("temp", "temp"),
    "global_bus": ("global_bus_type", "globalBusType"),
    "global_buffer_sram": ("global_buffer_type", "globalBufferType"),
    "global_buffer_core_rows": ("global_buffer_core_size_row", "globalBufferCoreSizeRow"),
    "global_buffer_core_cols": ("global_buffer_core_size_col", "globalBufferCoreSizeCol"),
    "tile_buffer_sram": ("tile_buffer_type", "tileBufferType"),
    "tile_buffer_core_rows": ("tile_buffer_core_size_row", "tileBufferCoreSizeRow"),
    "tile_buffer_core_cols": ("tile_buffer_core_size_col", "tileBufferCoreSizeCol"),
    "pe_buffer_sram": ("pe_buffer_type", "peBufferType"),
    "chip_activation": ("chip_activation", "chipActivation"),
    "relu": ("re_lu", "reLu"),
    "novel_mapping": ("novel_mapping", "novelMapping"),
    "adc": ("saradc", "SARADC"),
    "current_mode": ("current_mode", "currentMode"),
    "pipeline": ("pipeline", "pipeline"),
    "speedup_degree": ("speed_up_degree", "speedUpDegree"),
    "validated": ("validated", "validated"),
    "synchronous": ("synchronous", "synchronous"),
    "algo_weight_max": ("algo_weight_max", "algoWeightMax"),
    "algo_weight_min": ("algo_weight_min", "algoWeightMin"),
    "clk_freq_hz": ("clk_freq", "clkFreq"),
    "activation_sram": ("activationtype", "Activationtype"),
    "special_layout": ("speciallayout", "speciallayout"),
    "global_bus_delay_tolerance": ("global_bus_delay_tolerance", "globalBusDelayTolerance"),
    "local_bus_delay_tolerance": ("local_bus_delay_tolerance", "localBusDelayTolerance"),
    "tree_folded_ratio": ("tree_folded_ratio", "treeFoldedRatio"),
    "max_global_bus_width": ("max_global_bus_width", "maxGlobalBusWidth"),
    "input_toggle": ("inputtoggle", "inputtoggle"),
    "output_toggle": ("outputtoggle", "outputtoggle"),
    "sync_data_transfer": ("sync_data_transfer", "sync_data_transfer"),
    "subarray_rows": ("num_row_sub_array", "numRowSubArray"),
    "subarray_cols": ("num_col_sub_array", "numColSubArray"),
    "parallel_rows": ("num_row_parallel", "numRowParallel"),
    "relax_array_cell_height": ("relax_array_cell_height", "relaxArrayCellHeight"),
    "relax_array_cell_width": ("relax_array_cell_width", "relaxArrayCellWidth"),
    "col_mux": ("num_col_muxed", "numColMuxed"),
    "level_output": ("level_output", "levelOutput"),
    "cell_bits": ("cell_bit", "cellBit"),
    "synapse_bits": ("synapse_bit", "synapseBit"),
    "input_bits": ("num_bit_input", "numBitInput"),
    "min_sense_voltage_v": ("min_sense_voltage", "minSenseVoltage"),
    "height_1t1r_f": ("height_in_feature_size1_t1_r", "heightInFeatureSize1T1R"),
    "width_1t1r_f": ("width_in_feature_size1_t1_r", "widthInFeatureSize1T1R"),
    "height_crossbar_f": ("height_in_feature_size_crossbar", "heightInFeatureSizeCrossbar"),
    "width_crossbar_f": ("width_in_feature_size_crossbar", "widthInFeatureSizeCrossbar"),
    "resistance_on_ohm": ("resistance_on", "resistanceOn"),
    "resistance_off_ohm": ("resistance_off", "resistanceOff"),
    "read_pulse_width_s": ("read_pulse_width", "readPulseWidth"),
    "access_voltage_v": ("access_voltage", "accessVoltage"),
    "write_voltage_v": ("write_voltage", "writeVoltage"),
}

#: Readable aliases (properties) of members whose rule name is awkward.
ALIASES: dict[str, str] = {
    "xnor_parallel_mode": "xno_rparallel_mode",
    "xnor_sequential_mode": "xno_rsequential_mode",
    "bnn_parallel_mode": "bn_nparallel_mode",
    "bnn_sequential_mode": "bn_nsequential_mode",
    "sizingfactor_wldecoder": "sizingfactor_w_ldecoder",
    "adc_latency": "ad_clatency",
    "height_in_feature_size_1t1r": "height_in_feature_size1_t1_r",
    "width_in_feature_size_1t1r": "width_in_feature_size1_t1_r",
}

# Wire model of the shipped default node (22 nm, 300 K), for the dataclass defaults.
_W22 = wire_model(40, 40, 40, 2.5e-9, 300)


@dataclass
class NeuroSimParams:
    """Every member of NeuroSim V1.4's ``Param`` (names by the porting rule; SI units).

    Defaults: the shipped ``Param.cpp`` (22 nm, SRAM, conventional parallel) after ``main.cpp``
    with synapse/input precision 8 and a 128-row subarray read in parallel. Build the values of
    a run with :meth:`from_config`.
    """

    # ---- operation mode and cell (Param.cpp user options) ----------------------------------
    operationmode: int = 2
    operationmode_back: int = 0
    memcelltype: int = 1
    accesstype: int = 1
    transistortype: int = 1
    deviceroadmap: int = 2
    # ---- architecture ------------------------------------------------------------------------
    global_bus_type: bool = False  #: True = H-tree, False = X-Y bus
    global_buffer_type: bool = False  #: True = SRAM, False = register file
    global_buffer_core_size_row: int = 128
    global_buffer_core_size_col: int = 128
    tile_buffer_type: bool = False
    tile_buffer_core_size_row: int = 32
    tile_buffer_core_size_col: int = 32
    pe_buffer_type: bool = False
    chip_activation: bool = True
    re_lu: bool = True
    novel_mapping: bool = True
    saradc: bool = False  #: True = SAR ADC, False = multilevel sense amp
    current_mode: bool = True
    pipeline: bool = True
    speed_up_degree: int = 8
    validated: bool = True
    synchronous: bool = True
    algo_weight_max: float = 1.0
    algo_weight_min: float = -1.0
    clk_freq: float = 1e9  #: Hz
    temp: int = 300  #: K
    technode: int = 22  #: nm
    activationtype: bool = True  #: True = SRAM sigmoid LUT, False = RRAM
    speciallayout: float = 1.0
    # ---- per-node driver sizing --------------------------------------------------------------
    sizingfactor_mux: float = 110.0
    sizingfactor_w_ldecoder: float = 1.0
    newswitchmatrixsizeratio: float = 14.0
    switchmatrixsizeratio: float = 0.2
    buffernumber: int = 0  #: repeaters per row (a double in C++; always integral)
    buffersizeratio: float = 0.0
    # ---- per-node wires ----------------------------------------------------------------------
    metal0: float = 40.0  #: nm
    metal1: float = 40.0  #: nm
    wire_width: int = 40  #: nm
    barrierthickness: float = 2.5e-9  #: m
    featuresize: float = 40 * 1e-9  #: m (= wireWidth)
    # ---- interconnect ------------------------------------------------------------------------
    global_bus_delay_tolerance: float = 0.1
    local_bus_delay_tolerance: float = 0.1
    tree_folded_ratio: float = 4.0
    max_global_bus_width: float = 2048.0
    inputtoggle: float = 0.18
    outputtoggle: float = 0.5
    # ---- subarray ----------------------------------------------------------------------------
    num_row_sub_array: int = 128
    num_col_sub_array: int = 128
    sync_data_transfer: int = 0
    conventional_parallel: int = 1
    conventional_sequential: int = 0
    bn_nparallel_mode: int = 0
    bn_nsequential_mode: int = 0
    xno_rsequential_mode: int = 0
    xno_rparallel_mode: int = 0
    parallel_read: int = 1
    num_row_parallel: int = 128
    relax_array_cell_height: int = 0
    relax_array_cell_width: int = 0
    num_col_muxed: int = 8
    level_output: int = 32
    cell_bit: int = 1
    dumcolshared: float = 32.0
    synapse_bit: int = 8
    num_bit_input: int = 8
    num_row_per_synapse: int = 1
    num_col_per_synapse: int = 8
    # ---- memory cells ------------------------------------------------------------------------
    height_in_feature_size_sram: float = 10.0  #: F
    width_in_feature_size_sram: float = 28.0  #: F
    width_sram_cell_nmos: float = 1.0  #: F (one fin / sheet at <= 14 nm)
    width_sram_cell_pmos: float = 1.0
    width_access_cmos: float = 1.0
    min_sense_voltage: float = 0.1  #: V
    height_in_feature_size1_t1_r: float = 4.0  #: F
    width_in_feature_size1_t1_r: float = 12.0  #: F
    height_in_feature_size_crossbar: float = 2.0  #: F
    width_in_feature_size_crossbar: float = 2.0  #: F
    resistance_on: float = 100e3  #: ohm
    resistance_off: float = 100e3 * 17  #: ohm
    max_conductance: float = 1 / 100e3  #: S
    min_conductance: float = 1 / (100e3 * 17)  #: S
    read_voltage: float = 0.55  #: V
    read_pulse_width: float = 10e-9  #: s
    access_voltage: float = 1.1  #: V
    resistance_access: float = 100e3 * IR_DROP_TOLERANCE  #: ohm
    write_voltage: float = 2.0  #: V
    # ---- calibration -------------------------------------------------------------------------
    alpha: float = CALIBRATION_FACTORS["alpha"]
    beta: float = CALIBRATION_FACTORS["beta"]
    gamma: float = CALIBRATION_FACTORS["gamma"]
    delta: float = CALIBRATION_FACTORS["delta"]
    epsilon: float = CALIBRATION_FACTORS["epsilon"]
    zeta: float = CALIBRATION_FACTORS["zeta"]
    # ---- wire model (derived) ----------------------------------------------------------------
    ar: float = _W22.ar
    rho: float = _W22.rho  #: ohm*m, barrier and temperature corrected
    ar_metal0: float = _W22.ar_metal0
    ar_metal1: float = _W22.ar_metal1
    rho_metal0: float = _W22.rho_metal0
    rho_metal1: float = _W22.rho_metal1
    metal0_unitwireresis: float = _W22.metal0_unitwireresis  #: ohm/m
    metal1_unitwireresis: float = _W22.metal1_unitwireresis  #: ohm/m
    unit_length_wire_resistance: float = _W22.unit_length_wire_resistance  #: ohm/m
    wire_length_row: float = 40 * 1e-9 * 10.0  #: m, one cell pitch (cell *height*, as NeuroSim)
    wire_length_col: float = 40 * 1e-9 * 28.0  #: m, one cell pitch (cell *width*)
    wire_resistance_row: float = _W22.unit_length_wire_resistance * (40 * 1e-9 * 10.0)  #: ohm
    wire_resistance_col: float = _W22.unit_length_wire_resistance * (40 * 1e-9 * 28.0)  #: ohm
    # ---- never assigned by NeuroSim V1.4 -----------------------------------------------------
    read_noise: float = 0.0
    multiple_cells: int = 0
    max_num_level_ltp: float = 0.0
    max_num_level_ltd: float = 0.0
    nonlinear_iv: float = 0.0
    nonlinearity: float = 0.0
    write_pulse_width: float = 0.0
    num_write_pulse: float = 0.0
    neuro: int = 0
    multifunctional: int = 0
    parallel_write: int = 0
    numlut: int = 0
    num_write_col_muxed: int = 0
    avg_weight_bit: int = 0
    technologynode: int = 0
    # ---- written by circuits during evaluation -----------------------------------------------
    unitcap: float = 0.0
    unitres: float = 0.0
    drivecapin: float = 0.0
    columncap: float = 0.0
    reference_energy_peri: float = 0.0
    arrayheight: float = 0.0
    arraywidthunit: float = 0.0
    res_cell_access: float = 0.0
    ad_clatency: float = 0.0
    rowdelay: float = 0.0
    muxdelay: float = 0.0
    totaltile_num: float = 0.0

    # ------------------------------------------------------------------------------------------
    @classmethod
    def from_config(cls, config: Config, node: Any, *,
                    memcelltype: int | None = None) -> "NeuroSimParams":
        """``Param::Param()`` then ``main.cpp``'s derivation, for ``config`` at ``node``.

        ``node`` is a :class:`neurosim.technology.TechNode` (its ``node_nm`` is ``technode``,
        its ``param_cpp`` the per-node Param.cpp values). ``memcelltype`` overrides the code
        derived from ``config.device`` (for device plugins beyond sram / rram / fefet).
        """
        from ..node_overrides import effective_param_cpp

        pc = effective_param_cpp(node, config)  # the node's values, with the user's overrides
        mode = int(config.operation_mode)
        if mode not in (1, 2, 3, 4, 5, 6):
            raise ConfigError(f"option operation_mode = {mode} is not allowed; choose one of "
                              "1, 2, 3, 4, 5, 6 (NeuroSim: 'operationmode ERROR')")
        cell_type = memcelltype if memcelltype is not None else MEMCELLTYPE.get(config.device, 2)
        access = ACCESSTYPE[config.access_type]
        temp = int(config.temperature_k)
        wire_width = int(pc.wire_width)
        level_output = int(config.level_output)
        ron, roff = float(config.resistance_on_ohm), float(config.resistance_off_ohm)

        # operation-mode flags and parallel read
        flags = {"xno_rparallel_mode": int(mode == 6), "xno_rsequential_mode": int(mode == 5),
                 "bn_nparallel_mode": int(mode == 4), "bn_nsequential_mode": int(mode == 3),
                 "conventional_parallel": int(mode == 2),
                 "conventional_sequential": int(mode == 1)}
        parallel_read = int(mode in (2, 4, 6))

        # cellBit: forced to 1 for SRAM (Param.cpp), then clamped to synapseBit (main.cpp)
        synapse_bit = int(config.synapse_bits)
        cell_bit = 1 if cell_type == 1 else int(config.cell_bits)
        if cell_bit > synapse_bit:
            cell_bit = synapse_bit
        num_row_per_synapse = 2 if mode in (5, 6) else 1
        if mode == 4:
            num_col_per_synapse = 2
        elif mode in (3, 5, 6):
            num_col_per_synapse = 1
        else:
            num_col_per_synapse = int(math.ceil(synapse_bit / cell_bit))
        num_col_muxed = int(config.col_mux)
        if mode == 1 and cell_type == 1:
            num_col_muxed = num_col_per_synapse

        # calibration factors
        if config.validated:
            factors = dict(CALIBRATION_FACTORS)
        else:
            value = UNCALIBRATED_FACTOR_NEUROSIM if config.compat_bugs else UNCALIBRATED_FACTOR
            factors = {k: value for k in CALIBRATION_FACTORS}

        # wires: one cell pitch per row / column of the array
        wires = wire_model(wire_width, float(pc.metal0), float(pc.metal1),
                           float(pc.barrierthickness), temp)
        h_sram, w_sram = float(pc.height_in_feature_size_sram), float(pc.width_in_feature_size_sram)
        if cell_type == 1:
            cell_h, cell_w = h_sram, w_sram
        elif access == 1:
            cell_h, cell_w = float(config.height_1t1r_f), float(config.width_1t1r_f)
        else:
            cell_h, cell_w = float(config.height_crossbar_f), float(config.width_crossbar_f)
        wire_length_row = wire_width * 1e-9 * cell_h
        wire_length_col = wire_width * 1e-9 * cell_w

        return cls(
            operationmode=mode,
            memcelltype=cell_type,
            accesstype=access,
            transistortype=TRANSISTORTYPE[config.transistor_type],
            deviceroadmap=DEVICEROADMAP[config.device_roadmap],
            global_bus_type=config.global_bus == "htree",
            global_buffer_type=bool(config.global_buffer_sram),
            global_buffer_core_size_row=int(config.global_buffer_core_rows),
            global_buffer_core_size_col=int(config.global_buffer_core_cols),
            tile_buffer_type=bool(config.tile_buffer_sram),
            tile_buffer_core_size_row=int(config.tile_buffer_core_rows),
            tile_buffer_core_size_col=int(config.tile_buffer_core_cols),
            pe_buffer_type=bool(config.pe_buffer_sram),
            chip_activation=bool(config.chip_activation),
            re_lu=bool(config.relu),
            novel_mapping=bool(config.novel_mapping),
            saradc=config.adc == "sar",
            current_mode=bool(config.current_mode),
            pipeline=bool(config.pipeline),
            speed_up_degree=int(config.speedup_degree),
            validated=bool(config.validated),
            synchronous=bool(config.synchronous),
            algo_weight_max=float(config.algo_weight_max),
            algo_weight_min=float(config.algo_weight_min),
            clk_freq=float(config.clk_freq_hz),
            temp=temp,
            technode=int(node.node_nm),
            activationtype=bool(config.activation_sram),
            speciallayout=float(config.special_layout),
            sizingfactor_mux=float(pc.sizingfactor_mux),
            sizingfactor_w_ldecoder=float(pc.sizingfactor_wldecoder),
            newswitchmatrixsizeratio=float(pc.newswitchmatrixsizeratio),
            switchmatrixsizeratio=float(pc.switchmatrixsizeratio),
            buffernumber=int(pc.buffernumber),
            buffersizeratio=float(pc.buffersizeratio),
            metal0=float(pc.metal0),
            metal1=float(pc.metal1),
            wire_width=wire_width,
            barrierthickness=float(pc.barrierthickness),
            featuresize=wire_width * 1e-9,
            global_bus_delay_tolerance=float(config.global_bus_delay_tolerance),
            local_bus_delay_tolerance=float(config.local_bus_delay_tolerance),
            tree_folded_ratio=float(config.tree_folded_ratio),
            max_global_bus_width=float(config.max_global_bus_width),
            inputtoggle=float(config.input_toggle),
            outputtoggle=float(config.output_toggle),
            num_row_sub_array=int(config.subarray_rows),
            num_col_sub_array=int(config.subarray_cols),
            sync_data_transfer=int(config.sync_data_transfer),
            **flags,
            parallel_read=parallel_read,
            num_row_parallel=int(config.effective_parallel_rows),
            relax_array_cell_height=int(config.relax_array_cell_height),
            relax_array_cell_width=int(config.relax_array_cell_width),
            num_col_muxed=num_col_muxed,
            level_output=level_output,
            cell_bit=cell_bit,
            dumcolshared=float(level_output),
            synapse_bit=synapse_bit,
            num_bit_input=int(config.input_bits),
            num_row_per_synapse=num_row_per_synapse,
            num_col_per_synapse=num_col_per_synapse,
            height_in_feature_size_sram=h_sram,
            width_in_feature_size_sram=w_sram,
            width_sram_cell_nmos=float(pc.width_sram_cell_nmos),
            width_sram_cell_pmos=float(pc.width_sram_cell_pmos),
            width_access_cmos=float(pc.width_access_cmos),
            min_sense_voltage=float(config.min_sense_voltage_v),
            height_in_feature_size1_t1_r=float(config.height_1t1r_f),
            width_in_feature_size1_t1_r=float(config.width_1t1r_f),
            height_in_feature_size_crossbar=float(config.height_crossbar_f),
            width_in_feature_size_crossbar=float(config.width_crossbar_f),
            resistance_on=ron,
            resistance_off=roff,
            max_conductance=1.0 / ron,
            min_conductance=1.0 / roff,
            read_voltage=float(pc.read_voltage),
            read_pulse_width=float(config.read_pulse_width_s),
            access_voltage=float(config.access_voltage_v),
            resistance_access=ron * IR_DROP_TOLERANCE,
            write_voltage=float(config.write_voltage_v),
            **factors,
            ar=wires.ar,
            rho=wires.rho,
            ar_metal0=wires.ar_metal0,
            ar_metal1=wires.ar_metal1,
            rho_metal0=wires.rho_metal0,
            rho_metal1=wires.rho_metal1,
            metal0_unitwireresis=wires.metal0_unitwireresis,
            metal1_unitwireresis=wires.metal1_unitwireresis,
            unit_length_wire_resistance=wires.unit_length_wire_resistance,
            wire_length_row=wire_length_row,
            wire_length_col=wire_length_col,
            wire_resistance_row=wires.unit_length_wire_resistance * wire_length_row,
            wire_resistance_col=wires.unit_length_wire_resistance * wire_length_col,
        )

    @property
    def num_add(self) -> int:
        """Partial-sum additions per column read, ``ceil(numRowSubArray / numRowParallel)``
        with NeuroSim's integer division before the ceil."""
        return self.num_row_sub_array // self.num_row_parallel

    def replace(self, **changes: Any) -> "NeuroSimParams":
        """A copy with ``changes`` applied (members or :data:`ALIASES`)."""
        changes = {ALIASES.get(k, k): v for k, v in changes.items()}
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _alias(target: str) -> property:
    def get(self: NeuroSimParams) -> Any:
        return getattr(self, target)

    def set_(self: NeuroSimParams, value: Any) -> None:
        setattr(self, target, value)

    return property(get, set_, doc=f"Alias of :attr:`{target}`.")


for _name, _target in ALIASES.items():
    setattr(NeuroSimParams, _name, _alias(_target))
del _name, _target
