"""The plugin author test kit, shipped with the core.

* :mod:`neurosim.testing.pytest_plugin` (active in every pytest run once neurosim-core is
  installed, through its ``pytest11`` entry point) provides the fixtures ``neurosim_host``,
  ``neurosim_registry`` and ``neurosim_host_factory``.
* :mod:`neurosim.testing.conformance` holds the standard checks a plugin's test suite
  inherits: ``class TestMyNode(TechConformance): tech_name = "22nm"; distribution = ...``;
  :mod:`~neurosim.testing.conformance_device`, :mod:`~neurosim.testing.conformance_interconnect`
  and :mod:`~neurosim.testing.conformance_network` (``NetworkConformance``) hold the checks of
  the other kinds.
* :mod:`neurosim.testing.reference` compares figures with numbers from NeuroSim V1.4's C++
  (``mismatches``, ``check``; for sensing and ADC circuits also the C++ driver's context and
  input column resistances).
"""

from __future__ import annotations

from importlib import metadata
from typing import Any, Iterable

from ..plugins import PluginHost


def make_host(entry_points: Iterable[metadata.EntryPoint] | None = None,
              plugins: Iterable[Any] = (), *, check: bool = True,
              collect: bool = True) -> PluginHost:
    """A fresh :class:`~neurosim.plugins.PluginHost` (not the process-wide one).

    ``entry_points=None`` loads every installed entry point of the ``neurosim`` group (minus
    ``NEUROSIM_DISABLE_PLUGINS``); ``plugins`` are extra plugin objects (modules, classes or
    instances with hook implementations), registered under their ``__name__`` or type name.
    Then, as the CLI does, ``check_pending()`` records misspelled hooks and ``collect()``
    fills the registry.
    """
    host = PluginHost()
    host.load_entry_points(entry_points)
    for obj in plugins:
        name = getattr(obj, "__name__", None) or type(obj).__name__
        host.register_plugin(obj, name)
    if check:
        host.check_pending()
    if collect:
        host.collect()
    return host


__all__ = ["make_host"]
