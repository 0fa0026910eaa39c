"""Registers the ``htree`` interconnect."""

from neurosim import hookimpl

from .htree import HTree


@hookimpl
def neurosim_register_interconnects(register):
    register("htree", HTree, description="repeated H-tree between tiles (NeuroSim V1.4 HTree)")
