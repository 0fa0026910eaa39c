"""DenseNet40 for CIFAR-10 as in the DNN+NeuroSim V1.4 wrapper (``models/DenseNet.py``).

Depth 40, growth rate 12, compression 0.5: a 3x3 stem conv (24 channels), three dense blocks
of six bottlenecks (1x1 conv to 48 channels, 3x3 conv to 12, each conv followed by BatchNorm
and ReLU, output concatenated in front of the block input), transitions (1x1 conv, BN, ReLU,
2x2 average pool), an 8x8 average pool and one fully connected layer (132 -> 10). Module
paths (``conv1``, ``dense1.N.conv``, ``trans1.conv``, ..., ``classifier``) and layer names
(``Conv0_`` ... ``Conv38_``, ``FC0_``) are the wrapper's, so its ``log/DenseNet40.pth``
loads as it is.
"""

from __future__ import annotations

import math
from typing import Any


def build_densenet40(mode: str = "WAGE", wl_weight: int = 8, wl_activate: int = 8,
                     checkpoint: str | None = None, num_classes: int = 10,
                     **settings: Any) -> Any:
    """The DenseNet40 module in eval mode (``checkpoint``: a wrapper state dict file)."""
    import torch
    import torch.nn as nn

    from neurosim.networks import load_checkpoint
    from neurosim.nn import conv_layer, linear_layer

    settings.setdefault("model", "DenseNet40")
    common = dict(wl_input=wl_activate, wl_activate=wl_activate, wl_weight=wl_weight,
                  **settings)
    counter = [0]

    def conv_bn_relu(specs: list[tuple[int, int, int]]) -> nn.Sequential:
        layers: list[nn.Module] = []
        for cin, cout, k in specs:
            layers += [conv_layer(mode, cin, cout, kernel_size=k, stride=1, padding=k // 2,
                                  name=f"Conv{counter[0]}_", **common),
                       nn.BatchNorm2d(cout), nn.ReLU()]
            counter[0] += 1
        return nn.Sequential(*layers)

    class Bottleneck(nn.Module):
        def __init__(self, in_planes: int, growth: int) -> None:
            super().__init__()
            self.conv = conv_bn_relu([(in_planes, 4 * growth, 1), (4 * growth, growth, 3)])

        def forward(self, x: Any) -> Any:
            return torch.cat([self.conv(x), x], 1)

    class Transition(nn.Module):
        def __init__(self, in_planes: int, out_planes: int) -> None:
            super().__init__()
            self.conv = conv_bn_relu([(in_planes, out_planes, 1)])
            self.avgpool = nn.AvgPool2d(2)

        def forward(self, x: Any) -> Any:
            return self.avgpool(self.conv(x))

    class DenseNet(nn.Module):
        def __init__(self, depth: int = 40, growth: int = 12, reduction: float = 0.5) -> None:
            super().__init__()
            nblocks = (depth - 4) // 3 // 2
            planes = 2 * growth
            self.conv1 = conv_bn_relu([(3, planes, 3)])
            self.dense1 = self._dense(planes, nblocks, growth)
            planes += nblocks * growth
            out = int(math.floor(planes * reduction))
            self.trans1 = Transition(planes, out)
            planes = out
            self.dense2 = self._dense(planes, nblocks, growth)
            planes += nblocks * growth
            out = int(math.floor(planes * reduction))
            self.trans2 = Transition(planes, out)
            planes = out
            self.dense3 = self._dense(planes, nblocks, growth)
            planes += nblocks * growth
            self.avgpool = nn.AvgPool2d(8)
            self.classifier = nn.Sequential(
                linear_layer(mode, planes, num_classes, name="FC0_", **common))
            for m in self.modules():  # the wrapper re-draws conv weights (same RNG stream)
                if isinstance(m, nn.Conv2d):
                    n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                    m.weight.data.normal_(0, math.sqrt(2.0 / n))

        @staticmethod
        def _dense(in_planes: int, nblock: int, growth: int) -> nn.Sequential:
            blocks = []
            for _ in range(nblock):
                blocks.append(Bottleneck(in_planes, growth))
                in_planes += growth
            return nn.Sequential(*blocks)

        def forward(self, x: Any) -> Any:
            out = self.conv1(x)
            out = self.trans1(self.dense1(out))
            out = self.trans2(self.dense2(out))
            out = self.dense3(out)
            out = self.avgpool(out)
            out = out.view(out.size(0), -1)
            return self.classifier(out)

    model = DenseNet()
    if checkpoint:
        load_checkpoint(model, checkpoint)
    return model.eval()
