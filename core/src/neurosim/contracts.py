"""What the engine expects of plugin components (circuits, ADCs, interconnects).

Every circuit is a :class:`neurosim.primitives.function_unit.FunctionUnit` subclass built as
``Cls(ctx)`` from the evaluation context (:class:`neurosim.engine.context.Context`), then
``initialize(...)``, ``calculate_area(...)``, ``calculate_latency(...)`` and
``calculate_power(...)`` with NeuroSim V1.4's argument order, leaving its results in
``area``/``height``/``width`` (m², m), ``read_latency`` (s), ``read_dynamic_energy`` (J) and
``leakage`` (W). The ADC contract (vectorized over input vectors) is documented on
``MultilevelSenseAmp`` and ``SarADC``; the interconnect contract on ``HTree``/``XYBus`` and in
:mod:`neurosim.testing.conformance_interconnect`.
"""

#: Roles of peripheral circuits; the configuration picks one implementation per role
#: (``[peripherals] <role> = "<name>"``; the ADC with ``adc = "mlsa" | "sar" | ...``).
PERIPHERAL_ROLES: tuple[str, ...] = (
    "row_decoder", "decoder_driver", "wl_decoder_output", "wl_new_decoder_driver", "mux",
    "new_mux", "demux", "switch_matrix", "new_switch_matrix", "level_shifter", "precharger",
    "sram_write_driver", "sense_amp", "current_sense_amp", "voltage_sense_amp", "sram_new_sa",
    "read_circuit", "adc", "mlsa_encoder", "dff", "adder", "adder_tree", "shift_add",
    "bit_shifter", "comparator", "max_pooling", "sigmoid", "buffer", "bus",
)
