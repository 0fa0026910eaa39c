"""Registers the DenseNet40 network (CIFAR-10)."""

from __future__ import annotations

from neurosim import hookimpl
from neurosim.networks import NetworkSpec, cifar_batch

from .model import build_densenet40


def random_inputs(n: int, seed: int):
    """``n`` synthetic inputs (a module-level function, so the spec pickles)."""
    return cifar_batch(seed, n)


SPEC = NetworkSpec(
    name="densenet40",
    description="DenseNet40, CIFAR-10: 39 conv + 1 FC WAGE layers (DNN+NeuroSim V1.4 wrapper)",
    dataset="cifar10",
    input_shape=(3, 32, 32),
    factory=build_densenet40,
    random_inputs=random_inputs,
    checkpoint_help="the wrapper's log/DenseNet40.pth",
    wrapper_name="DenseNet40",
)


@hookimpl
def neurosim_register_networks(register):
    register("densenet40", SPEC, aliases=("DenseNet40",), description=SPEC.description)
