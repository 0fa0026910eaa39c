"""Registers the VGG8 network (CIFAR-10)."""

from __future__ import annotations

from neurosim import hookimpl
from neurosim.networks import NetworkSpec, cifar_batch

from .model import build_vgg8


def random_inputs(n: int, seed: int):
    """``n`` synthetic inputs (a module-level function, so the spec pickles)."""
    return cifar_batch(seed, n)


SPEC = NetworkSpec(
    name="vgg8",
    description="VGG8, CIFAR-10: 6 conv + 2 FC WAGE layers (DNN+NeuroSim V1.4 wrapper)",
    dataset="cifar10",
    input_shape=(3, 32, 32),
    factory=build_vgg8,
    random_inputs=random_inputs,
    checkpoint_help="the wrapper's log/VGG8.pth (a state dict of features.N / classifier.N)",
    wrapper_name="VGG8",
)


@hookimpl
def neurosim_register_networks(register):
    register("vgg8", SPEC, aliases=("VGG8",), description=SPEC.description)
