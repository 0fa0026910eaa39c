"""neurosim: NeuroSim V1.4 compute-in-memory benchmark as a plugin framework.

The core holds contracts (hook specifications, registries, typed configuration), the
engine that composes plugins into a chip, shared transistor/wire primitives, the CLI and
the plugin author test kit. Concrete nodes, devices, circuits, interconnects and networks
live in separately installable ``neurosim-<kind>-<name>`` distributions.
"""

import pluggy

__version__ = "0.1.0"

#: Decorator plugins use to mark hook implementations: ``@neurosim.hookimpl``.
hookimpl = pluggy.HookimplMarker("neurosim")

__all__ = ["__version__", "hookimpl"]
