"""NeuroSim V1.4 defects in the digital circuits that change numbers, reproduced for parity.

Each is reproduced while ``ctx.bug(name)`` is true (``compat_bugs``, the default); with
``compat_bugs=false`` the corrected arithmetic is used.
"""

from neurosim.engine.compat_bugs import register_bug

ADDER_TREE_INT_HALVING = register_bug(
    "adder_tree_int_halving",
    "AdderTree halves the operand count with `ceil(j/2)` on ints, i.e. floor(j/2), so an odd "
    "operand is dropped at each stage (fewer adders, too-few stages for odd counts)",
)
BUFFER_DFF_DECODER_ARGS = register_bug(
    "buffer_dff_decoder_args",
    "Buffer (register-file mode) calls RowDecoder.CalculateLatency with its arguments shifted "
    "(resRow as capLoad2, numCol as resLoad, 0 as colnum), so the asynchronous read/write "
    "latency is infinite",
)
BUFFER_DFF_DECODER_INT_ROWS = register_bug(
    "buffer_dff_decoder_int_rows",
    "Buffer (register-file mode) counts decoder operations as the int quotient "
    "numBit/interface_width instead of the ceil'ed row count",
)
SIGMOID_DECODER_LOAD_SLOT = register_bug(
    "sigmoid_decoder_load_slot",
    "Sigmoid (SRAM) passes 0 as the word-line decoder's load and the cell capacitance in the "
    "unused mux-load slot, so the word-line RC load is ignored",
)
BUS_WIRE_WIDTH_ACCUMULATES = register_bug(
    "bus_wire_width_accumulates",
    "Bus.CalculateArea adds to wireWidth (never reset), so a repeated call doubles the width",
)
BUFFER_SENSE_AMP_UNSIZED = register_bug(
    "buffer_sense_amp_unsized",
    "Buffer (SRAM) never calls its sense amplifiers' CalculateArea, so they add no area and "
    "their load capacitance stays 0 (zeroed memory): no sensing delay, no C*Vdd^2 energy",
)
