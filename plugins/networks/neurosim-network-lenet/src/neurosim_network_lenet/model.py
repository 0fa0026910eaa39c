"""A LeNet-style CNN sized for scikit-learn's 8x8 handwritten digits (``digits:train``).

Layers (``neurosim.nn`` WAGE or FP layers, names as NeuroSim's layer records)::

    Conv0_  1 -> 16, 3x3, padding 1, ReLU            8 x 8
    Conv1_  16 -> 32, 3x3, padding 1, ReLU, max-pool 2 -> 4 x 4
    FC0_    512 -> 64, ReLU
    FC1_    64 -> 10

Inputs are ``1 x 8 x 8`` grey levels scaled to [0, 1] (``k/16``), unsigned, as the
crossbar's bit-serial input driver reads them; every layer is a compute-in-memory layer
(the first has Cin = 1, so it is read bit-serially like the others). The plugin declares
``hardware_path = "full"``: ``neurosim accuracy --path auto`` runs the bit-serial crossbar
model on every layer, so cell bits, on/off ratio and variation all take effect.
"""

from __future__ import annotations

from typing import Any

INPUT_SHAPE = (1, 8, 8)
#: (out channels, pool after) of the two 3x3 convolutions; hidden width of FC0_
CONVS = ((16, False), (32, True))
HIDDEN = 64


def build_lenet(mode: str = "WAGE", wl_weight: int = 8, wl_activate: int = 8,
                checkpoint: str | None = None, num_classes: int = 10,
                image_size: int = 8, in_channels: int = 1, **settings: Any) -> Any:
    """The model in eval mode (``checkpoint``: a state dict file, e.g. from
    ``neurosim train``). ``torch.manual_seed(s)`` before the call fixes the weights."""
    import torch.nn as nn

    from neurosim.networks import load_checkpoint
    from neurosim.nn import conv_layer, linear_layer

    settings.setdefault("model", "LeNet")
    common = dict(wl_input=wl_activate, wl_activate=wl_activate, wl_weight=wl_weight,
                  **settings)
    size = int(image_size)
    feats: list[nn.Module] = []
    cin = int(in_channels)
    for i, (cout, pool) in enumerate(CONVS):
        feats += [conv_layer(mode, cin, cout, kernel_size=3, padding=1, name=f"Conv{i}_",
                             **common), nn.ReLU()]
        if pool:
            feats.append(nn.MaxPool2d(2, 2))
            size //= 2
        cin = cout
    flat = cin * size * size

    class LeNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(*feats)
            self.classifier = nn.Sequential(
                linear_layer(mode, flat, HIDDEN, name="FC0_", **common), nn.ReLU(),
                linear_layer(mode, HIDDEN, int(num_classes), name="FC1_", **common))

        def forward(self, x: Any) -> Any:
            x = self.features(x)
            return self.classifier(x.flatten(1))

    model = LeNet()
    if checkpoint:
        load_checkpoint(model, checkpoint)
    return model.eval()


def random_digits(n: int, seed: int) -> Any:
    """``n`` synthetic ``1 x 8 x 8`` inputs on the digits' grid: ``k/16``, ``k`` uniform in
    0..16 from ``numpy.random.default_rng(seed)`` (float32)."""
    import numpy as np
    import torch

    k = np.random.default_rng(seed).integers(0, 17, size=(n, *INPUT_SHAPE))
    return torch.from_numpy((k / 16).astype(np.float32))
