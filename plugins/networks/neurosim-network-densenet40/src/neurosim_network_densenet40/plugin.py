"""Registers the DenseNet40 network (CIFAR-10)."""

from __future__ import annotations

from neurosim import hookimpl
from neurosim.networks import NetworkSpec, cifar_batch

from .model import build_densenet40

SPEC = NetworkSpec(
    name="densenet40",
    description="DenseNet40, CIFAR-10: 39 conv + 1 FC WAGE layers (DNN+NeuroSim V1.4 wrapper)",
    dataset="cifar10",
    input_shape=(3, 32, 32),
    factory=build_densenet40,
    random_inputs=lambda n, seed: cifar_batch(seed, n),
    checkpoint_help="the wrapper's log/DenseNet40.pth",
    wrapper_name="DenseNet40",
)


@hookimpl
def neurosim_register_networks(register):
    register("densenet40", SPEC, aliases=("DenseNet40",), description=SPEC.description)
