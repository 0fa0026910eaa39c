"""Registers the LeNet-style digits network."""

from __future__ import annotations

from neurosim import hookimpl
from neurosim.networks import NetworkSpec

from .model import INPUT_SHAPE, build_lenet, random_digits

SPEC = NetworkSpec(
    name="lenet",
    description="LeNet-style CNN for 8x8 handwritten digits (--data digits:test): 2 conv + "
                "2 FC WAGE layers, full bit-serial crossbar path by default",
    dataset="digits",
    input_shape=INPUT_SHAPE,
    factory=build_lenet,
    random_inputs=random_digits,
    checkpoint_help="a state dict written by `neurosim train --network lenet`",
    wrapper_name="LeNet",
    extra={"input_kind": "image", "num_classes": 10, "normalization": "unit",
           "hardware_path": "full"},
)


@hookimpl
def neurosim_register_networks(register):
    register("lenet", SPEC, aliases=("LeNet",), description=SPEC.description)
