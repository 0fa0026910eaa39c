"""pytest fixtures for neurosim plugin authors (loaded through the ``pytest11`` entry point).

``neurosim_host``
    a fresh :class:`~neurosim.plugins.PluginHost` with every installed ``neurosim`` entry
    point loaded, hook names checked and the registry collected (load errors in
    ``host.errors``).
``neurosim_registry``
    that host's :class:`~neurosim.registry.Registry`.
``neurosim_host_factory``
    :func:`neurosim.testing.make_host`, to build hosts from chosen entry points or plugin
    objects, e.g. ``neurosim_host_factory(entry_points=[], plugins=[MyPlugin()])``.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def neurosim_host_factory():
    from . import make_host

    return make_host


@pytest.fixture
def neurosim_host(neurosim_host_factory):
    return neurosim_host_factory()


@pytest.fixture
def neurosim_registry(neurosim_host):
    return neurosim_host.registry
