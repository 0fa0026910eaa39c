"""Registers the ``fefet`` device."""

from neurosim import hookimpl

from .device import FeFETDevice


@hookimpl
def neurosim_register_devices(register):
    register(FeFETDevice.name, FeFETDevice, description=FeFETDevice.description)
