"""Entry point ``neurosim-tech-16nm`` (group ``neurosim``): registers the 16nm node."""

from neurosim import hookimpl

from . import NAME, node


@hookimpl
def neurosim_register_techs(register):
    tech = node()
    register(NAME, tech, description=tech.description)
