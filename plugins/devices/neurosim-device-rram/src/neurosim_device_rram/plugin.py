"""Registers the ``rram`` device."""

from neurosim import hookimpl

from .device import RRAMDevice


@hookimpl
def neurosim_register_devices(register):
    register(RRAMDevice.name, RRAMDevice, description=RRAMDevice.description)
