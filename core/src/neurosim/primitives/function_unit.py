"""Base class of every circuit model: its floor-plan size and its performance figures.

Mirrors NeuroSim V1.4's ``FunctionUnit``: a circuit fills ``height``/``width``/``area`` in
``calculate_area`` and ``read_latency``/``read_dynamic_energy``/``leakage`` (etc.) in
``calculate_latency``/``calculate_power``, all in SI units (m, m^2, s, J, W).
"""

from __future__ import annotations

from typing import Any

from .constants import AreaModify


#: Attribute -> key of :meth:`FunctionUnit.summary` (SI unit in the name).
SUMMARY_KEYS: dict[str, str] = {
    "height": "height_m",
    "width": "width_m",
    "area": "area_m2",
    "empty_area": "empty_area_m2",
    "used_area": "used_area_m2",
    "total_area": "total_area_m2",
    "read_latency": "read_latency_s",
    "write_latency": "write_latency_s",
    "read_dynamic_energy": "read_dynamic_energy_j",
    "write_dynamic_energy": "write_dynamic_energy_j",
    "leakage": "leakage_w",
    "read_power": "read_power_w",
    "write_power": "write_power_w",
    "new_height": "new_height_m",
    "new_width": "new_width_m",
}


class FunctionUnit:
    """Size and performance of one circuit block (all figures start at 0).

    Attributes (SI units): ``height``, ``width`` (m); ``area``, ``empty_area``,
    ``used_area``, ``total_area`` (m^2); ``read_latency``, ``write_latency`` (s);
    ``read_dynamic_energy``, ``write_dynamic_energy`` (J); ``leakage``, ``read_power``,
    ``write_power`` (W); ``new_height``, ``new_width`` (m): the floor-plan size a parent
    asks for, applied by :meth:`magic_layout` or :meth:`override_layout`.

    Circuits subclass it and take the evaluation context first: ``RowDecoder(ctx)``.
    """

    def __init__(self, ctx: Any = None) -> None:
        self.ctx = ctx
        self.height = 0.0
        self.width = 0.0
        self.area = 0.0
        self.empty_area = 0.0
        self.used_area = 0.0
        self.total_area = 0.0
        self.read_latency = 0.0
        self.write_latency = 0.0
        self.read_dynamic_energy = 0.0
        self.write_dynamic_energy = 0.0
        self.leakage = 0.0
        self.new_width = 0.0
        self.new_height = 0.0
        self.read_power = 0.0
        self.write_power = 0.0

    def magic_layout(self) -> None:
        """Reshape to the requested height (else width) keeping the area ("magic folding")."""
        if self.new_height:
            self.width = self.area / self.new_height
            self.height = self.new_height
        elif self.new_width:
            self.height = self.area / self.new_width
            self.width = self.new_width

    def override_layout(self) -> None:
        """Force the requested height and width; the area becomes their product."""
        if not (self.new_height and self.new_width):
            raise RuntimeError(f"{type(self).__name__}: override layout needs both a new "
                                "height and a new width")
        self.height = self.new_height
        self.width = self.new_width
        self.area = self.height * self.width

    def summary(self) -> dict[str, float]:
        """The figures as a dict with unit-named keys (``area_m2``, ``read_latency_s``, ...)."""
        return {key: float(getattr(self, attr)) for attr, key in SUMMARY_KEYS.items()}

    def print_property(self, name: str) -> str:
        """NeuroSim's ``PrintProperty`` report (µm, ns, pJ, µW) as a string."""
        lines = ["-" * 57, name,
                 f"Area = {self.height * 1e6:g}um x {self.width * 1e6:g}um = "
                 f"{self.area * 1e12:g}um^2"]
        if self.total_area:
            lines.append(f"Total Area = {self.total_area * 1e12:g}um^2")
        lines += ["Timing:",
                  f" - Read Latency = {self.read_latency * 1e9:g}ns",
                  f" - Write Latency = {self.write_latency * 1e9:g}ns",
                  "Power:",
                  f" - Read Dynamic Energy = {self.read_dynamic_energy * 1e12:g}pJ",
                  f" - Write Dynamic Energy = {self.write_dynamic_energy * 1e12:g}pJ",
                  f" - Leakage Power = {self.leakage * 1e6:g}uW"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(area_m2={self.area:.6g}, "
                f"read_latency_s={self.read_latency:.6g}, "
                f"read_dynamic_energy_j={self.read_dynamic_energy:.6g}, "
                f"leakage_w={self.leakage:.6g})")


# Helpers the circuit plugins share ------------------------------------------------------------

def require_initialized(unit: Any, method: str) -> None:
    """Raise when a calculation is asked of a circuit that was never initialised."""
    if not getattr(unit, "initialized", False):
        raise RuntimeError(f"{type(unit).__name__}.{method}: call initialize() first")


def apply_area_option(unit: Any, new_height: float, new_width: float, option: int) -> None:
    """Record the requested floor-plan size and apply the MAGIC / OVERRIDE layout option."""
    unit.new_height = new_height
    unit.new_width = new_width
    if option == AreaModify.MAGIC:
        unit.magic_layout()
    elif option == AreaModify.OVERRIDE:
        unit.override_layout()


def finfet_width_factor(tech: Any) -> int:
    """NeuroSim V1.4 doubles device widths (SRAM cell, sense amplifier) at FinFET / GAA nodes
    (``featureSize <= 14 nm`` in the C++)."""
    return 2 if tech.nonplanar else 1
