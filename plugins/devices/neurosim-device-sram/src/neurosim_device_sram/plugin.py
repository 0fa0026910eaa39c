"""Registers the ``sram`` device."""

from neurosim import hookimpl

from .device import SRAMDevice


@hookimpl
def neurosim_register_devices(register):
    register(SRAMDevice.name, SRAMDevice, description=SRAMDevice.description)
