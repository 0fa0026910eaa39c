"""Registers the ResNet18 network (ImageNet)."""

from __future__ import annotations

from neurosim import hookimpl
from neurosim.networks import NetworkSpec, image_batch

from .model import build_resnet18


def random_inputs(n: int, seed: int):
    """``n`` synthetic inputs (a module-level function, so the spec pickles)."""
    return image_batch(seed, n, 224)


SPEC = NetworkSpec(
    name="resnet18",
    description="ResNet18, ImageNet: 20 conv + 1 FC layers (DNN+NeuroSim V1.4 wrapper)",
    dataset="imagenet",
    input_shape=(3, 224, 224),
    factory=build_resnet18,
    random_inputs=random_inputs,
    checkpoint_help="a torchvision resnet18 state dict, e.g. resnet18-f37072fd.pth from "
                    "download.pytorch.org (the wrapper loads resnet18-5c106cde.pth)",
    wrapper_name="ResNet18",
)


@hookimpl
def neurosim_register_networks(register):
    register("resnet18", SPEC, aliases=("ResNet18",), description=SPEC.description)
