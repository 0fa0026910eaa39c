"""Registers the ``pcm`` device with neurosim (entry point ``neurosim-device-pcm``)."""

from neurosim import hookimpl

from .device import PCMDevice


@hookimpl
def neurosim_register_devices(register):
    register(PCMDevice.name, PCMDevice, description=PCMDevice.description)
