"""Notices for configuration options the configured device never reads.

A device plugin may list, in its class attribute ``inapplicable_options``, the
configuration options its cell and circuits never read (the SRAM cell has no on/off
resistance, read pulse or 1T1R geometry). Such an option set to a value other than
NeuroSim's ``Param.cpp`` default gets one ``Notice:`` line, so a value that changes nothing
is never ignored silently; the estimate goes on, as NeuroSim's would (a sweep over devices
keeps its shared base). A value equal to the default cannot be told from an unset one and
gets none (as in :func:`neurosim.devices.apply_device_defaults`).
"""

from __future__ import annotations

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
            alias = f.metadata.get("aliases") or ()
            spelled = f"{name} ({alias[0]})" if alias else name
            out.append(f"Notice: {spelled} = {_show(value)} has no effect with device = "
                       f"{cfg.device}: the {cfg.device} cell does not read it (NeuroSim "
                       "ignores it too)")
    return out


def _show(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
