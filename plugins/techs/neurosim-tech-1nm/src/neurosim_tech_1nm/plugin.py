"""Entry point ``neurosim-tech-1nm`` (group ``neurosim``): registers the 1nm technology node."""

from neurosim import hookimpl

from . import NAME, node


@hookimpl
def neurosim_register_techs(register):
    tech = node()
    register(NAME, tech, description=tech.description)
