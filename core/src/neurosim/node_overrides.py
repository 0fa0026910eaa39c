"""Per-node Param.cpp values the user may override (``--set sizingfactor_MUX=50``).

Each option below defaults to ``None`` in :class:`~neurosim.config.Config`, meaning "the node
plugin's value" (``node.json`` ``param_cpp``); a number replaces it for the run. The derived
wire model (aspect ratios, resistivities, unit resistances) follows the overridden widths, as
Param.cpp computes it from them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

#: Config option -> ParamCpp field (the Param.cpp member, by the porting rule).
NODE_OPTIONS: dict[str, str] = {
    "sizingfactor_mux": "sizingfactor_mux",
    "sizingfactor_wldecoder": "sizingfactor_wldecoder",
    "switchmatrixsizeratio": "switchmatrixsizeratio",
    "newswitchmatrixsizeratio": "newswitchmatrixsizeratio",
    "buffernumber": "buffernumber",
    "buffersizeratio": "buffersizeratio",
    "wire_width_nm": "wire_width",
    "metal0_nm": "metal0",
    "metal1_nm": "metal1",
    "barrier_thickness_m": "barrierthickness",
    "read_voltage_v": "read_voltage",
    "sram_cell_height_f": "height_in_feature_size_sram",
    "sram_cell_width_f": "width_in_feature_size_sram",
    "sram_cell_nmos_width_f": "width_sram_cell_nmos",
    "sram_cell_pmos_width_f": "width_sram_cell_pmos",
    "sram_access_width_f": "width_access_cmos",
}

_WIRE_INPUTS = ("wire_width", "metal0", "metal1", "barrierthickness")


def effective_param_cpp(node: Any, config: Any) -> Any:
    """The node's :class:`~neurosim.technology.ParamCpp` with the user's overrides applied.

    ``featuresize`` follows ``wire_width`` (Param.cpp: ``featuresize = wireWidth * 1e-9``)
    and the wire model is re-derived when a wire width or the barrier changes.
    """
    pc = node.param_cpp
    changes = {field: getattr(config, option) for option, field in NODE_OPTIONS.items()
               if getattr(config, option, None) is not None}
    if not changes:
        return pc
    if any(k in changes for k in _WIRE_INPUTS):
        rest = {f.name: getattr(pc, f.name) for f in dataclasses.fields(pc)}
        rest.update(changes)
        rest["featuresize"] = rest["wire_width"] * 1e-9
        inputs = {k: rest.pop(k) for k in _WIRE_INPUTS}
        for derived in ("ar", "rho_bulk", "rho", "ar_metal0", "rho_bulk_metal0", "rho_metal0",
                        "ar_metal1", "rho_bulk_metal1", "rho_metal1", "metal0_unitwireresis",
                        "metal1_unitwireresis", "unit_length_wire_resistance"):
            rest.pop(derived)
        return type(pc).derive(**inputs, **rest)
    return dataclasses.replace(pc, **changes)


def node_option_values(node: Any) -> dict[str, Any]:
    """The node plugin's value of every :data:`NODE_OPTIONS` option."""
    return {option: getattr(node.param_cpp, field) for option, field in NODE_OPTIONS.items()}


__all__ = ["NODE_OPTIONS", "effective_param_cpp", "node_option_values"]
