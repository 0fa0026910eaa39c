"""Registers the ``xybus`` interconnect."""

from neurosim import hookimpl

from .xybus import XYBus


@hookimpl
def neurosim_register_interconnects(register):
    register("xybus", XYBus, description="repeated X-Y bus between tiles (NeuroSim V1.4 XYBus)")
