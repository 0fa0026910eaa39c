"""Entry point ``neurosim-tech-7nm`` (group ``neurosim``): registers the 7nm technology node."""

from neurosim import hookimpl

from . import NAME, node


@hookimpl
def neurosim_register_techs(register):
    tech = node()
    register(NAME, tech, description=tech.description)
