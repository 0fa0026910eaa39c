"""NeuroSim V1.4 defects in the drive circuits that change numbers, reproduced for parity.

Each is reproduced while ``ctx.bug(name)`` is true (``compat_bugs``, the default); with
``compat_bugs=false`` the corrected arithmetic is used.
"""

from neurosim.engine.compat_bugs import register_bug

ROW_DECODER_INV_COLUMNS = register_bug(
    "row_decoder_inv_columns",
    "RowDecoder (REGULAR_ROW, fixed height): the address-inverter column count is guarded by "
    "`numColInv > 0` (always 0) instead of `numInvPerCol > 0`, so the inverters add no width",
)
DECODER_DRIVER_WRITE_LATENCY_ACCUMULATES = register_bug(
    "decoder_driver_write_latency_accumulates",
    "DecoderDriver.CalculateLatency adds to writeLatency without resetting it, so a second "
    "call accumulates the previous write latency",
)
NEW_MUX_UNSET_RES_TG = register_bug(
    "new_mux_unset_res_tg",
    "NewMux never sets its transmission-gate resistance resTg (zero-initialised object memory), "
    "so its read latency is 0",
)
DEMUX_INT_TG_WIDTH = register_bug(
    "demux_int_tg_width",
    "DeMux.CalculateArea stores the pass-gate width (metres) in an `int`, truncating it to 0, "
    "so the fold count is -1",
)
NEW_SWITCH_MATRIX_PMOS_AS_NMOS = register_bug(
    "new_switch_matrix_pmos_as_nmos",
    "NewSwitchMatrix.Initialize computes the PMOS half of the transmission-gate resistance "
    "with the NMOS on-resistance model",
)
