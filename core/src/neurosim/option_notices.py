"""Notices for options that change nothing in the configured run (never ignored silently).

First, device options: a device plugin may list, in its class attribute
``inapplicable_options``, the configuration options its cell and circuits never read (the
SRAM cell has no on/off resistance, read pulse or 1T1R geometry). Such an option set to a
value other than NeuroSim's ``Param.cpp`` default gets one ``Notice:`` line, so a value
that changes nothing is never ignored silently; the estimate goes on, as NeuroSim's would
(a sweep over devices keeps its shared base). A value equal to the default cannot be told
from an unset one and gets none (as in :func:`neurosim.devices.apply_device_defaults`).

:func:`unread_option_notices` does the same for options NeuroSim reads only in some designs
(the sigmoid table's memory, the GAA layout factors) or never (``tileBufferType``), and
:func:`accuracy_option_notices` for the accuracy simulation's options on a hardware-only run.
"""

from __future__ import annotations

import dataclasses
from dataclasses import fields
from typing import Any

from .config import Config


def inapplicable_option_notices(cfg: Config, device: Any) -> list[str]:
    """One line per option of ``device.inapplicable_options`` that ``cfg`` sets."""
    listed = tuple(getattr(device, "inapplicable_options", ()) or ())
    if not listed:
        return []
    known = {f.name: f for f in fields(Config)}
    out = []
    for name in listed:
        f = known.get(name)
        if f is None:
            continue  # a name of another core version: nothing to compare
        value = getattr(cfg, name)
        if value != f.default:
            alias = [a for a in f.metadata.get("aliases") or () if a != name]
            spelled = f"{name} ({alias[0]})" if alias else name
            out.append(f"Notice: {spelled} = {_show(value)} has no effect with device = "
                       f"{cfg.device}: the {cfg.device} cell does not read it (NeuroSim "
                       "ignores it too)")
    return out


def unread_option_notices(cfg: Config, node: Any = None) -> list[str]:
    """Options set (not at the default) that no circuit of this design reads; ``node`` is
    the technology-node plugin's record (its ``circuit_fits``), None when unknown."""
    out = []
    if cfg.tile_buffer_sram:
        out.append("Notice: tile_buffer_sram (tileBufferType) = true has no effect: NeuroSim "
                   "V1.4 reads it in Param.cpp only and builds the tile buffers as "
                   "pe_buffer_sram (peBufferType) says")
    if not cfg.activation_sram and cfg.relu:
        out.append("Notice: activation_sram (Activationtype) = false has no effect with relu "
                   "= true: it chooses the memory of the sigmoid look-up table, which a ReLU "
                   "chip does not have")
    buffers = cfg.buffernumber
    if buffers is None:
        buffers = getattr(getattr(node, "param_cpp", None), "buffernumber", None)
    if cfg.buffersizeratio is not None and buffers == 0:
        out.append(f"Notice: buffersizeratio = {_show(cfg.buffersizeratio)} has no effect with "
                   f"buffernumber = 0 at {cfg.tech}: it sizes the word-line buffers, which "
                   "this node has none of (NeuroSim places them at 2 and 1 nm)")
    fits = getattr(node, "circuit_fits", None)
    if (cfg.special_layout == 0 and isinstance(fits, dict)
            and "gaa_special_layout" not in fits):
        out.append(f"Notice: special_layout (speciallayout) = 0 has no effect at {cfg.tech}: "
                   "the node has no GAA special-layout factors (NeuroSim applies them at 2 "
                   "and 1 nm)")
    return out


#: options only the accuracy simulation reads (checked to leave every hardware figure of an
#: estimate unchanged); ``quant_mode`` and ``seed`` are not among them: they shape the
#: captured weights
ACCURACY_ONLY_OPTIONS = (
    "adc_bits", "onoff_ratio", "variation", "variation_mode", "retention_time_s", "drift_nu",
    "drift_nu_per_layer", "drift_detect", "drift_target", "stuck_at_0_rate",
    "stuck_at_1_rate", "read_noise", "output_noise_lsb", "output_noise_file",
    "mem_states_file", "dac_bits", "device_nonidealities")


def accuracy_option_notices(cfg: Config, how: str,
                            on: str = "the hardware figures") -> list[str]:
    """One line naming the accuracy-only options ``cfg`` sets on a run without the accuracy
    simulation; ``how`` says how to get it (e.g. "add --with-accuracy"), ``on`` what the
    run gives (``traces export``: the traces)."""
    known = {f.name: f for f in fields(Config)}
    set_ = [f"{name} = {_show(getattr(cfg, name))}" for name in ACCURACY_ONLY_OPTIONS
            if name in known and getattr(cfg, name) != _default(known[name])]
    if not set_:
        return []
    return [f"Notice: {', '.join(set_)} {'has' if len(set_) == 1 else 'have'} no effect on "
            f"{on}: accuracy simulation option{'s' if len(set_) > 1 else ''} ({how})"]


def sweep_accuracy_option_notices(spec: Any) -> list[str]:
    """The notice for a sweep ``spec`` (``neurosim.sweep.spec.SweepSpec``) without accuracy
    that sets accuracy-only options in ``[base]``, ``[grid]``, ``[[points]]`` or
    ``[random]``: its rows then differ in no figure along those options."""
    from .config import resolve_name

    where: dict[str, list[str]] = {}
    tables = [("base", spec.base), ("grid", spec.grid), ("random",
              spec.random.get("keys", {}) if spec.random else {})]
    tables += [("points", p) for p in spec.points]
    for table, keys in tables:
        for key in keys:
            name = resolve_name(key)
            if name in ACCURACY_ONLY_OPTIONS and table not in where.setdefault(key, []):
                where[key].append(table)
    if not where:
        return []
    named = ", ".join(f"{k} ([{'], ['.join(t)}])" for k, t in where.items())
    return [f"Notice: {named} {'has' if len(where) == 1 else 'have'} no effect on the "
            "hardware figures: accuracy simulation options, and this sweep runs no accuracy "
            "(add --with-accuracy, or accuracy = true in the spec)"]


def _default(f: Any) -> Any:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


def _show(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
